// Ask every step that can be asked whether its result is already in place, all at once.
import type { System } from './ports.js';
import type { Plan, PlannedStep, StepId } from './types.js';

/**
 * Whether a step's checks tell, on their own, that its result is in place: a step that probes
 * before it runs, and a lesson with checks (the conclusion's whole-stack check), which has no
 * actions of its own to need. Not the test run: its page is only seen while it runs.
 */
export function canSurvey(step: PlannedStep): boolean {
  return step.checks.length > 0 && (step.probeBeforeRun || step.actions.length === 0);
}

/** For each step that can be surveyed: true when all its checks pass now. Changes nothing. */
export async function surveyMachine(plan: Plan, system: System): Promise<Partial<Record<StepId, boolean>>> {
  const probeable = plan.steps.filter(canSurvey);
  const answers = await Promise.all(
    probeable.map(async (step) => {
      const results = await Promise.all(
        step.checks.map((check) => system.probe(check.probe).catch(() => ({ ok: false }))),
      );
      return [step.id, results.every((r) => r.ok)] as const;
    }),
  );
  return Object.fromEntries(answers);
}
