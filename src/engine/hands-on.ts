// Hands-on mode (issue 7), the pure part: what the wizard watches while a student does a step in
// their own shell, and how a recognised wrong move is reported. The session asks the probes.
import type { ProbeAnswer } from './ports.js';
import type { Check, PlannedStep } from './types.js';

/** A wrong move found on the machine: which one, and what its probe saw (a path, a directory). */
export interface WrongMoveSeen {
  id: string;
  found: string;
}

/**
 * The checks watched while the student works, in stages. A step whose commands include a server
 * (the test run) is watched first for the server's page, answered by the student's own uWSGI, and
 * then for the step's checks (the port free again once they stopped it with Ctrl-C); any other
 * step has one stage, its checks.
 */
export function handsOnStages(step: PlannedStep): Check[][] {
  const whileServing = step.actions.flatMap((a) => (a.kind === 'command' ? (a.whileRunning?.checks ?? []) : []));
  return whileServing.length > 0 ? [whileServing, step.checks] : [step.checks];
}

/** What a wrong move's probe saw, as the student should read it: the lines its command printed (paths). */
export function evidence(answer: ProbeAnswer): string {
  return answer.observed.kind === 'command' ? answer.observed.output.join(', ') : '';
}
