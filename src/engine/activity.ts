// How long each step took, which hints were asked, what the wizard did for the student: the
// figures of the teacher's report (issue 7), recorded in every run, hands-on or not. Pure: the
// caller brings the clock and writes the progress file.
import type { Progress, StepActivity } from './progress.js';
import type { StepId } from './types.js';
import { isOver, type StepStatus, type WizardState } from './wizard.js';

/** The step the run is on, and since when (ms since the epoch). */
export interface StepVisit {
  id: StepId;
  since: number;
}

const FINISHED: StepStatus[] = ['done', 'already-done', 'skipped'];

/**
 * Follow the run with each new state: when the run leaves a step (or ends), its time is added to
 * the step's record, with when it finished and by whom; the step it enters is timed from now. The
 * hints asked are kept as they are asked, so a run stopped in the middle of a step keeps them.
 * Returns the same progress object when nothing changed.
 */
export function trackActivity(
  progress: Progress,
  visit: StepVisit | undefined,
  state: WizardState,
  now: number,
): { progress: Progress; visit: StepVisit | undefined } {
  const current = isOver(state.phase) ? undefined : state.plan.steps[state.stepIndex]?.id;
  let activity = progress.activity;
  const update = (id: StepId, change: (old: StepActivity) => StepActivity) => {
    const old = activity[id] ?? { spentSec: 0, hintLevel: 0, doneByWizard: false };
    const next = change(old);
    if (JSON.stringify(next) !== JSON.stringify(old)) activity = { ...activity, [id]: next };
  };

  for (const [id, level] of Object.entries(state.hints) as [StepId, number][])
    update(id, (old) => (level > old.hintLevel ? { ...old, hintLevel: level } : old));

  let next = visit;
  if (visit && visit.id !== current) {
    const status = state.statuses[visit.id];
    update(visit.id, (old) => {
      const spent = {
        ...old,
        startedAt: old.startedAt ?? new Date(visit.since).toISOString(),
        spentSec: round(old.spentSec + (now - visit.since) / 1000),
      };
      if (!FINISHED.includes(status)) return spent;
      const doneBy =
        status === 'already-done'
          ? 'found'
          : status === 'skipped'
            ? undefined
            : state.handsOn &&
                !state.doneForStudent[visit.id] &&
                state.plan.steps.find((s) => s.id === visit.id)?.handsOn
              ? 'student'
              : 'wizard';
      return {
        ...spent,
        finishedAt: new Date(now).toISOString(),
        doneBy,
        doneByWizard: status === 'skipped' ? old.doneByWizard : state.doneForStudent[visit.id] === true,
      };
    });
    next = undefined;
  }
  if (current && !next) next = { id: current, since: now };
  if (activity === progress.activity) return { progress, visit: next };
  return { progress: { ...progress, activity, updatedAt: new Date(now).toISOString() }, visit: next };
}

function round(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}
