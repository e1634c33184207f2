// The shipped recording (fixtures/recordings/) against the curriculum as it is now: a step or
// command changed since it was made means a simulation would replay something else.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Observation, ProbeAnswer } from '../../src/engine/ports.js';
import { endKey } from '../../src/simulate/recording.js';
import { loadRecording, startSimulation } from '../../src/simulate/simulation.js';

const REFRESH =
  'the curriculum changed since the recording was made: refresh it with `npm run fixtures:record` (root, CI=true or E2E_ALLOW_SYSTEM_CHANGES=1; it takes the machine lock)';

describe('the recording for --simulate', () => {
  const recording = loadRecording();
  const { plan } = startSimulation(recording, { maxActionMs: 0 });

  it('was made on Debian 12 and holds the output of every command of the plan, as the plan shows it', () => {
    assert.equal(recording.context.platform.id, 'debian-12-noinit');
    for (const step of plan.steps) {
      for (const action of step.actions) {
        const key = `${step.id}/${action.id}`;
        assert.ok(recording.timeline.includes(key), `${key} is in the recorded run; ${REFRESH}`);
        if (action.kind !== 'command') continue;
        const recorded = recording.commands[key];
        assert.equal(recorded?.command, action.command, `${key}: ${REFRESH}`);
        assert.ok(recording.timeline.includes(endKey(key)), `${key} ended in the recorded run`);
        if (action.whileRunning)
          assert.ok(recorded.stoppedAtMs !== undefined, `${key}: a server stopped by the wizard`);
        else assert.equal(recorded.exitCode, 0, `${key} succeeded in the recorded run`);
      }
    }
  });

  it("holds the 502 of the nginx step, with nginx's own words, and the page answering after the fix", () => {
    const incident = recording.incident!;
    assert.equal(incident.step, 'nginx');
    assert.match(incident.evidence.join('\n'), /\(13: Permission denied\) while connecting to upstream/);
    const pageCheck = plan.steps.find((s) => s.id === 'nginx')!.checks.find((c) => c.id === incident.checkId)!;
    const answers = recording.answers.filter(
      (a) =>
        a.key.includes('"kind":"http"') &&
        a.key.includes(pageCheck.probe.kind === 'http' ? pageCheck.probe.host! : '?'),
    );
    const fixAt = recording.timeline.indexOf('incident:fix');
    assert.ok(
      answers.some(
        (a) =>
          a.at < fixAt &&
          a.at > recording.timeline.indexOf('nginx/nginx-reload') &&
          isStatus((a.answer as ProbeAnswer).observed, 502),
      ),
      'a 502 after the reload',
    );
    assert.ok(
      answers.some((a) => a.at === fixAt && (a.answer as { ok: boolean }).ok),
      'the page after the fix',
    );
  });
});

function isStatus(observed: Observation, status: number): boolean {
  return observed.kind === 'http' && 'status' in observed && observed.status === status;
}
