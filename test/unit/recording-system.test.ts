// The recorder's System: what passes through it to the machine is noted with the point of the
// run it happened at, so that the simulated System can answer the same question at the same point.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { probeKey, readTextKey, writeKey } from '../../src/simulate/recording.js';
import { RecordingSystem } from '../../src/simulate/recording-system.js';
import { commandAction, FakeSystem, fileAction, named, planOf, step, tick } from '../helpers.js';

describe('RecordingSystem', () => {
  it('notes each command with its output, timing and end, and each answer at the point it was asked', async () => {
    const plan = planOf(
      step('packages', {
        actions: [
          commandAction('apt-install', 'apt-get install -y nginx'),
          fileAction('write-site', '/etc/nginx/sites-available/myapp'),
        ],
      }),
    );
    let installed = false;
    const fake = new FakeSystem({
      commands: { 'apt-install': { output: ['Reading package lists...\n', 'Setting up nginx\n'] } },
      probe: () => installed,
    });
    const system = new RecordingSystem(fake, plan);
    const [install, site] = plan.steps[0]!.actions as [
      Parameters<typeof system.start>[0],
      Parameters<typeof system.writeFile>[0],
    ];

    await system.probe(named('nginx'));
    await system.probe(named('nginx'));
    let shown = '';
    const outcome = await system.start(install, (text) => (shown += text)).done;
    installed = true;
    await system.probe(named('nginx'));
    await system.readText(site.path);
    await system.writeFile(site);
    system.mark('incident:fix');

    assert.equal(shown, 'Reading package lists...\nSetting up nginx\n', 'the output still reaches the wizard');
    assert.deepEqual(system.timeline, [
      'packages/apt-install',
      'packages/apt-install:end',
      'packages/write-site',
      'incident:fix',
    ]);
    const recorded = system.commands['packages/apt-install']!;
    assert.equal(recorded.command, 'apt-get install -y nginx');
    assert.deepEqual(
      recorded.chunks.map(([, text]) => text),
      ['Reading package lists...\n', 'Setting up nginx\n'],
    );
    assert.ok(recorded.chunks.every(([at]) => at >= 0));
    assert.deepEqual(
      { exitCode: recorded.exitCode, durationMs: recorded.durationMs },
      { exitCode: outcome.exitCode, durationMs: outcome.durationMs },
    );
    // The same answer twice at one point is kept once; after the install's end it is a new point.
    const nginx = system.answers.filter((a) => a.key === probeKey(named('nginx')));
    assert.deepEqual(
      nginx.map((a) => [a.at, (a.answer as { ok: boolean }).ok]),
      [
        [-1, false],
        [1, true],
      ],
    );
    assert.deepEqual(
      system.answers.find((a) => a.key === readTextKey(site.path)),
      { at: 1, key: readTextKey(site.path), answer: { text: null } },
    );
    assert.deepEqual(
      system.answers.find((a) => a.key === writeKey(site.path)),
      { at: 2, key: writeKey(site.path), answer: { written: true } },
    );
  });

  it('notes when the wizard stopped a server', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: 0 });
    const plan = planOf(step('test-run', { actions: [commandAction('uwsgi-http-test', 'uwsgi --http :8080')] }));
    const server = { output: ['spawned uWSGI worker 1\n'], untilStopped: true };
    const system = new RecordingSystem(new FakeSystem({ commands: { 'uwsgi-http-test': server } }), plan);
    const running = system.start(plan.steps[0]!.actions[0] as Parameters<typeof system.start>[0], () => undefined);
    await tick();
    t.mock.timers.tick(20);
    running.stop();
    const outcome = await running.done;
    const recorded = system.commands['test-run/uwsgi-http-test']!;
    assert.equal(recorded.stoppedAtMs, 20, 'stopped 20 ms after it started');
    assert.equal(recorded.signal, outcome.signal);
  });
});
