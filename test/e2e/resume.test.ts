// Issue 4 for real: a half-finished installation, however it was left, is picked up. A run killed
// with SIGKILL in the middle of `pip install uwsgi`; the guide followed by hand with no progress
// file at all; a file the wizard wrote deleted afterwards; a corrupt and a future-version
// progress file; a second wizard while one holds the run lock.
//
// It changes the machine, so it refuses to run unless it is root and CI=true or
// E2E_ALLOW_SYSTEM_CHANGES=1. Only names of its own are used (user e2eres, apps e2ekill and
// e2ehand, test ports 8301 and 8302), each test with a state directory (XDG_STATE_HOME) of its own.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertCompleted,
  assertPageAnswers,
  createServiceUser,
  EXIT_BUSY,
  firstStep,
  followGuideByHand,
  groupMembers,
  heading,
  holdRunLock,
  lockOwner,
  log,
  machineTest,
  must,
  q,
  regexLiteral,
  removeAppsAndUser,
  RUN_LOCK,
  runWizard,
  statesOf,
  statusJson,
  statusLines,
  STEP_IDS,
  testApp,
  timingTable,
  waitUntil,
  type WizardRun,
} from './machine.js';
import { parseRunLock } from '../../src/exec/run-lock.js';
const USER = 'e2eres';

/** Killed during pip, then run again; later its ini is deleted, and its state directory gets bad progress files. */
const KILL = testApp(USER, 'e2ekill', 'kill.resume.e2e.test', 8301);
/** Set up by hand up to the uWSGI install, then handed to the wizard. */
const HAND = testApp(USER, 'e2ehand', 'hand.resume.e2e.test', 8302);

/** Plain output: the pip command of the uwsgi step. */
const PIP_LINE = /^\$ .*\/pip install\b/m;

/** A run that went on, whatever the progress file held: never the "internal error" of a crash. */
function assertNoCrash(run: WizardRun): void {
  assert.notEqual(run.code, 70, `no internal error; stderr:\n${run.stderr}`);
  assert.doesNotMatch(run.stderr, /internal error|TypeError|SyntaxError|at .*\.js:\d+/, 'no stack trace');
}

machineTest('end-to-end: resume a half-finished installation (issue 4)', async (t, { dir: work, stateOf }) => {
  const KILL_STATE = stateOf('kill');
  /** The killed wizard and the process group of the command it left running. */
  let killed: { pid: number; group: number } | undefined;

  const cleanUp = async (when: string) => {
    heading(`clean-up (${when})`);
    // The pip a killed run left behind runs as e2eres (under a root sh and runuser): it goes with the user's processes.
    await removeAppsAndUser(USER, [KILL.name, HAND.name]);
    if (killed) {
      const left = groupMembers(killed.group);
      if (left.length > 0)
        log(`cleanup: the killed run's process group ${killed.group} still has ${left.map((p) => p.pid).join(' ')}`);
      // Its stale lock would be taken over by the next wizard anyway; remove it when it is ours and nothing of it runs.
      if (lockOwner() === killed.pid && left.length === 0) {
        log(`cleanup: removing ${RUN_LOCK}, left by the wizard this suite killed (pid ${killed.pid})`);
        rmSync(RUN_LOCK, { force: true });
      }
    }
  };
  await cleanUp('before');
  t.after(() => cleanUp('after'));

  createServiceUser(USER);

  let killInstalled = false;
  let handInstalled = false;

  await t.test(
    '1. killed with SIGKILL during `pip install uwsgi`, then started again: the command it left running is stopped, the run finishes (exit 0), the page answers',
    async () => {
      heading(`1. ${KILL.name}: kill -9 the wizard while pip builds uWSGI, then the same answers again`);
      let lockWhenKilled = '';
      const first = await runWizard(['--yes', ...KILL.answers], {
        env: KILL_STATE,
        onLine: (text, wizard) => {
          if (!PIP_LINE.test(text) || lockWhenKilled) return;
          lockWhenKilled = '(pending)';
          // A few seconds into the build: pip and the compiler are at work.
          setTimeout(() => {
            lockWhenKilled = readFileSync(RUN_LOCK, 'utf8');
            log(`(the suite: ${RUN_LOCK} holds ${JSON.stringify(lockWhenKilled)}; kill -9 ${wizard.pid})`);
            wizard.kill('SIGKILL');
          }, 5000);
        },
      });
      log(`\n${timingTable('1a. the run killed during pip', first)}`);
      assert.match(first.stdout, PIP_LINE, 'the run reached `pip install uwsgi`');
      assert.equal(first.signal, 'SIGKILL', `the wizard was killed (it ended with ${first.code ?? first.signal})`);

      // The lock names the dead wizard and the command's process group, which still builds uWSGI.
      const named = parseRunLock(lockWhenKilled);
      const said = JSON.stringify(lockWhenKilled);
      assert.equal(named?.owner.pid, first.pid, `the run lock named the killed wizard: ${said}`);
      const group = named?.command?.pid ?? 0;
      assert.ok(group > 0, `the run lock named the running command's process group: ${JSON.stringify(lockWhenKilled)}`);
      killed = { pid: first.pid!, group };
      const orphans = groupMembers(group);
      log(
        `left running in process group ${group}:\n${orphans.map((p) => `  ${p.pid} ${p.cmdline.slice(0, 140)}`).join('\n')}`,
      );
      assert.ok(
        orphans.some((p) => /pip install --verbose uwsgi/.test(p.cmdline)),
        'the pip of the killed run goes on building without its wizard',
      );

      const second = await runWizard(['--yes', ...KILL.answers], { env: KILL_STATE });
      log(`\n${timingTable('1b. the same answers again', second)}`);
      assert.match(
        second.stderr,
        new RegExp(
          `^A command left running by an earlier, killed run \\(process group ${group}\\) was stopped\\.$`,
          'm',
        ),
        `the run says it stopped the command left running; stderr:\n${second.stderr}`,
      );
      assertCompleted(second, 'the second run');
      // The killed step was not taken as done: its pip ran again, from the start of the step.
      assert.equal(
        statusLines(second).get('virtualenv'),
        '✓ already done',
        'the virtualenv made before the kill is found in place',
      );
      assert.equal(firstStep(second), 'uwsgi', 'the run begins at the step that was killed');
      assert.match(second.stdout, PIP_LINE, 'uWSGI is installed again');
      assert.deepEqual(groupMembers(group), [], `nothing of process group ${group} runs any more`);
      assertPageAnswers(KILL.server);
      killInstalled = true;
    },
  );

  await t.test(
    '2. the guide followed by hand up to the uWSGI install, no progress file: status shows concepts…uwsgi done and wsgi-app to do; the wizard starts at wsgi-app and completes',
    async () => {
      heading(`2. ${HAND.name}: mkdir, venv and pip install uwsgi by hand, as ${USER}; then status and the wizard`);
      followGuideByHand(USER, HAND.name, HAND.dir);
      const env = stateOf('hand');
      const progress = join(env.XDG_STATE_HOME, 'uwsgi-nginx-guide', 'progress.json');
      assert.ok(!existsSync(progress), 'there is no progress file');

      const { run, report } = await statusJson(HAND.answers, env);
      log(`status: ${statesOf(report).join(', ')}`);
      assert.equal(run.code, 1, 'status exits 1: not every step is done');
      assert.equal(report.complete, false);
      const handDone = STEP_IDS.slice(0, STEP_IDS.indexOf('uwsgi') + 1);
      assert.deepEqual(
        statesOf(report),
        STEP_IDS.map((id) => `${id} ${handDone.includes(id) ? 'done' : 'todo'}`),
        'concepts, wsgi-spec, packages, virtualenv and uwsgi are done (found on the machine); wsgi-app and everything after it is to do',
      );
      assert.ok(!existsSync(progress), 'status changed nothing: still no progress file');

      const wizard = await runWizard(['--yes', ...HAND.answers], { env });
      log(`\n${timingTable('2. the wizard after the hand-made start', wizard)}`);
      assertCompleted(wizard, 'the wizard');
      assert.equal(firstStep(wizard), 'wsgi-app', 'the first "== Step" line is wsgi-app\'s');
      assert.doesNotMatch(wizard.stdout, PIP_LINE, 'no `pip install` runs');
      const reported = statusLines(wizard);
      for (const id of handDone)
        assert.equal(reported.get(id), '✓ already done', `step ${id} is reported already done`);
      assertPageAnswers(HAND.server);
      handInstalled = true;
    },
  );

  await t.test(
    '3. after a full run, APP.ini deleted: status shows ini "changed" (exit 1); the wizard run again puts it back and status is complete (exit 0)',
    async (st) => {
      if (!killInstalled) return st.skip('test 1 did not complete its installation');
      heading(`3. ${KILL.name}: rm ${KILL.dir}/${KILL.name}.ini`);
      const ini = `${KILL.dir}/${KILL.name}.ini`;
      must(`rm ${q(ini)}`);

      const before = await statusJson(KILL.answers, KILL_STATE);
      log(`status: ${statesOf(before.report).join(', ')}`);
      assert.equal(before.run.code, 1, 'status exits 1');
      assert.equal(before.report.complete, false);
      assert.deepEqual(
        statesOf(before.report),
        STEP_IDS.map((id) => `${id} ${id === 'ini' ? 'changed' : 'done'}`),
        'ini was recorded done and its result is gone: changed; every other step is still done',
      );

      const again = await runWizard(['--yes', ...KILL.answers], { env: KILL_STATE });
      log(`\n${timingTable('3. the wizard after the ini was deleted', again)}`);
      assertCompleted(again, 'the wizard');
      assert.equal(firstStep(again), 'ini', 'the run begins at the changed step');
      assert.ok(existsSync(ini), `${ini} is back`);

      const after = await statusJson(KILL.answers, KILL_STATE);
      log(`status: ${statesOf(after.report).join(', ')}`);
      assert.equal(after.run.code, 0, 'status exits 0');
      assert.equal(after.report.complete, true);
      assert.deepEqual(
        statesOf(after.report),
        STEP_IDS.map((id) => `${id} done`),
      );
      assertPageAnswers(KILL.server);
    },
  );

  await t.test(
    '4. a corrupt and a future-version progress file are reported as ignored and the run goes on; a second wizard while the lock is held is refused (exit 75)',
    async (st) => {
      const target = killInstalled ? KILL : handInstalled ? HAND : undefined;
      if (!target) return st.skip('no installation completed (tests 1 and 2 failed)');
      heading(`4. bad progress files for ${target.name}, and a second wizard`);
      const cases: { name: string; content: string; reason: RegExp; app?: string }[] = [
        {
          name: 'corrupt',
          content: `{"version": 1, "answers": {"appName": "${target.name}", "user": "${USER}",`,
          reason: /it is not JSON \(cut short, or overwritten by something else\)/,
        },
        {
          name: 'future',
          content: `${JSON.stringify({ version: 99, answers: { appName: target.name, user: USER, appDir: target.dir }, steps: { concepts: { state: 'done', at: '2031-01-01T00:00:00Z' } }, layout: 'from a later wizard', updatedAt: '2031-01-01T00:00:00Z' }, null, 2)}\n`,
          reason: /it has version 99, this wizard reads version 1/,
          // What can be read of it is said, and that app is the one looked at (issue 15, item 9).
          app: `${target.name} (${USER}, ${target.dir})`,
        },
      ];
      for (const c of cases) {
        const env = stateOf(c.name);
        const dir = join(env.XDG_STATE_HOME, 'uwsgi-nginx-guide');
        const progress = join(dir, 'progress.json');
        const message = new RegExp(
          `^The progress file ${regexLiteral(progress)} was ignored: ${c.reason.source}\\. The machine itself is checked instead\\.` +
            (c.app !== undefined
              ? ` It was the record of the app ${regexLiteral(c.app)}: that app is the one looked at here\\.$`
              : '$'),
          'm',
        );
        const plant = () => {
          mkdirSync(dir, { recursive: true, mode: 0o700 });
          writeFileSync(progress, c.content);
        };

        plant();
        log(`\n${c.name} progress file ${progress}:\n${c.content}`);
        const status = await runWizard(['status', ...target.answers], { env, once: true, prefix: 'status│ ' });
        assertNoCrash(status);
        assert.match(
          status.stderr,
          message,
          `status names the ${c.name} file and why it was ignored; stderr:\n${status.stderr}`,
        );
        assert.equal(status.code, 0, 'status goes on and exits 0: the machine has every step');
        assert.match(status.stdout, /^Every step is done\.$/m);
        assert.equal(readFileSync(progress, 'utf8'), c.content, 'status changed nothing');
        const json = await runWizard(['status', '--json', ...target.answers], { env, once: true, prefix: 'status│ ' });
        assert.match(
          json.stderr,
          message,
          `status --json also says, on stderr, that the ${c.name} file was ignored; stderr:\n${json.stderr}`,
        );
        assert.equal(JSON.parse(json.stdout).complete, true, 'and its stdout stays pure JSON');

        const wizard = await runWizard(['--yes', ...target.answers], { env });
        assertNoCrash(wizard);
        assert.match(
          wizard.stderr,
          message,
          `the wizard names the ${c.name} file and why it was ignored; stderr:\n${wizard.stderr}`,
        );
        assertCompleted(wizard, `the wizard with the ${c.name} progress file`);
        const kept = readdirSync(dir).filter((name) => name.startsWith('progress.json.ignored-'));
        assert.equal(
          kept.length,
          1,
          `the ${c.name} file was moved aside, not overwritten; ${dir} holds ${readdirSync(dir).join(', ')}`,
        );
        assert.equal(readFileSync(join(dir, kept[0]!), 'utf8'), c.content, 'byte for byte');
        assert.match(
          wizard.stderr,
          new RegExp(
            `It was kept as ${join(dir, kept[0]!).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}; this run starts a new record\\.`,
          ),
          'and the person is told where',
        );
        log(
          `after the run, ${progress} holds a record of version ${JSON.parse(readFileSync(progress, 'utf8')).version}`,
        );
      }
      assertPageAnswers(target.server);

      // A second wizard while the lock is held: a live `sleep` stands in for the first one.
      heading('4. a second wizard while the run lock is held');
      const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
      const release = await holdRunLock(sleeper.pid!);
      try {
        log(`${RUN_LOCK} now names pid ${sleeper.pid} (a sleep of the suite's own)`);
        const env = stateOf('busy');
        const busy = await runWizard(['--yes', ...target.answers], { env, once: true });
        assert.equal(
          busy.code,
          EXIT_BUSY,
          `the second wizard exits ${EXIT_BUSY}; it exited ${busy.code ?? busy.signal}`,
        );
        assert.match(
          busy.stderr,
          new RegExp(`another uwsgi-nginx-guide is running on this machine \\(pid ${sleeper.pid}\\)`),
          `the message names the running one; stderr:\n${busy.stderr}`,
        );
        assert.equal(firstStep(busy), undefined, 'no step began');
        assert.doesNotMatch(busy.stdout, /^\$ /m, 'no command ran');
        assert.ok(!existsSync(env.XDG_STATE_HOME), 'it wrote nothing: no progress file, no transcript');
        assert.equal(lockOwner(), sleeper.pid, 'the lock still belongs to the first one');
      } finally {
        release();
        sleeper.kill();
      }
      assert.ok(await waitUntil(() => lockOwner() !== sleeper.pid, 5000), 'the lock was released');
      log(`state directories of this test: ${readdirSync(work).join(', ')}`);
    },
  );
});
