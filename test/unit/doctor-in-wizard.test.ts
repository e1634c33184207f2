// The wizard asks the doctor when a step's checks fail (issue 16): the step's doctor layers
// (PlannedStep.doctor) are looked at and the first finding is shown with the failure, on the screen,
// in plain output and in what stays on the terminal; an unattended run ends only once it is known.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../src/engine/doctor/model.js';
import { WizardSession } from '../../src/engine/session.js';
import { troubleLines } from '../../src/ui/afterwards.js';
import { check, FakeSystem, planFor, planOf, step } from '../helpers.js';

const FINDING: Finding = {
  cause: 'permission',
  layer: 'socket-access',
  facts: { socket: '/run/myapp/myapp.sock', user: 'www-data' },
  evidence: [
    { kind: 'stat', path: '/run/myapp/myapp.sock', type: 'socket', mode: 0o755, owner: 'demo', group: 'www-data' },
  ],
};

describe('the doctor in the wizard', () => {
  it('the service, nginx and conclusion steps name the layers the doctor looks at; the others none', () => {
    const withDoctor = planFor()
      .steps.filter((s) => s.doctor)
      .map((s) => [s.id, s.doctor?.from, s.doctor?.to]);
    assert.deepEqual(withDoctor, [
      ['service', 'socket', 'uwsgi-request'],
      ['nginx', 'nginx', 'page'],
      ['conclusion', 'nginx', 'page'],
    ]);
  });

  it('a failed check under --yes: the doctor is asked for that step, and the run ends with its finding', async () => {
    const plan = planOf(step('service', { checks: [check('socket')] }));
    const asked: string[] = [];
    const fake = new FakeSystem({ probe: () => false });
    const session = new WizardSession(plan, fake, {
      auto: true,
      pollMs: 2,
      diagnose: async (id) => {
        asked.push(id);
        return FINDING;
      },
    });
    // As the run's end is presented (src/app/present.ts): the last state before it ended.
    let beforeEnd = session.getState();
    session.subscribe((state) => {
      if (state.phase.kind !== 'quit' && state.phase.kind !== 'finished') beforeEnd = state;
    });
    const final = await session.run();
    assert.deepEqual(asked, ['service']);
    assert.deepEqual(final.phase, { kind: 'quit', reason: 'failure' });
    assert.deepEqual(beforeEnd.phase, { kind: 'check-failed', diagnosed: true, doctor: FINDING });
  });

  it('what stays on the terminal after a failed check holds the doctor’s finding and its evidence', () => {
    const plan = planOf(step('service', { checks: [check('socket')] }));
    const state = {
      ...new WizardSession(plan, new FakeSystem(), { auto: true }).getState(),
      phase: { kind: 'check-failed' as const, diagnosed: true, doctor: FINDING },
      checkResults: [{ checkId: 'socket', ok: false, observed: { kind: 'error' as const, message: 'x' } }],
    };
    const lines = troubleLines(state, 'en').join('\n');
    assert.match(lines, /The doctor looked at the chain:/);
    assert.match(lines, /nginx \(running as www-data\) may not open the socket \/run\/myapp\/myapp\.sock\./);
    assert.match(lines, /\/run\/myapp\/myapp\.sock: socket, mode 0755, owner demo, group www-data/);
  });
});
