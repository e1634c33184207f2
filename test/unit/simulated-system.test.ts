// The simulated machine: commands replayed at a compressed pace, answers as recorded at the same
// point of the run, a served command waiting for its stop, the recorded failure fixed on retry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WizardSession } from '../../src/engine/session.js';
import type { ProbeAnswer } from '../../src/engine/ports.js';
import type { Probe } from '../../src/engine/types.js';
import { probeKey, RECORDING_VERSION, type Recording } from '../../src/simulate/recording.js';
import { fastClock, SimulatedSystem, TICK_MS } from '../../src/simulate/simulated-system.js';
import { loadRecording, simulationPace, startSimulation } from '../../src/simulate/simulation.js';
import { check, commandAction, GUIDE_STEP_IDS, makeContext, planOf, step, tick } from '../helpers.js';

const page: Probe = { kind: 'http', url: 'http://127.0.0.1/', host: 'example.com', expectBody: 'Hello There!' };
const fail: ProbeAnswer = { ok: false, observed: { kind: 'http', status: 502, body: 'Bad Gateway' } };
const pass: ProbeAnswer = { ok: true, observed: { kind: 'http', status: 200, body: 'Hello There!' } };

const plan = planOf(
  step('uwsgi', { actions: [commandAction('pip-install-uwsgi', 'pip install uwsgi')] }),
  step('test-run', {
    actions: [
      commandAction('uwsgi-http-test', 'uwsgi --http :8080', {
        whileRunning: { checks: [], readyTimeoutSec: 1, browseUrl: 'http://example.com:8080/' },
      }),
    ],
  }),
  step('nginx', {
    actions: [commandAction('nginx-restart', 'service nginx restart')],
    checks: [check('page-through-nginx', { probe: page, settleSec: 10 })],
  }),
);

function recording(): Recording {
  return {
    version: RECORDING_VERSION,
    recordedAt: '2026-11-21T20:00:00.000Z',
    machine: 'Debian GNU/Linux 12 (bookworm)',
    context: makeContext(),
    timeline: [
      'uwsgi/pip-install-uwsgi',
      'uwsgi/pip-install-uwsgi:end',
      'test-run/uwsgi-http-test',
      'test-run/uwsgi-http-test:end',
      'nginx/nginx-restart',
      'nginx/nginx-restart:end',
      'incident:fix',
    ],
    commands: {
      // A minute-long build: three lines, the last at 60 s.
      'uwsgi/pip-install-uwsgi': {
        command: 'pip install uwsgi',
        chunks: [
          [0, 'Collecting uwsgi\n'],
          [30_000, 'Building wheel\n'],
          [60_000, 'Successfully installed uwsgi-2.0.31\n'],
        ],
        exitCode: 0,
        signal: null,
        timedOut: false,
        durationMs: 60_000,
      },
      'test-run/uwsgi-http-test': {
        command: 'uwsgi --http :8080',
        chunks: [
          [0, 'spawned uWSGI worker 1\n'],
          [2000, 'goodbye to uWSGI.\n'],
        ],
        stoppedAtMs: 1500,
        exitCode: null,
        signal: 'SIGINT',
        timedOut: false,
        durationMs: 2100,
      },
      'nginx/nginx-restart': {
        command: 'service nginx restart',
        chunks: [[10, 'Restarting nginx: nginx.\n']],
        exitCode: 0,
        signal: null,
        timedOut: false,
        durationMs: 2400,
      },
    },
    answers: [
      { at: -1, key: probeKey(page), answer: { ok: false, observed: { kind: 'http', error: 'ECONNREFUSED' } } },
      { at: 5, key: probeKey(page), answer: fail },
      { at: 6, key: probeKey(page), answer: pass },
    ],
    incident: {
      id: 'socket-group',
      step: 'nginx',
      checkId: 'page-through-nginx',
      breakCommand: 'chgrp demo /run/myapp/myapp.sock',
      fixCommand: 'chgrp www-data /run/myapp/myapp.sock',
      fixOutput: '',
      evidence: ['connect() to unix:/run/myapp/myapp.sock failed (13: Permission denied)'],
    },
  };
}

const action = (id: string) =>
  plan.steps.flatMap((s) => s.actions).find((a) => a.id === id)! as Parameters<SimulatedSystem['start']>[0];

describe('SimulatedSystem', () => {
  // The replay's pace is its own logic: timers and the clock are mocked, so that "within
  // maxActionMs" is exact, not a wall-clock guess on a busy machine.
  it('replays a minute of output in order, within maxActionMs and a tick, ending as recorded', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
    const system = new SimulatedSystem(recording(), plan, { maxActionMs: 200 });
    let output = '';
    let ended = false;
    const running = system.start(action('pip-install-uwsgi'), (text) => (output += text));
    void running.done.then(() => (ended = true));
    assert.equal(output, 'Collecting uwsgi\n', 'the first line at once');
    t.mock.timers.tick(100 + TICK_MS);
    assert.equal(output, 'Collecting uwsgi\nBuilding wheel\n', 'the line of 30 s after half of 200 ms');
    t.mock.timers.tick(199 - Date.now());
    await tick();
    assert.equal(ended, false, 'the last line, at 60 s, not before 200 ms');
    t.mock.timers.tick(200 + TICK_MS - Date.now());
    await tick();
    assert.equal(ended, true, 'ended by 200 ms and one tick of output');
    assert.deepEqual(await running.done, { exitCode: 0, signal: null, timedOut: false, durationMs: 60_000 });
    assert.equal(output, 'Collecting uwsgi\nBuilding wheel\nSuccessfully installed uwsgi-2.0.31\n');
  });

  it('plays a served command until the wizard stops it, then its goodbye', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
    const system = new SimulatedSystem(recording(), plan, { maxActionMs: 100 });
    let output = '';
    const running = system.start(action('uwsgi-http-test'), (text) => (output += text));
    let ended = false;
    void running.done.then(() => (ended = true));
    t.mock.timers.tick(60_000);
    await tick();
    assert.equal(output, 'spawned uWSGI worker 1\n');
    assert.equal(ended, false, 'a server runs until stopped, however long');
    running.stop();
    t.mock.timers.tick(100);
    await tick();
    assert.equal(ended, true, 'its goodbye played within maxActionMs of the stop');
    assert.deepEqual(await running.done, { exitCode: null, signal: 'SIGINT', timedOut: false, durationMs: 2100 });
    assert.equal(output, 'spawned uWSGI worker 1\ngoodbye to uWSGI.\n');
  });

  it('answers a question as it was answered at the same point of the recorded run', async () => {
    const system = new SimulatedSystem(recording(), plan, { maxActionMs: 10 });
    assert.deepEqual(
      (await system.probe(page)).observed,
      { kind: 'http', error: 'ECONNREFUSED' },
      'before anything ran',
    );
    await system.start(action('nginx-restart'), () => undefined).done;
    assert.equal(system.point, 'nginx/nginx-restart:end');
    assert.deepEqual(await system.probe(page), fail, 'after the restart: the recorded 502');
    assert.deepEqual(await system.probe(page), fail, 'still, until the fix');
    system.applyFix();
    assert.deepEqual(await system.probe(page), pass);
    assert.deepEqual(await system.probe({ kind: 'port-free', port: 80 }), {
      ok: false,
      observed: { kind: 'unrecorded' },
    });
  });
});

describe('startSimulation', () => {
  it('unattended, checks the recorded failure again once, with the fix in place, and goes on', async () => {
    const simulation = startSimulation(recording(), { maxActionMs: 10 });
    // The simulation plans the curriculum from the recording's context; drive only the nginx step of our small plan
    // here.
    const system = new SimulatedSystem(recording(), plan, { maxActionMs: 10 });
    const session = new WizardSession(plan, system, {
      auto: true,
      pollMs: 1,
      now: fastClock(1000),
      autoRetry: simulation.autoRetry,
    });
    const phases: string[] = [];
    session.subscribe((state, event) => {
      phases.push(state.phase.kind);
      if (event.type === 'retry') system.applyFix();
    });
    const final = await session.run();
    assert.equal(final.phase.kind, 'finished');
    assert.ok(phases.includes('check-failed'), 'the 502 was seen');
    assert.equal(final.statuses.nginx, 'done');
    assert.equal(simulation.autoRetry(final), false, 'only the recorded failure is retried');
  });

  // What `--simulate --yes` runs, on the session's clock and mocked timers: "in a few seconds"
  // (the README) is a property of the pace, measured exactly, not the wall clock of a busy machine.
  it('at the unattended pace, the whole shipped recording takes a few seconds, not the recorded minute', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
    const shipped = loadRecording();
    const pace = simulationPace(true);
    const simulation = startSimulation(shipped, pace);
    const session = new WizardSession(simulation.plan, simulation.system, {
      auto: true,
      now: fastClock(pace.clockSpeed),
      pollMs: pace.pollMs,
      autoRetry: simulation.autoRetry,
    });
    simulation.follow(session);
    let final: Awaited<ReturnType<WizardSession['run']>> | undefined;
    void session.run().then((state) => (final = state));
    while (!final && Date.now() < 600_000) {
      t.mock.timers.tick(10);
      await tick();
    }
    assert.equal(final?.phase.kind, 'finished', `still ${final?.phase.kind ?? session.getState().phase.kind}`);
    assert.ok(
      GUIDE_STEP_IDS.every((id) => final!.statuses[id] === 'done'),
      JSON.stringify(final!.statuses),
    );
    const recordedMs = Object.values(shipped.commands).reduce((sum, c) => sum + c.durationMs, 0);
    assert.ok(Date.now() <= 5_000, `${Date.now()} ms of its clock (the recorded commands took ${recordedMs} ms)`);
  });

  it('takes the plan from the recording: its answers, every step replayed, none probed as already done', () => {
    const simulation = startSimulation(recording(), { maxActionMs: 10 });
    assert.equal(simulation.plan.answers.user, 'demo');
    assert.equal(simulation.plan.steps.length, GUIDE_STEP_IDS.length);
    assert.ok(simulation.plan.steps.every((s) => !s.probeBeforeRun));
    assert.equal(simulation.info.incident?.step, 'nginx');
    assert.match(simulation.info.incident!.fix.en, /chgrp www-data/);
    assert.match(simulation.info.incident!.fix.ja, /chgrp www-data/);
  });
});
