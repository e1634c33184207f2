// Issue 19, the exports on real machines: Debian 12 and 13 guests booted with systemd (guest.ts),
// with nothing on them but debootstrap's minbase and ssh (no Python, no nginx).
//   ansible  one inventory with two Debian 12 guests and a Debian 13 one, the exported playbook of
//            each platform applied over ssh as root with the harness's key, both playbooks at the
//            same time; Debian 12's is the teacher's case, one ansible-playbook run over two hosts
//            (exported with --uwsgi-from wheel: no compile, and the wheel's path proven by Ansible
//            too; Debian 13's compiles uWSGI as the guide does): the first run succeeds and all
//            three pages answer from the host, the second reports changed=0 failed=0 for each
//            host, a third with --check --diff has nothing to change and shows no diff
//   shell    the exported script copied to a fresh guest and run as root: the page answers; run
//            again it says "nothing to change", and nothing did: every file's and directory's
//            mtime, the uWSGI service's main pid and start time, nginx's master and workers (a
//            reload would start new workers) are the same
// `export` runs on the host, which has no account e2evmexp (as a teacher's laptop has no `student`):
// the exports make it in the guests, with the home and group their adduser gives.
// Run: `E2E_ALLOW_SYSTEM_CHANGES=1 npm run test:vm` as root (CI=true works too).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { log, q, removeUser, sh } from '../e2e/machine.js';
import { ansiblePlaybook, closeControlMasters, exportOnHost, recap } from './exports.js';
import { SUITES, bootGuest, ensureTree, sshKey, timed, vmTest, type Guest, type Suite } from './guest.js';
import { assertPage } from './page.js';

const USER = 'e2evmexp';
const APP = { name: 'fleet', server: 'fleet.test', processes: 2, port: 8093 };
const PLATFORM: Record<Suite, string> = { bookworm: 'debian-12', trixie: 'debian-13' };

/** `export --format FORMAT` for the platform of `suite`, into DIR/FORMAT-PLATFORM; returns that directory. */
function exportFor(format: 'ansible' | 'shell', suite: Suite, dir: string, more: string[] = []): string {
  const out = join(dir, `${format}-${PLATFORM[suite]}`);
  const answers = ['--lang', 'en', '--user', USER, '--app-name', APP.name, '--server-name', APP.server];
  answers.push('--processes', String(APP.processes), '--test-port', String(APP.port), ...more);
  exportOnHost(format, PLATFORM[suite], answers, out, join(dir, 'state'));
  return out;
}

/** A work directory on the host, which must not have the app's account: export does without it. */
async function hostSide(t: TestContext): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'vm-export-'));
  await removeUser(USER); // an older version of this test made it here
  assert.notEqual(sh(`id -u ${q(USER)}`).code, 0, `no account ${USER} on the host`);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The teacher's case: how many machines of one platform one playbook run sets up. */
const SAME_PLATFORM: Record<Suite, number> = { bookworm: 2, trixie: 1 };
/** Exported with --uwsgi-from wheel: pip's prebuilt uWSGI, no compile (the bookworm pair). */
const WHEEL: Record<Suite, boolean> = { bookworm: true, trixie: false };

vmTest('the trees of both suites are built or taken from the cache', async () => {
  await timed('trees bookworm + trixie', () =>
    Promise.all((Object.keys(SUITES) as Suite[]).map((suite) => ensureTree(suite))),
  );
});

vmTest(
  'ansible: the exported playbooks over ssh, one inventory, two Debian 12 guests in one run and a Debian 13 at once',
  async (t) => {
    const dir = await hostSide(t);
    const suites = Object.keys(SUITES) as Suite[];
    const hosts = suites.flatMap((suite) =>
      Array.from({ length: SAME_PLATFORM[suite] }, (_, i) => ({ suite, name: i === 0 ? suite : `${suite}-${i + 1}` })),
    );
    const guests = await Promise.all(hosts.map((host) => bootGuest(t, host.suite, { hostname: host.name })));
    assert.notEqual((await guests[0]!.run('command -v python3')).code, 0, 'no Python in the guest to begin with');

    // What a person writes: the machines, how to reach them (root, the harness's key), one group per platform.
    const inventory = join(dir, 'fleet.ini');
    const groups = suites.map((suite) => [
      `[${group(suite)}]`,
      ...hosts.flatMap((host, i) => (host.suite === suite ? [`${host.name} ansible_host=${guests[i]!.address}`] : [])),
    ]);
    writeFileSync(
      inventory,
      [
        ...groups.flat(),
        '[all:vars]',
        'ansible_user=root',
        `ansible_ssh_private_key_file=${sshKey()}`,
        "ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'",
        '',
      ].join('\n'),
    );
    const playbooks = Object.fromEntries(
      suites.map((suite) => [suite, exportFor('ansible', suite, dir, WHEEL[suite] ? ['--uwsgi-from', 'wheel'] : [])]),
    );
    // ansible's own state (temporary files, ssh's control sockets) in the work directory, not root's home.
    const ansibleHome = join(dir, 'ansible-home');
    t.after(() => closeControlMasters(ansibleHome));

    /** Each platform's playbook on its own group (one run for all its hosts), both at once; outputs by host. */
    const apply = (label: string, more: string[] = []) =>
      timed(label, async () => {
        const runs = await Promise.all(
          suites.map((suite) =>
            ansiblePlaybook(
              ansibleHome,
              ['-i', inventory, '--limit', group(suite), join(playbooks[suite]!, 'playbook.yml'), ...more],
              `${suite} ansible│ `,
            ),
          ),
        );
        return Object.fromEntries(
          hosts.map((host) => {
            const run = runs[suites.indexOf(host.suite)]!;
            assert.equal(run.code, 0, `${label} on ${host.suite} exits 0:\n${run.stdout.slice(-3000)}${run.stderr}`);
            return [host.name, { output: run.stdout, counts: recap(run.stdout)[host.name] }];
          }),
        );
      });

    const first = await apply('ansible first run (all three guests)');
    for (const { name } of hosts) {
      log(`${name} first run: ${JSON.stringify(first[name]!.counts)}`);
      assert.equal(first[name]!.counts?.failed, 0, `${name}: failed=0`);
      assert.ok((first[name]!.counts?.changed ?? 0) > 0, `${name}: the first run changed the machine`);
    }
    for (const guest of guests) await assertPage(guest, APP.server, 15_000);
    for (const [i, guest] of guests.entries()) {
      const venv = `/home/${USER}/${APP.name}/${APP.name}env`;
      const uwsgi = WHEEL[hosts[i]!.suite] ? 'pyuwsgi' : 'uWSGI';
      assert.match(await guest.must(`${venv}/bin/pip show ${uwsgi}`), new RegExp(`^Name: ${uwsgi}$`, 'm'));
      assert.equal((await guest.must(`systemctl is-enabled ${APP.name}`)).trim(), 'enabled');
      assert.equal(
        (await guest.must(`stat -c '%F %a %G' /run/${APP.name}/${APP.name}.sock`)).trim(),
        'socket 664 www-data',
      );
    }

    const second = await apply('ansible second run (all three guests)');
    for (const { name } of hosts) {
      const counts = second[name]!.counts;
      log(`${name} second run: ${JSON.stringify(counts)}`);
      assert.deepEqual(
        { changed: counts?.changed, failed: counts?.failed },
        { changed: 0, failed: 0 },
        `${name}: the second run reports changed=0 failed=0`,
      );
    }

    const third = await apply('ansible third run, --check --diff (all three guests)', ['--check', '--diff']);
    for (const { name } of hosts) {
      log(`${name} --check --diff: ${JSON.stringify(third[name]!.counts)}`);
      assert.equal(third[name]!.counts?.changed, 0, `${name}: --check --diff finds nothing to change`);
      assert.equal(third[name]!.counts?.failed, 0, `${name}: --check --diff fails nowhere`);
      assert.doesNotMatch(third[name]!.output, /^[-+]{3} (before|after)/m, `${name}: and shows no diff`);
    }
    for (const guest of guests) await assertPage(guest, APP.server);
  },
  { timeout: 45 * 60_000 },
);

vmTest(
  'shell: the exported script on a fresh Debian 13 guest sets the app up, and a second run changes nothing',
  async (t) => {
    const suite: Suite = 'trixie';
    const dir = await hostSide(t);
    const script = join(exportFor('shell', suite, dir), 'setup.sh');
    const guest = await bootGuest(t, suite);
    await guest.copyIn(script, '/root/setup.sh', { owner: 'root:root', mode: '700' });

    const first = await timed('shell export, first run', () =>
      guest.must('sh /root/setup.sh 2>&1', { echo: `${suite} sh│ `, timeoutMs: 25 * 60_000 }),
    );
    assert.match(first, /uwsgi-nginx-guide export: done, changes made/, 'the first run says it changed the machine');
    await assertPage(guest, APP.server, 15_000);
    const before = await snapshot(guest);
    log(before);

    const second = await timed('shell export, second run', () =>
      guest.must('sh /root/setup.sh 2>&1', { echo: `${suite} sh│ `, timeoutMs: 5 * 60_000 }),
    );
    assert.match(second, /uwsgi-nginx-guide export: nothing to change/, 'the second run says nothing changed');
    assert.doesNotMatch(second, /==>|wrote /, 'it ran no command and wrote no file');
    assert.equal(await snapshot(guest), before, 'mtimes, the service and nginx processes are those of the first run');
    await assertPage(guest, APP.server);
  },
  { timeout: 30 * 60_000 },
);

/** The inventory group of a suite's guests: its platform's name as Ansible allows it. */
function group(suite: Suite): string {
  return PLATFORM[suite].replace('-', '_');
}

/**
 * What a second run must leave as it was: the mtime of every file and directory the plan makes (the
 * nginx link's own), the uWSGI service's main pid and start time, nginx's master and its workers.
 */
async function snapshot(guest: Guest): Promise<string> {
  const dir = `/home/${USER}/${APP.name}`;
  const paths = [
    `/home/${USER}`,
    dir,
    `${dir}/wsgi.py`,
    `${dir}/${APP.name}.ini`,
    `${dir}/${APP.name}env`,
    `${dir}/${APP.name}env/bin/uwsgi`,
    `/etc/systemd/system/${APP.name}.service`,
    `/etc/nginx/sites-available/${APP.name}`,
    `/etc/nginx/sites-enabled/${APP.name}`,
  ];
  return (
    await guest.must(
      `stat -c '%n %y' ${paths.join(' ')}` +
        ` && systemctl show -p MainPID -p ExecMainStartTimestamp ${APP.name} nginx` +
        ' && echo "nginx workers: $(pgrep -d " " -P "$(systemctl show -p MainPID --value nginx)")"',
      { quiet: true },
    )
  ).trim();
}
