// A run killed while apt installed leaves apt, and dpkg under it, running on their own, and its run
// lock naming the dead wizard and that command's process group (issue 21). The next wizard takes a
// dead wizard's lock over and stops the command it left, but never one that installs packages: cut
// off, dpkg is left half-done ("dpkg was interrupted"). It refuses as busy (75), says why and to
// wait, and signals nothing; apt finishes and dpkg is whole.
// The lock is written as the killed wizard left it, around a real `apt-get install --reinstall` of a
// tiny package, kept at work with a dpkg hook of the suite's own (removed after, also on failure).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processStart } from '../../src/exec/proc.js';
import {
  createServiceUser,
  EXIT_BUSY,
  ensurePackageInstalled,
  heading,
  holdRunLock,
  log,
  lockContent,
  machineTest,
  packageInstalled,
  processRunning,
  RUN_LOCK,
  removeAppsAndUser,
  runWizard,
  sh,
  testApp,
  waitUntil,
} from './machine.js';

const APP = testApp('e2eorphapt', 'e2eorphapp', 'e2eorph.example', 8096);
/** Tiny (6 kB installed), and needed by nothing else the suite runs meanwhile. */
const PACKAGE = 'python3-venv';
/** dpkg runs this after each of its runs for apt: seconds in which the install is still at work. */
const SLOW_DPKG = '/etc/dpkg/dpkg.cfg.d/zz-e2e-orphan-apt';

machineTest(
  "a killed run's apt still installing: the next wizard refuses as busy and signals nothing; dpkg stays whole",
  async (t, { dir, stateOf }) => {
    heading("a dead wizard's lock naming an apt that still installs; the wizard started again");
    await removeAppsAndUser(APP.user, [APP.name]);
    createServiceUser(APP.user);

    // The dead wizard: a process of the suite's own that holds the lock as a wizard does, then ends.
    const owner = spawn('sleep', ['600'], { stdio: 'ignore' });
    const releaseLock = await holdRunLock(owner.pid!);
    let apt: ChildProcess | undefined;
    let aptEnded: Promise<number | null> | undefined;
    t.after(async () => {
      // apt is never cut off, not even here: the hook goes, so that it ends soon, and it is waited for.
      rmSync(SLOW_DPKG, { force: true });
      // The timer must not keep the suite alive once apt has ended.
      const limit = new Promise((resolve) => setTimeout(resolve, 10 * 60_000).unref());
      if (aptEnded) await Promise.race([aptEnded, limit]);
      owner.kill('SIGKILL');
      releaseLock();
      ensurePackageInstalled(PACKAGE);
      await removeAppsAndUser(APP.user, [APP.name]);
    });

    writeFileSync(SLOW_DPKG, '# e2e: keep dpkg at work a while after each run (orphan-apt)\npost-invoke=sleep 15\n');
    // The command the killed wizard started, as it starts one: a shell in a process group of its own,
    // its output to a file (the wizard that read it is gone).
    const output = openSync(join(dir, 'apt.log'), 'w');
    const command = `DEBIAN_FRONTEND=noninteractive apt-get install --reinstall -y ${PACKAGE}`;
    apt = spawn('/bin/sh', ['-c', command], { detached: true, stdio: ['ignore', output, output] });
    closeSync(output);
    aptEnded = new Promise((resolve) => apt!.on('exit', (code) => resolve(code)));
    const group = apt.pid!;
    appendFileSync(RUN_LOCK, `${group} ${processStart(group)}\n`);
    owner.kill('SIGKILL');
    await waitUntil(() => processStart(owner.pid!) === undefined, 5_000);
    assert.ok(await waitUntil(() => processRunning('dpkg'), 120_000, 50), 'dpkg is at work for the left apt');
    const lockBefore = readFileSync(RUN_LOCK, 'utf8');
    log(`${RUN_LOCK}: ${JSON.stringify(lockBefore)} (owner ${owner.pid} is dead; group ${group} runs apt)`);
    assert.equal(lockContent()?.command?.pid, group);

    const answers = APP.answers.filter((word, i, all) => word !== '--lang' && all[i - 1] !== '--lang');
    for (const lang of ['en', 'ja'] as const) {
      const run = await runWizard(['--yes', '--lang', lang, ...answers], {
        env: stateOf(`orphan-${lang}`),
        once: true,
        limitMs: 60_000,
      });
      assert.ok(processRunning('dpkg') || processStart(group) !== undefined, 'apt was still at work meanwhile');
      assert.equal(run.code, EXIT_BUSY, `${lang}: refused as busy (${EXIT_BUSY}); it exited ${run.code ?? run.signal}`);
      const said =
        lang === 'en'
          ? new RegExp(
              `\\(process group ${group}\\) is still installing packages with apt or dpkg\\. It is not stopped` +
                '.*\nTry: wait for the package manager to finish .*, then run again\\.',
              's',
            )
          : new RegExp(
              `\\(プロセスグループ ${group}\\) が、まだ apt か dpkg でパッケージを入れています。` +
                '.*\n次を試してください: パッケージマネージャーが終わるのを待ってから',
              's',
            );
      assert.match(run.stderr, said, `${lang}: says why, and to wait`);
      assert.doesNotMatch(run.stderr, /was stopped|を止めました/, `${lang}: nothing is said to be stopped`);
      assert.doesNotMatch(run.stdout, /^\$ /m, `${lang}: no command ran`);
      assert.doesNotMatch(run.stderr, /bug/i, `${lang}: not taken for a bug`);
      assert.equal(readFileSync(RUN_LOCK, 'utf8'), lockBefore, `${lang}: the lock is left as it was`);
    }

    log('(waiting for the left apt to finish on its own)');
    const code = await aptEnded;
    log(readFileSync(join(dir, 'apt.log'), 'utf8'));
    assert.equal(code, 0, 'the left apt was not cut off: it ended by itself, exit 0');
    const audit = sh('dpkg --audit');
    log(`$ dpkg --audit → exit ${audit.code}: ${audit.stdout.trim() || '(nothing)'}`);
    assert.equal(audit.stdout.trim(), '', 'dpkg --audit finds nothing half-done');
    assert.ok(packageInstalled(PACKAGE), `${PACKAGE} is installed`);
  },
);
