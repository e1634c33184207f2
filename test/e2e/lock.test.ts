// One wizard at a time, whoever runs it (issue 14): a run by another account keeps its own lock in
// a private directory, and takes root's lock, the machine's, through sudo before it changes
// anything. So a root run and a sudo run never overlap. A real account with a real sudo rule.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { after, before } from 'node:test';
import {
  CLI,
  EXIT_BUSY,
  heading,
  holdRunLock,
  lockHolder,
  log,
  machineTest,
  must,
  printScreen,
  q,
  refusal,
  removeAppsAndUser,
  runWizard,
  sh,
  Tmux,
  waitForRunLock,
  waitUntil,
} from './machine.js';

const USER = 'e2elocknp';
const SUDOERS = `/etc/sudoers.d/${USER}`;
const APP = 'e2elockapp';
const ANSWERS = ['--app-name', APP, '--user', USER, '--server-name', 'e2elock.example', '--web-group', 'www-data'];
const MORE = ['--processes', '2', '--test-port', '8094', '--app-dir', `/home/${USER}/${APP}`];

async function removeAccount(): Promise<void> {
  rmSync(SUDOERS, { force: true });
  // The app too, should a run that was to be refused have gone on.
  await removeAppsAndUser(USER, [APP]);
}

if (!refusal()) {
  before(async () => {
    if (sh('command -v sudo').code !== 0) must('apt-get install -y --no-install-recommends sudo', 300_000);
    if (sh('getent group www-data').code !== 0) must('addgroup --system www-data');
    await removeAccount();
    must(`adduser --disabled-password --gecos "" ${q(USER)}`);
    must(`chmod 700 /home/${USER}`);
    writeFileSync(SUDOERS, `${USER} ALL=NOPASSWD: ALL\n`, { mode: 0o440 });
    must(`visudo -cf ${q(SUDOERS)}`);
  });
  after(removeAccount);
}

/** The wizard as USER (NOPASSWD sudo), with everything it needs on the command line. */
function asUser(flags: string): string {
  const answers = [...ANSWERS, ...MORE].map(q).join(' ');
  const wizard = `${q(process.execPath)} ${q(CLI)}`;
  return `cd /tmp && runuser -u ${USER} -- env LANG=C.UTF-8 ${wizard} --lang en ${flags} ${answers}`;
}

machineTest("a sudo account's run holds root's lock through sudo: root's run is refused meanwhile", async (t) => {
  heading("a sudo account's wizard at its first step, and root's wizard started beside it");
  await waitForRunLock();
  const tmux = new Tmux(`e2elock${process.pid}`);
  t.after(() => tmux.killServer());
  tmux.start('w', `${asUser('--no-quiz')}; echo EXITED=$?; sleep 600`, 120, 40);
  const firstScreen = (s: string) => /\[Enter\] continue/.test(s);
  let screen = await tmux.waitFor('w', 'the first step (or where to continue)', firstScreen, 60_000);
  printScreen("the sudo account's wizard", screen);

  const holder = lockHolder();
  assert.ok(holder !== undefined, "root's lock is held");
  const args = sh(`ps -o user=,args= -p ${holder}`).stdout.trim();
  log(`root's lock is held by pid ${holder}: ${args}`);
  assert.match(args, /^root .*--hold-run-lock$/, 'by the holder, run as root through sudo');

  // Were it not refused, it would be stopped soon: the test is about the lock, not a whole run.
  const flags = ['--yes', '--lang', 'en', ...ANSWERS, ...MORE];
  const root = await runWizard(flags, { once: true, prefix: 'root│ ', limitMs: 60_000 });
  assert.equal(root.code, EXIT_BUSY, `root's wizard is refused; it exited ${root.code ?? root.signal}`);
  assert.match(root.stderr, new RegExp(`another uwsgi-nginx-guide is running on this machine \\(pid ${holder}\\)`));
  assert.match(root.stderr, /\nTry: wait for it to finish/);
  assert.doesNotMatch(root.stdout, /^\$ /m, 'no command ran');

  tmux.keys('w', 'q');
  screen = await tmux.waitFor('w', 'the end', (s) => /EXITED=\d+/.test(s), 30_000);
  printScreen('after quitting', screen);
  assert.ok(await waitUntil(() => lockHolder() === undefined, 10_000), 'the holder let go when the wizard ended');
  assert.equal(sh(`ps -p ${holder}`).code, 1, 'and it is gone');
});

machineTest("while root's wizard runs, a sudo account's run is refused after sudo, before any change", async () => {
  heading("root's lock held; the sudo account's wizard started");
  // A live `sleep` of the suite's own stands in for root's wizard.
  const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  const release = await holdRunLock(sleeper.pid!);
  try {
    const run = sh(`${asUser('--yes')} </dev/null`, 120_000);
    log(run.stdout + run.stderr);
    assert.equal(run.code, EXIT_BUSY, `refused (exit ${EXIT_BUSY}); it exited ${run.code}`);
    const busy = `another uwsgi-nginx-guide is running on this machine \\(pid ${sleeper.pid}\\)`;
    assert.match(run.stderr, new RegExp(busy));
    assert.doesNotMatch(run.stdout, /^\$ /m, 'no command ran');
    assert.ok(!readdirSync(`/home/${USER}`).includes(APP), 'nothing was made');
    // Its own lock, in its state directory (no runtime directory of its own under runuser), is let go.
    assert.ok(!existsSync(`/home/${USER}/.local/state/uwsgi-nginx-guide/run.lock`), 'its own lock was released');
  } finally {
    release();
    sleeper.kill();
  }
});
