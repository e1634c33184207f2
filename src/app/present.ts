// A run shown: on the screen (a terminal) or as plain lines, then its summary and exit code.
import { quizzes } from '../../steps/quizzes.js';
import type { JournalEntry } from '../engine/journal.js';
import { say } from '../engine/plan.js';
import type { Progress, StepOverview } from '../engine/progress.js';
import { quizScore } from '../engine/quiz.js';
import type { WizardSession } from '../engine/session.js';
import { StackMonitor } from '../engine/stack.js';
import type { System } from '../engine/ports.js';
import type { Lang, PlannedStep } from '../engine/types.js';
import type { WizardState } from '../engine/wizard.js';
import { type ServiceManagement, serviceLines, troubleLines } from '../ui/afterwards.js';
import { LABELS } from '../ui/labels.js';
import { plainPrinter } from '../ui/plain.js';
import { keepScrollback } from '../ui/scrollback.js';
import { keptText } from '../ui/probe-text.js';
import { formatStackLine } from '../ui/stack-line.js';
import { incidentPrinter, SIMULATION_MARK, simulationBanner, type SimulationInfo } from '../ui/simulation-text.js';
import { EXIT } from './common.js';
import type { Surroundings } from './surroundings.js';

/**
 * Run the session on the screen (a terminal) or as plain lines, with the stack line (asked of
 * `system` at the start and after each step); resolves with the final state.
 */
export async function presentRun(
  s: Surroundings,
  session: WizardSession,
  system: System,
  lang: Lang,
  auto: boolean,
  simulation?: SimulationInfo,
): Promise<RunEnd> {
  // The state just before the end: a quit replaces the failure it follows, which the summary says.
  let beforeEnd = session.getState();
  session.subscribe((state) => {
    if (state.phase.kind !== 'finished' && state.phase.kind !== 'quit') beforeEnd = state;
  });
  const final = await showRun(s, session, system, lang, auto, simulation);
  return { final, beforeEnd };
}

/** How a run ended, and the state just before (a failure a quit followed). */
export interface RunEnd {
  final: WizardState;
  beforeEnd: WizardState;
}

async function showRun(
  s: Surroundings,
  session: WizardSession,
  system: System,
  lang: Lang,
  auto: boolean,
  simulation?: SimulationInfo,
): Promise<WizardState> {
  const stop = () => session.interrupt();
  // Without a screen, Ctrl-C is a signal too (the screen reads it as a key).
  s.onStopSignal(stop, !s.stdout.isTTY);
  const stack = new StackMonitor(session.getState().plan, system);
  stack.follow(session);
  if (s.stdout.isTTY) {
    // ink and React are loaded only now: --help, --dry-run, status and bad input never pay for them.
    const [{ render }, { createElement }, { App }] = await Promise.all([
      s.loadInk(),
      import('react'),
      import('../ui/App.js'),
    ]);
    const restore = keepScrollback(s.stdout);
    const screen = render(createElement(App, { session, lang, auto, stack, simulation }), { exitOnCtrlC: false });
    const final = await session.run();
    // Let the last frame (the finished step in the list) reach the terminal before unmounting.
    await new Promise((resolve) => setTimeout(resolve, 50));
    screen.unmount();
    // The summary follows after a blank line, not on the last line of a frame that filled the terminal.
    if (restore()) s.stdout.write('\n');
    return final;
  }
  // In a simulation every step's heading says so too, so that no part of a log can pass for a real run.
  const write = simulation
    ? (text: string) => void s.stdout.write(text.replace(/^== /gm, `== [${SIMULATION_MARK}] `))
    : (text: string) => void s.stdout.write(text);
  if (simulation) write(`${simulationBanner(simulation, lang)}\n`);
  session.subscribe(plainPrinter(write, lang, session.getState()));
  if (simulation) session.subscribe(incidentPrinter(write, simulation, lang, auto));
  stack.subscribe(() => write(`  ${formatStackLine(stack.getState(), lang)}\n`));
  return session.run();
}

/**
 * A rollback that left something on the machine is a failure, whether the step failed or was quit:
 * a script running the wizard must not take the machine for as it was.
 */
export function exitCodeOf(state: WizardState, notTakenBack: readonly JournalEntry[] = []): number {
  if (notTakenBack.length > 0) return EXIT.stepFailed;
  if (state.phase.kind === 'quit') return state.phase.reason === 'failure' ? EXIT.stepFailed : EXIT.interrupted;
  return EXIT.ok;
}

/** What the summary says besides the steps and how the run ended. */
export interface SummaryParts {
  /** The last lines: what rollbacks took back, where the log is (a simulation has none). */
  closing: string[];
  /**
   * The machine's state found on start, for steps this run did not reach (a step redone earlier
   * in the list, then quit: what comes after it is still done, as `status` says).
   */
  known?: StepOverview[];
  /** How uWSGI is run from now on: said when the run leaves it running as a service. */
  manage?: ServiceManagement;
  /** A simulation: uWSGI runs on no machine, the commands are said as those of a real one. */
  simulated?: boolean;
}

/**
 * What stays on the terminal when the wizard ends, and goes into its log: every step's outcome,
 * how the run ended and why (the failure, with what to try), how to run uWSGI from now on (a
 * reboot included), then `closing`.
 */
export function summaryLines({ final: state, beforeEnd }: RunEnd, lang: Lang, parts: SummaryParts): string[] {
  const l = LABELS[lang];
  const { known, manage } = parts;
  const earlier = (index: number) => known?.[index]?.state === 'done';
  const word = (step: PlannedStep, index: number) =>
    index > state.stepIndex && state.statuses[step.id] === 'todo' && earlier(index)
      ? l.doneEarlier
      : l.status[state.statuses[step.id]];
  const lines = [
    '',
    ...state.plan.steps.map((step, i) => `  ${step.id.padEnd(11)} ${word(step, i)} · ${say(step.title, lang)}`),
    '',
    // A uWSGI the person kept: which process serves the app, since the service does not.
    ...state.kept.map((kept) => `[${kept.step}] ${l.keptRunning({ found: keptText(kept, lang) })}`),
  ];
  if (state.phase.kind === 'quit' && state.phase.reason === 'failure') {
    const failed = state.plan.steps[state.stepIndex];
    lines.push(`${l.failed} [${failed?.id}] ${failed ? say(failed.title, lang) : ''}`);
  } else if (state.phase.kind === 'quit') {
    lines.push(l.quit);
  } else {
    lines.push(l.finished);
  }
  lines.push(...troubleLines(beforeEnd, lang));
  const serviceIndex = state.plan.steps.findIndex((step) => step.id === 'service');
  const serviceStatus = state.statuses.service;
  const serviceRuns =
    serviceStatus === 'done' || serviceStatus === 'already-done' || (serviceStatus === 'todo' && earlier(serviceIndex));
  const noServiceManager = state.plan.platform.serviceManager === 'none';
  if (manage && serviceRuns)
    lines.push('', ...serviceLines(manage, state.plan.platform.serviceManager, lang, parts.simulated));
  // A uWSGI kept instead of the service's (its step skipped, so the service is neither started nor enabled):
  // nothing else says that a reboot ends it.
  else if (manage && state.kept.some((kept) => kept.step === 'service'))
    lines.push(
      `⚠ ${noServiceManager ? l.afterwards.keptNoServiceManager({ start: manage.start }) : l.afterwards.keptNotEnabled()}`,
    );
  lines.push(...parts.closing, '');
  return lines;
}

/** The summary (summaryLines), on stderr after a failure. */
export function printSummary(out: Pick<Surroundings, 'stdout' | 'stderr'>, end: RunEnd, lines: string[]): void {
  const failed = end.final.phase.kind === 'quit' && end.final.phase.reason === 'failure';
  (failed ? out.stderr : out.stdout).write(lines.join('\n'));
}

/** The quiz score of a record, in one line. */
export function scoreLine(progress: Progress | undefined, lang: Lang): string {
  const score = quizScore(progress, quizzes);
  return LABELS[lang].quiz.score(score);
}
