// Issue 19's bench: a fresh server set up three ways, on the same kind of machine, times side by side.
// Each run gets a guest of its own (test/vm/guest.ts: a fresh Debian from debootstrap's minbase, with
// systemd, ssh and nothing else), booted one after the other so that no two share the 2 cores:
//   wizard --yes   the standalone executable copied in, run as root (the wizard's unattended run)
//   playbook       the exported playbook, ansible-playbook from the host over ssh (as the teacher does)
//   shell export   the exported setup.sh copied in, `sh setup.sh` as root
// each with the guide's `pip install uwsgi` (compiled) and with `--uwsgi-from wheel`. The clock
// runs from the command's start to its end (the copy in, the export on the host and the boot are
// outside), and the page must answer through nginx afterwards. The app's account is made in every
// guest beforehand (the wizard wants one; the exports then find it). The wizard also runs what the
// exports leave out: the guide's test server (started on its port, looked at, stopped) and its
// checks after each step. apt downloads every package from the network each time: one run per cell,
// as noisy as the network. Not part of CI; it holds the machine lock for about 15 minutes:
//   npm run build && E2E_ALLOW_SYSTEM_CHANGES=1 flock /tmp/machine.lock \
//     node --test --test-reporter=spec dist/bench/vm-fresh.js      # BENCH_VM_SUITE=bookworm for Debian 12
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log } from '../test/e2e/machine.js';
import { ansiblePlaybook, closeControlMasters, exportOnHost, recap } from '../test/vm/exports.js';
import { createGuest, sshKey, vmTest, type Guest, type Suite } from '../test/vm/guest.js';
import { EXECUTABLE, IN_GUEST, assertPage } from '../test/vm/page.js';

const SUITE: Suite = process.env.BENCH_VM_SUITE === 'bookworm' ? 'bookworm' : 'trixie';
const PLATFORM: Record<Suite, string> = { bookworm: 'debian-12', trixie: 'debian-13' };
const USER = 'demo';
const APP = { name: 'benchapp', server: 'bench.test' };
const WAYS = ['wizard --yes', 'playbook', 'shell export'] as const;
type Way = (typeof WAYS)[number];
const UWSGI_FROM = ['source', 'wheel'] as const;
type UwsgiFrom = (typeof UWSGI_FROM)[number];

const ANSWERS = ['--lang', 'en', '--user', USER, '--app-name', APP.name, '--server-name', APP.server];

vmTest(
  `bench: a fresh ${SUITE} set up by the wizard, the playbook and the shell export, uWSGI compiled and from the wheel`,
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vm-bench-'));
    const seconds = new Map<string, number>();
    try {
      for (const uwsgiFrom of UWSGI_FROM) {
        for (const way of WAYS) {
          const taken = await freshRun(way, uwsgiFrom, dir);
          seconds.set(`${way} ${uwsgiFrom}`, taken);
          log(`bench: ${way}, uWSGI ${uwsgiFrom}: ${taken.toFixed(1)} s`);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const cell = (way: Way, from: UwsgiFrom) => `${seconds.get(`${way} ${from}`)!.toFixed(1)} s`;
    const rows = WAYS.map(
      (way) => `| ${way.padEnd(12)} | ${cell(way, 'source').padStart(8)} | ${cell(way, 'wheel').padStart(7)} |`,
    );
    log(
      [
        `fresh ${PLATFORM[SUITE]} guest, to the page answering (one run each):`,
        '|              | compiled |   wheel |',
        '| ------------ | -------: | ------: |',
        ...rows,
      ].join('\n'),
    );
  },
  { timeout: 120 * 60_000 },
);

/** One fresh guest set up `way`; the seconds its command took. The guest is removed, pass or fail. */
async function freshRun(way: Way, uwsgiFrom: UwsgiFrom, dir: string): Promise<number> {
  const name = `${way.split(' ')[0]}-${uwsgiFrom}`;
  const answers = [...ANSWERS, ...(uwsgiFrom === 'wheel' ? ['--uwsgi-from', 'wheel'] : [])];
  const guest = await createGuest(SUITE, { hostname: `bench-${name}` });
  const ansibleHome = join(dir, `ansible-${name}`);
  try {
    await guest.start();
    await guest.createUser(USER, { homeMode: '700' });
    const run = await prepare(way, guest, answers, join(dir, name), ansibleHome);
    const started = performance.now();
    await run();
    const taken = (performance.now() - started) / 1000;
    await assertPage(guest, APP.server, 15_000);
    return taken;
  } finally {
    closeControlMasters(ansibleHome);
    await guest.destroy();
  }
}

/** Everything before the clock starts (the export, the copy in); resolves with the timed command. */
async function prepare(
  way: Way,
  guest: Guest,
  answers: string[],
  out: string,
  ansibleHome: string,
): Promise<() => Promise<unknown>> {
  const echo = `${way}│ `;
  if (way === 'wizard --yes') {
    await guest.copyIn(EXECUTABLE, IN_GUEST, { owner: 'root:root', mode: '755' });
    return () => guest.must(`${IN_GUEST} --yes ${answers.join(' ')} 2>&1`, { echo, timeoutMs: 25 * 60_000 });
  }
  const format = way === 'playbook' ? 'ansible' : 'shell';
  exportOnHost(format, PLATFORM[SUITE], answers, out, join(out, 'state'));
  if (way === 'shell export') {
    await guest.copyIn(join(out, 'setup.sh'), '/root/setup.sh', { owner: 'root:root', mode: '700' });
    return () => guest.must('sh /root/setup.sh 2>&1', { echo, timeoutMs: 25 * 60_000 });
  }
  const inventory = join(out, 'hosts.ini');
  writeFileSync(
    inventory,
    [
      `${guest.hostname} ansible_host=${guest.address} ansible_user=root ansible_ssh_private_key_file=${sshKey()}`,
      "[all:vars]\nansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'",
      '',
    ].join('\n'),
  );
  return async () => {
    const run = await ansiblePlaybook(ansibleHome, ['-i', inventory, join(out, 'playbook.yml')], echo);
    assert.equal(run.code, 0, `the playbook exits 0:\n${run.stdout.slice(-3000)}${run.stderr}`);
    assert.equal(recap(run.stdout)[guest.hostname]?.failed, 0, 'failed=0');
  };
}
