// Smoke test of the VM harness (guest.ts): for Debian 12 and 13, a cached tree boots with systemd
// as PID 1, reaches the Debian mirror and PyPI through the NAT, answers the host on ports 22 and
// 80, lets a user with password sudo log in, reboots with a fresh /run and the same disk, and
// leaves nothing behind. Then the faults: a guest that cannot boot and one whose sshd never
// answers fail within their time limits, with the console and journal in the message.
// Run: `E2E_ALLOW_SYSTEM_CHANGES=1 npm run test:vm` as root (CI=true works too).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '../e2e/machine.js';
import { SUITES, bootGuest, createGuest, ensureTree, leftovers, timed, vmTest, type Suite } from './guest.js';

const started = Date.now();
const ipForward = () => readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');
const suites = Object.keys(SUITES) as Suite[];

vmTest('the trees of both suites are built (in parallel) or taken from the cache', async () => {
  await timed(`trees ${suites.join(' + ')}`, () => Promise.all(suites.map((suite) => ensureTree(suite))));
});

for (const suite of suites) {
  const title = `${suite}: boots (systemd as PID 1), reaches the mirror and PyPI, a sudo user logs in, reboots, goes`;
  vmTest(title, async (t) => {
    const ipForwardBefore = ipForward(); // read under the machine lock, before any guest of ours
    const guest = await bootGuest(t, suite);
    assert.equal(guest.disk, 'overlay', "the kernel has overlayfs: the guest's disk is an overlay on the cached tree");

    assert.match(await guest.readFile('/etc/os-release'), new RegExp(`^VERSION_ID="${SUITES[suite].versionId}"$`, 'm'));
    assert.equal((await guest.must('ps -p 1 -o comm=')).trim(), 'systemd');
    assert.equal((await guest.must('hostname')).trim(), guest.hostname);
    // A pure cgroup2 tree, as on a real Debian 12 or 13.
    assert.equal((await guest.must('stat -f -c %T /sys/fs/cgroup')).trim(), 'cgroup2fs');

    // Out: the Debian mirror (apt over HTTP through the transparent proxy) and PyPI over HTTPS
    // (the proxy's CA trusted inside).
    await timed(`apt-get update in ${suite}`, () => guest.must('apt-get update', { timeoutMs: 300_000 }));
    await guest.must('getent hosts pypi.org');
    const pypi = await guest.must('curl -fsS --max-time 60 -o /dev/null -w %{http_code} https://pypi.org/simple/pip/');
    assert.equal(pypi.trim(), '200');

    // In: the host reaches the guest on port 80 (where the wizard's nginx will listen).
    // A one-line web server: systemd-socket-activate (in the systemd package) runs printf per connection.
    const reply = 'printf "HTTP/1.0 200 OK\\r\\n\\r\\nhello from the guest\\n"';
    await guest.must(`systemd-run --unit=vm-smoke-http systemd-socket-activate -l 80 -a --inetd sh -c '${reply}'`);
    let page = '';
    for (let attempt = 0; attempt < 20 && !page.includes('hello'); attempt += 1) {
      const answer = fetch(`http://${guest.address}/`, { signal: AbortSignal.timeout(5000) });
      page = await answer.then(
        (r) => r.text(),
        () => '',
      );
      if (!page.includes('hello')) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.match(page, /hello from the guest/);

    // A user as the wizard's tests need one: password sudo, a private home, logs in with the key.
    await guest.createUser('vmsmoke', { password: 'Smoke pw 1!', sudo: 'password', homeMode: '700' });
    assert.equal((await guest.must('whoami', { user: 'vmsmoke' })).trim(), 'vmsmoke');
    assert.equal((await guest.must('stat -c %a /home/vmsmoke')).trim(), '700');
    assert.notEqual((await guest.run('sudo -n true', { user: 'vmsmoke' })).code, 0, 'sudo asks for the password');
    assert.equal((await guest.must('sudo -S -p "" id -u', { user: 'vmsmoke', input: 'Smoke pw 1!\n' })).trim(), '0');
    // The command line for tmux gets a terminal.
    const ttyLine = guest.sshCommandLine('vmsmoke', 'tty');
    const tty = spawnSync('/bin/sh', ['-c', ttyLine], { encoding: 'utf8', timeout: 30_000 });
    assert.match(tty.stdout, /^\/dev\/pts\/\d+/m, `ssh -tt gives a terminal: ${tty.stdout}${tty.stderr}`);

    // A failing command fails with the guest's journal in the message.
    const failing = guest.must('echo on stdout; exit 3', { quiet: true });
    await assert.rejects(failing, /exited 3[\s\S]*on stdout[\s\S]*--- journal/);
    // A command that hangs (a registry that does not answer) is stopped at its time limit.
    const hanging = Date.now();
    await assert.rejects(guest.must('sleep 60', { quiet: true, timeoutMs: 2000 }), /did not finish within 2 s/);
    assert.ok(Date.now() - hanging < 15_000, 'stopped at the limit');

    // Reboot: the same disk, a fresh /run, systemd from scratch (one boot more in the journal).
    await guest.must('echo before > /run/vm-smoke && echo before > /var/tmp/vm-smoke');
    const bootsBefore = (await guest.must('journalctl --list-boots --no-pager -q | wc -l')).trim();
    await guest.reboot();
    assert.equal((await guest.run('test -e /run/vm-smoke')).code, 1, '/run is new after the reboot');
    assert.equal((await guest.readFile('/var/tmp/vm-smoke')).trim(), 'before', 'the disk is kept');
    const bootsAfter = (await guest.must('journalctl --list-boots --no-pager -q | wc -l')).trim();
    assert.equal(bootsAfter, String(Number(bootsBefore) + 1), 'one boot more in the journal');
    assert.equal((await guest.must('ps -p 1 -o comm=')).trim(), 'systemd');
    assert.equal((await guest.must('whoami', { user: 'vmsmoke' })).trim(), 'vmsmoke');
    assert.equal(guest.boots, 2);

    await guest.destroy();
    assert.deepEqual(leftovers(), [], 'nothing of the guest is left');
    assert.equal(ipForward(), ipForwardBefore, 'ip_forward is as it was');
  });
}

vmTest('faults: a guest without init and one whose sshd never answers fail in time, explained', async () => {
  // This one on a copy of the tree, the other disk the harness can give.
  const noInit = await createGuest('bookworm', { disk: 'copy', timeouts: { bootMs: 30_000 } });
  try {
    rmSync(join(noInit.tree, 'usr/lib/systemd/systemd'));
    const t0 = Date.now();
    await assert.rejects(noInit.start(), /nspawn exited[\s\S]*--- console/);
    assert.ok(Date.now() - t0 < 30_000, 'the failure is seen when nspawn exits, not at the time limit');
  } finally {
    await noInit.destroy();
  }

  const noSsh = await createGuest('trixie', { timeouts: { bootMs: 15_000 } });
  try {
    rmSync(join(noSsh.tree, 'etc/systemd/system/multi-user.target.wants/ssh.service'));
    const t0 = Date.now();
    await assert.rejects(noSsh.start(), /sshd did not answer within 15 s[\s\S]*--- journal \(tail\) ---\n\S/);
    assert.ok(Date.now() - t0 < 30_000, 'the time limit holds');
  } finally {
    await noSsh.destroy();
  }
  assert.deepEqual(leftovers(), []);
});

vmTest('two guests of one suite at once: their own indexes, addresses and machine names', async (t) => {
  const [first, second] = await Promise.all([bootGuest(t, 'trixie'), bootGuest(t, 'trixie', { hostname: 'second' })]);
  assert.notEqual(first!.address, second!.address);
  assert.equal((await first!.must('hostname')).trim(), 'trixie-vm');
  assert.equal((await second!.must('hostname')).trim(), 'second');
  // Each reaches the outside through its own NAT.
  await Promise.all([first!, second!].map((guest) => guest.must('getent hosts deb.debian.org')));
  await Promise.all([first!.destroy(), second!.destroy()]);
  assert.deepEqual(leftovers(), []);
});

vmTest('nothing of the harness is left on the machine', async () => {
  assert.deepEqual(leftovers(), []);
  log(`vm smoke test: ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
});
