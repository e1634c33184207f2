// A resumed run's screen: every step before the resume point is listed once above the current one.
// A smoke test: a reviewer once saw a line missing in a real terminal, which this renderer (no
// terminal height, no scrolling) does not reproduce; it guards the list's content, not that case.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { WizardSession } from '../../src/engine/session.js';
import type { StepId } from '../../src/engine/types.js';
import type { StepStatus } from '../../src/engine/wizard.js';
import { FakeSystem, planFor } from '../helpers.js';
import { mountScreen } from './screen.js';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

describe('a run resumed at the nginx step', () => {
  it('lists each earlier step once, the service step among them', async () => {
    const plan = planFor();
    const startAt = plan.steps.findIndex((s) => s.id === 'nginx');
    const statuses: Partial<Record<StepId, StepStatus>> = {};
    for (const s of plan.steps.slice(0, startAt)) statuses[s.id] = 'already-done';
    // The machine answers no to every probe: the nginx step waits for its first confirmation.
    const fake = new FakeSystem({ probe: () => false });
    const mounted = await mountScreen(
      new WizardSession(plan, fake, { auto: false, pollMs: 2, resume: { startAt, statuses, redo: true } }),
    );
    unmount = mounted.unmount;
    await mounted.until('[Enter]');
    const screen = mounted.screen();
    for (const s of plan.steps.slice(0, startAt)) {
      const lines = screen.split('\n').filter((line) => line.includes(`[${s.id}] `));
      assert.equal(lines.length, 1, `one line for [${s.id}]; the screen:\n${screen}`);
    }
  });
});
