// The plan a recorded run is made with and replayed with: every step runs its actions, none is
// first asked whether it is already done. A recording must hold every command's own output (the
// machine that records may already have nginx), and a class walks every step of the guide.
import type { Plan } from '../engine/types.js';

export function replayEveryStep(plan: Plan): Plan {
  return { ...plan, steps: plan.steps.map((step) => ({ ...step, probeBeforeRun: false })) };
}
