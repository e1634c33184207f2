// The session drives the reducer through the System port. Here the port is a scripted fake: no
// command runs, no file is written, every probe answers from the script.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WriteFileError } from '../../src/engine/ports.js';
import { WizardSession } from '../../src/engine/session.js';
import type { Plan, Probe } from '../../src/engine/types.js';
import type { WizardEvent, WizardState } from '../../src/engine/wizard.js';
import { outputTail } from '../../src/engine/wizard.js';
import { failureReason, fileOutcomeText } from '../../src/ui/labels.js';
import {
  check,
  commandAction,
  commandsOf,
  FakeSystem,
  fileAction,
  planFor,
  planOf,
  sleep,
  step,
  waitFor,
} from '../helpers.js';

const POLL_MS = 2;

function startSession(plan: Plan, fake: FakeSystem, auto: boolean, log?: string[]) {
  const session = new WizardSession(plan, fake, {
    auto,
    pollMs: POLL_MS,
    transcript: log ? { write: (text) => log.push(text) } : undefined,
  });
  const finished = session.run();
  return { session, finished };
}

/** The run's end, or a failure naming the phase it hung in. */
async function settled(session: WizardSession, finished: Promise<WizardState>, timeoutMs = 2000): Promise<WizardState> {
  const timeout = sleep(timeoutMs).then(() => {
    throw new Error(`the session did not end; it is in phase ${JSON.stringify(session.getState().phase)}`);
  });
  return Promise.race([finished, timeout]);
}

/** A test run like the curriculum's: a server whose page is checked while it runs, then the port. */
function testRunStep(readyTimeoutSec = 5): ReturnType<typeof step> {
  return step('test-run', {
    actions: [
      commandAction('uwsgi', 'uwsgi --socket 0.0.0.0:8080 --protocol=http -w wsgi', {
        whileRunning: { readyTimeoutSec, browseUrl: 'http://example.com:8080/', checks: [check('test-page')] },
      }),
    ],
    checks: [check('port-free')],
  });
}

/** A fake uWSGI whose page answers from its `pageAnswersFrom`-th asking (0-based); the port is free once it stopped. */
function serverFake(pageAnswersFrom = 2): FakeSystem {
  const fake: FakeSystem = new FakeSystem({
    commands: {
      uwsgi: { output: ['*** Starting uWSGI 2.0.28 ***\n', 'spawned uWSGI worker 1\n'], untilStopped: true },
    },
    probe: (name, asked) => {
      if (name === 'test-page') return fake.running.has('uwsgi') && asked >= pageAnswersFrom;
      if (name === 'port-free') return !fake.running.has('uwsgi');
      return true;
    },
  });
  return fake;
}

/**
 * A machine on which a step's checks pass once all of that step's actions were performed, the
 * test page answers while the test server runs, and the port is free when it does not.
 */
function curriculumMachine(plan: Plan): FakeSystem {
  const owner = new Map<Probe, string[]>();
  for (const s of plan.steps)
    for (const c of s.checks)
      owner.set(
        c.probe,
        s.actions.map((a) => a.id),
      );
  const testPage = commandsOf(plan).find((a) => a.whileRunning)!;
  const fake: FakeSystem = new FakeSystem({
    commands: { [testPage.id]: { untilStopped: true } },
    probe: (_name, _asked, probe) => {
      if (probe.kind === 'http' && probe.url.includes(':8080')) return fake.running.has(testPage.id);
      if (probe.kind === 'port-free') return !fake.running.has(testPage.id);
      return (owner.get(probe) ?? []).every((id) => fake.performed.includes(id));
    },
  });
  return fake;
}

describe('WizardSession', () => {
  it('auto mode runs every step of the curriculum to finished, every action once, in order', async () => {
    const plan = planFor();
    const fake = curriculumMachine(plan);
    const { session, finished } = startSession(plan, fake, true);
    const state = await settled(session, finished);

    assert.deepEqual(state.phase, { kind: 'finished' });
    for (const s of plan.steps) assert.equal(state.statuses[s.id], 'done', s.id);
    assert.deepEqual(
      fake.performed,
      plan.steps.flatMap((s) => s.actions.map((a) => a.id)),
    );
    assert.deepEqual(fake.stopped, ['uwsgi-http-test'], 'only the test server is stopped, and by the session');
    assert.ok(
      state.proofs['test-run']?.some((r) => r.checkId === 'test-page' && r.ok),
      'the test page is part of the proof',
    );
  });

  it('auto mode marks steps whose checks already pass as already-done and runs nothing for them', async () => {
    const plan = planFor();
    const fake = new FakeSystem({ commands: { 'uwsgi-http-test': { untilStopped: true } } });
    const { session, finished } = startSession(plan, fake, true);
    const state = await settled(session, finished);

    assert.deepEqual(state.phase, { kind: 'finished' });
    const probed = plan.steps.filter((s) => s.probeBeforeRun && s.checks.length > 0).map((s) => s.id);
    for (const id of probed) assert.equal(state.statuses[id], 'already-done', id);
    assert.deepEqual(fake.performed, ['uwsgi-http-test'], 'only the test run, which cannot be asked ahead, runs');
  });

  it('auto mode stops with quit reason failure at a failing check, and runs nothing after it', async () => {
    const plan = planOf(
      step('packages', {
        actions: [commandAction('apt-install', 'apt-get install -y nginx')],
        checks: [check('installed')],
      }),
      step('virtualenv', { actions: [commandAction('mkdir', 'mkdir -p /home/demo/myapp')] }),
    );
    const fake = new FakeSystem({ probe: (name) => name !== 'installed' });
    const { session, finished } = startSession(plan, fake, true);
    const state = await settled(session, finished);

    assert.deepEqual(state.phase, { kind: 'quit', reason: 'failure' });
    assert.equal(state.statuses.packages, 'failed');
    assert.equal(state.statuses.virtualenv, 'todo');
    assert.deepEqual(fake.performed, ['apt-install']);
    assert.deepEqual(state.checkResults, [
      { checkId: 'installed', ok: false, observed: { kind: 'command', exitCode: 1, output: [] } },
    ]);
  });

  it('auto mode stops with quit reason failure when a command exits non-zero', async () => {
    const plan = planOf(
      step('packages', {
        actions: [commandAction('apt-install', 'apt-get install -y nginx'), commandAction('after', 'true')],
      }),
    );
    const fake = new FakeSystem({
      commands: { 'apt-install': { output: ['E: Unable to locate package nginx\n'], exitCode: 100 } },
    });
    const { session, finished } = startSession(plan, fake, true);
    const state = await settled(session, finished);

    assert.deepEqual(state.phase, { kind: 'quit', reason: 'failure' });
    assert.equal(state.statuses.packages, 'failed');
    assert.deepEqual(fake.performed, ['apt-install']);
    assert.deepEqual(
      outputTail(state.output, 5),
      ['E: Unable to locate package nginx'],
      'the failing output is kept for the report',
    );
  });

  it('a check that settles is asked again until it passes', async () => {
    const plan = planOf(
      step('service', {
        actions: [commandAction('start', 'systemctl start myapp')],
        checks: [check('workers', { settleSec: 2 })],
      }),
    );
    const fake = new FakeSystem({ probe: (_name, asked) => asked >= 3 });
    const { session, finished } = startSession(plan, fake, true);
    const state = await settled(session, finished);
    assert.equal(state.statuses.service, 'done');
    assert.equal(fake.timesAsked('workers'), 4);
  });

  describe('a command that keeps running (the test run)', () => {
    it('in auto mode its checks are polled until they pass, then it is stopped like Ctrl-C', async () => {
      const fake = serverFake();
      const { session, finished } = startSession(planOf(testRunStep()), fake, true);
      const state = await settled(session, finished);

      assert.equal(fake.timesAsked('test-page'), 3, 'asked until the third answer passed, then no more');
      assert.deepEqual(fake.stopped, ['uwsgi']);
      assert.equal(state.statuses['test-run'], 'done');
      assert.deepEqual(
        state.proofs['test-run']?.map((r) => [r.checkId, r.ok]),
        [
          ['test-page', true],
          ['port-free', true],
        ],
      );
    });

    it('with a person, it keeps serving once the page answers, and Enter stops it and goes on', async () => {
      const fake = serverFake();
      const { session, finished } = startSession(planOf(testRunStep()), fake, false);
      await waitFor(() => session.getState().phase.kind === 'confirm', 'confirm');
      session.dispatch({ type: 'continue', at: Date.now() });
      await waitFor(() => session.getState().phase.kind === 'serving', 'serving');
      await sleep(20);
      assert.deepEqual(fake.stopped, [], 'not stopped while the person looks');
      assert.ok(fake.running.has('uwsgi'));
      assert.equal(fake.timesAsked('test-page'), 3);

      session.dispatch({ type: 'continue', at: Date.now() });
      const state = await settled(session, finished);
      assert.deepEqual(fake.stopped, ['uwsgi']);
      assert.equal(state.statuses['test-run'], 'done');
    });

    it('when the page never answers in time, it is still stopped and the action fails with what was seen', async () => {
      const fake = serverFake(Infinity);
      const { session, finished } = startSession(planOf(testRunStep(0.05)), fake, true);
      const state = await settled(session, finished);

      assert.deepEqual(fake.stopped, ['uwsgi']);
      assert.ok(!fake.running.has('uwsgi'));
      assert.deepEqual(state.phase, { kind: 'quit', reason: 'failure' });
      assert.deepEqual(
        state.runResults.map((r) => [r.checkId, r.ok]),
        [['test-page', false]],
      );
      assert.ok(fake.timesAsked('test-page') > 1, 'it was polled, not asked once');
    });
  });

  it('output events reach subscribers, in order, and the state holds them as lines', async () => {
    const chunks = [
      'Collecting uwsgi\n',
      '  Building wheel 10%\r',
      '  Building wheel 100%\n',
      'Successfully installed uwsgi-2.0.28\n',
    ];
    const plan = planOf(step('uwsgi', { actions: [commandAction('pip', 'pip install uwsgi')] }));
    const fake = new FakeSystem({ commands: { pip: { output: chunks } } });
    const session = new WizardSession(plan, fake, { auto: true, pollMs: POLL_MS });
    const seen: string[] = [];
    let lastLines: string[] = [];
    session.subscribe((state: WizardState, event: WizardEvent) => {
      if (event.type !== 'output') return;
      seen.push(event.text);
      lastLines = outputTail(state.output, 10);
    });
    await settled(session, session.run());
    assert.deepEqual(seen, chunks);
    assert.deepEqual(lastLines, ['Collecting uwsgi', '  Building wheel 100%', 'Successfully installed uwsgi-2.0.28']);
  });

  it('interrupt() while a command runs stops it and ends the run as quit by the person', async () => {
    const plan = planOf(
      step('uwsgi', { actions: [commandAction('pip', 'pip install uwsgi')], checks: [check('version')] }),
    );
    const fake = new FakeSystem({ commands: { pip: { output: ['Collecting uwsgi\n'], held: true } } });
    const { session, finished } = startSession(plan, fake, false);
    await waitFor(() => session.getState().phase.kind === 'confirm', 'confirm');
    session.dispatch({ type: 'continue', at: Date.now() });
    await waitFor(() => session.getState().output.lines.length > 0, 'output');

    session.interrupt();
    assert.equal(session.getState().phase.kind, 'stopping');
    const state = await settled(session, finished);
    assert.deepEqual(fake.stopped, ['pip']);
    assert.deepEqual(state.phase, { kind: 'quit', reason: 'user' });
    assert.equal(state.statuses.uwsgi, 'todo', 'an interrupted step is not marked failed');
    assert.equal(fake.timesAsked('version'), 0, 'no check is asked after the interruption');
  });

  it('interrupt() while a file is being written ends the run once the write is over', async () => {
    const plan = planOf(
      step('wsgi-app', {
        actions: [fileAction('write-wsgi-py', '/home/demo/myapp/wsgi.py')],
        checks: [check('wsgi-file')],
      }),
    );
    const fake = new FakeSystem();
    const { session, finished } = startSession(plan, fake, false);
    await waitFor(() => session.getState().phase.kind === 'confirm', 'confirm');
    session.dispatch({ type: 'continue', at: Date.now() });
    session.interrupt();
    const state = await settled(session, finished, 500);
    assert.deepEqual(state.phase, { kind: 'quit', reason: 'user' });
    assert.deepEqual(fake.performed, ['write-wsgi-py']);
  });

  it('interrupt() while probing ends the run at once; the late probe answer changes nothing', async () => {
    const plan = planOf(
      step('packages', {
        probeBeforeRun: true,
        actions: [commandAction('apt', 'apt-get update')],
        checks: [check('installed')],
      }),
    );
    const fake = new FakeSystem({ probe: () => false });
    const { session, finished } = startSession(plan, fake, false);
    session.interrupt();
    const state = await settled(session, finished);
    await sleep(10);
    assert.deepEqual(state.phase, { kind: 'quit', reason: 'user' });
    assert.equal(session.getState(), state);
  });

  it('a file that cannot be written fails the action with the reason shown', async () => {
    const plan = planOf(step('ini', { actions: [fileAction('write-ini', '/home/demo/myapp/myapp.ini')] }));
    const fake = new FakeSystem({ writeError: 'EACCES: permission denied' });
    const { session } = startSession(plan, fake, false);
    await waitFor(() => session.getState().phase.kind === 'confirm', 'confirm');
    session.dispatch({ type: 'continue', at: Date.now() });
    await waitFor(() => session.getState().phase.kind === 'action-failed', 'action-failed');
    const { phase, output } = session.getState();
    assert.equal(phase.kind === 'action-failed' && phase.failure.message, 'EACCES: permission denied');
    // Said once, by the failure in the person's words: the output pane is for programs' words.
    assert.deepEqual(outputTail(output, 3), []);
    session.dispatch({ type: 'quit' });
  });

  it("a file's outcome is data (written, left alone, earlier kept), not an English line in the output (issue 15, item 11)", async () => {
    const path = '/home/demo/myapp/myapp.ini';
    const plan = planOf(
      step('ini', { actions: [fileAction('first', path), fileAction('again', path), fileAction('other', `${path}x`)] }),
    );
    const fake = new FakeSystem();
    fake.files.set(`${path}x`, 'an earlier version\n');
    const session = new WizardSession(plan, fake, { auto: true, pollMs: POLL_MS });
    const outcomes: unknown[] = [];
    let outputs = 0;
    session.subscribe((_state, event) => {
      if (event.type === 'action-finished') outcomes.push(event.file);
      if (event.type === 'output') outputs += 1;
    });
    const state = await session.run();
    assert.equal(state.phase.kind, 'finished');
    assert.deepEqual(outcomes, [
      { written: true },
      { written: false },
      { written: true, backup: `${path}x.bak-20261124T000000` },
    ]);
    assert.equal(outputs, 0, 'no line of output');
    assert.equal(
      fileOutcomeText(path, { written: false }, 'ja'),
      `${path}: すでに示したとおりの内容なので、そのままにしました`,
    );
  });

  it('a write problem the system names is kept as data, and the screen says it in Japanese (issue 15, item 11)', async () => {
    const plan = planOf(step('ini', { actions: [fileAction('write-ini', '/home/demo/myapp/myapp.ini')] }));
    const fake = new FakeSystem();
    const problem = { kind: 'no-backup' as const, path: '/home/demo/myapp/myapp.ini', output: 'cp: Permission denied' };
    fake.writeFile = async () => {
      throw new WriteFileError(problem);
    };
    const { session } = startSession(plan, fake, false);
    await waitFor(() => session.getState().phase.kind === 'confirm', 'confirm');
    session.dispatch({ type: 'continue', at: Date.now() });
    await waitFor(() => session.getState().phase.kind === 'action-failed', 'action-failed');
    const { phase } = session.getState();
    assert.ok(phase.kind === 'action-failed');
    assert.deepEqual(phase.failure.writeProblem, problem);
    const ja = failureReason(phase.failure, 'ja') ?? '';
    assert.match(ja, /控えを残せなかったため \(cp: Permission denied\)、置き換えていません/);
    assert.doesNotMatch(ja, /could not keep a backup/);
    assert.match(failureReason(phase.failure, 'en') ?? '', /could not keep a copy of the earlier/);
    session.dispatch({ type: 'quit' });
  });

  it('the transcript records each command, its exit, and the check results', async () => {
    const plan = planOf(
      step('uwsgi', {
        actions: [commandAction('version', 'uwsgi --version', { cwd: '/home/demo/myapp' })],
        checks: [check('version-printed')],
      }),
    );
    const fake = new FakeSystem({ commands: { version: { output: ['2.0.28\n'] } } });
    const log: string[] = [];
    const { session, finished } = startSession(plan, fake, true, log);
    await settled(session, finished);
    const text = log.join('');
    assert.match(text, /== \[uwsgi\] \$ uwsgi --version {4}\(in \/home\/demo\/myapp\)\n/);
    assert.match(text, /2\.0\.28\n-- exit 0 after 1\.2s\n/);
    assert.ok(
      text.includes('check ok   version-printed: {"kind":"command","exitCode":0,"output":[]}\n'),
      `what the check saw, as data:\n${text}`,
    );
  });
});
