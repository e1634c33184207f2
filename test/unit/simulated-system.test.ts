// The simulated machine: commands replayed at a compressed pace, answers as recorded at the same
// point of the run, a served command waiting for its stop, the recorded failure fixed on retry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WizardSession } from '../../src/engine/session.js';
import type { Probe } from '../../src/engine/types.js';
import { probeKey, RECORDING_VERSION, type Recording } from '../../src/simulate/recording.js';
import { fastClock, SimulatedSystem } from '../../src/simulate/simulated-system.js';
import { startSimulation } from '../../src/simulate/simulation.js';
import { check, commandAction, makeContext, planOf, step } from '../helpers.js';

const page: Probe = { kind: 'http', url: 'http://127.0.0.1/', host: 'example.com', expectBody: 'Hello There!' };
const fail = { ok: false, expected: 'HTTP 200', found: 'HTTP 502: Bad Gateway' };
const pass = { ok: true, expected: 'HTTP 200', found: 'HTTP 200: Hello There!' };

const plan = planOf(
  step('uwsgi', { actions: [commandAction('pip-install-uwsgi', 'pip install uwsgi')] }),
  step('test-run', { actions: [commandAction('uwsgi-http-test', 'uwsgi --http :8080', { whileRunning: { checks: [], readyTimeoutSec: 1, browseUrl: 'http://example.com:8080/' } })] }),
  step('nginx', { actions: [commandAction('nginx-restart', 'service nginx restart')], checks: [check('page-through-nginx', { probe: page, settleSec: 10 })] }),
);

function recording(): Recording {
  return {
    version: RECORDING_VERSION,
    recordedAt: '2026-11-21T20:00:00.000Z',
    machine: 'Debian GNU/Linux 12 (bookworm)',
    context: makeContext(),
    timeline: ['uwsgi/pip-install-uwsgi', 'uwsgi/pip-install-uwsgi:end', 'test-run/uwsgi-http-test', 'test-run/uwsgi-http-test:end', 'nginx/nginx-restart', 'nginx/nginx-restart:end', 'incident:fix'],
    commands: {
      // A minute-long build: three lines, the last at 60 s.
      'uwsgi/pip-install-uwsgi': { command: 'pip install uwsgi', chunks: [[0, 'Collecting uwsgi\n'], [30_000, 'Building wheel\n'], [60_000, 'Successfully installed uwsgi-2.0.31\n']], exitCode: 0, signal: null, timedOut: false, durationMs: 60_000 },
      'test-run/uwsgi-http-test': { command: 'uwsgi --http :8080', chunks: [[0, 'spawned uWSGI worker 1\n'], [2000, 'goodbye to uWSGI.\n']], stoppedAtMs: 1500, exitCode: null, signal: 'SIGINT', timedOut: false, durationMs: 2100 },
      'nginx/nginx-restart': { command: 'service nginx restart', chunks: [[10, 'Restarting nginx: nginx.\n']], exitCode: 0, signal: null, timedOut: false, durationMs: 2400 },
    },
    answers: [
      { at: -1, key: probeKey(page), answer: { ok: false, expected: 'HTTP 200', found: 'ECONNREFUSED' } },
      { at: 5, key: probeKey(page), answer: fail },
      { at: 6, key: probeKey(page), answer: pass },
    ],
    incident: { id: 'socket-group', step: 'nginx', checkId: 'page-through-nginx', breakCommand: 'chgrp demo /run/myapp/myapp.sock', fixCommand: 'chgrp www-data /run/myapp/myapp.sock', fixOutput: '', evidence: ['connect() to unix:/run/myapp/myapp.sock failed (13: Permission denied)'] },
  };
}

const action = (id: string) => plan.steps.flatMap((s) => s.actions).find((a) => a.id === id)! as Parameters<SimulatedSystem['start']>[0];

describe('SimulatedSystem', () => {
  it('replays a minute of output in order, within maxActionMs, ending as recorded', async () => {
    const system = new SimulatedSystem(recording(), plan, { maxActionMs: 200 });
    let output = '';
    const started = Date.now();
    const outcome = await system.start(action('pip-install-uwsgi'), (text) => (output += text)).done;
    assert.ok(Date.now() - started < 1000, `compressed: took ${Date.now() - started} ms`);
    assert.equal(output, 'Collecting uwsgi\nBuilding wheel\nSuccessfully installed uwsgi-2.0.31\n');
    assert.deepEqual(outcome, { exitCode: 0, signal: null, timedOut: false, durationMs: 60_000 });
  });

  it('plays a served command until the wizard stops it, then its goodbye', async () => {
    const system = new SimulatedSystem(recording(), plan, { maxActionMs: 100 });
    let output = '';
    const running = system.start(action('uwsgi-http-test'), (text) => (output += text));
    let ended = false;
    void running.done.then(() => (ended = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(output, 'spawned uWSGI worker 1\n');
    assert.equal(ended, false, 'a server runs until stopped');
    running.stop();
    assert.deepEqual(await running.done, { exitCode: null, signal: 'SIGINT', timedOut: false, durationMs: 2100 });
    assert.equal(output, 'spawned uWSGI worker 1\ngoodbye to uWSGI.\n');
  });

  it('answers a question as it was answered at the same point of the recorded run', async () => {
    const system = new SimulatedSystem(recording(), plan, { maxActionMs: 10 });
    assert.equal((await system.probe(page)).found, 'ECONNREFUSED', 'before anything ran');
    await system.start(action('nginx-restart'), () => undefined).done;
    assert.equal(system.point, 'nginx/nginx-restart:end');
    assert.deepEqual(await system.probe(page), fail, 'after the restart: the recorded 502');
    assert.deepEqual(await system.probe(page), fail, 'still, until the fix');
    system.applyFix();
    assert.deepEqual(await system.probe(page), pass);
    assert.match((await system.probe({ kind: 'port-free', port: 80 })).found, /never asked/);
  });
});

describe('startSimulation', () => {
  it('unattended, checks the recorded failure again once, with the fix in place, and goes on', async () => {
    const simulation = startSimulation(recording(), { maxActionMs: 10 });
    // The simulation plans the curriculum from the recording's context; drive only the nginx step of our small plan here.
    const system = new SimulatedSystem(recording(), plan, { maxActionMs: 10 });
    const session = new WizardSession(plan, system, { auto: true, pollMs: 1, now: fastClock(1000), autoRetry: simulation.autoRetry });
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

  it('takes the plan from the recording: its answers, every step replayed, none probed as already done', () => {
    const simulation = startSimulation(recording(), { maxActionMs: 10 });
    assert.equal(simulation.plan.answers.user, 'demo');
    assert.equal(simulation.plan.steps.length, 11);
    assert.ok(simulation.plan.steps.every((s) => !s.probeBeforeRun));
    assert.equal(simulation.info.incident?.step, 'nginx');
    assert.match(simulation.info.incident!.fix.en, /chgrp www-data/);
    assert.match(simulation.info.incident!.fix.ja, /chgrp www-data/);
  });
});
