// The wizard as a pure state machine: (state, event) → state. No clock, no I/O: the time of a
// start comes in the event, and the session (session.ts) performs what a phase asks for.
import type { Finding } from './doctor/model.js';
import { stripVTControlCharacters } from 'node:util';
import {
  reduceQuiz,
  startQuiz,
  unansweredFor,
  type QuizAnswer,
  type QuizEvent,
  type QuizQuestion,
  type QuizRun,
} from './quiz.js';
import type { Action, Check, CheckResult, CommandAction, Plan, PlannedStep, StepId } from './types.js';
import { handsOnStages, type WrongMoveSeen } from './hands-on.js';
import { type LockHolder, lockWaitLimit } from './apt-lock.js';
import type { JournalEntry } from './journal.js';
import type { WriteOutcome, WriteProblem } from './ports.js';
import { foundByHand, takeOverOffers, type KeptRunning } from './take-over.js';

/** `already-done`: its checks passed before the wizard ran anything (done by hand or earlier). */
export type StepStatus = 'todo' | 'done' | 'already-done' | 'skipped' | 'failed';

export interface ActionFailure {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Why it failed, when it is not an exit code (a file that could not be written): the log's words. */
  message?: string;
  /** The same, as data, when the writing could name it: what the screen says, in the person's language. */
  writeProblem?: WriteProblem;
}

export type Phase =
  /** Asking the step's checks whether its result is already in place. */
  | { kind: 'probing' }
  /**
   * Before a step's first action: asking the machine about the pitfalls that would break the
   * step (PlannedStep.preflight). What it finds is shown as warnings; it never stops the run.
   */
  | { kind: 'preflight' }
  /**
   * A pitfall check found something the step can take over (a uWSGI already serving the app,
   * Check.takeOver; `check` indexes the step's preflight): stop it (the default) or keep it.
   */
  | { kind: 'found-running'; check: number }
  /** Stopping what was found, as chosen; then the pitfalls are asked again. */
  | { kind: 'taking-over'; check: number; startedAt: number }
  /** A step with nothing to run: the person reads, then continues. */
  | { kind: 'reading' }
  | { kind: 'confirm'; action: number }
  /**
   * Hands-on mode: the student does the step in their own shell; the wizard watches the checks
   * of stage `stage` (handsOnStages: the test page while their server runs, then the step's own).
   */
  | { kind: 'hands-on'; stage: number }
  /** `replaceApproved`: the person saw how their file differs and chose to replace it. */
  | { kind: 'running'; action: number; startedAt: number; replaceApproved?: boolean }
  /** A file to write already exists with other content: the person decides (replace / keep / view). */
  | { kind: 'file-differs'; action: number; diff: string; showNew: boolean }
  /** A server the person may look at in a browser; it runs until they say stop. */
  | { kind: 'serving'; action: number; startedAt: number }
  /**
   * Quit was asked while a command ran: the command is being stopped, or with `finishing` waited
   * for (apt once dpkg is at work: never cut off). `since`: when quit was first asked; `asked`: how
   * many times (a second Ctrl-C is explained again).
   */
  | { kind: 'stopping'; action: number; since?: number; asked?: number; finishing?: boolean }
  /** `diagnosed` and `doctor` as after a failed check: the doctor looks when a command fails too. */
  | { kind: 'action-failed'; action: number; failure: ActionFailure; diagnosed?: boolean; doctor?: Finding }
  | { kind: 'checking' }
  /**
   * `diagnosed`: the doctor has looked (when the wizard asks it for this step); `doctor`, the first
   * thing it found wrong, shown instead of a general hint.
   */
  /** `blocked`: a pitfall that would make the step fail was found before its first action (Check.blocks). */
  | { kind: 'check-failed'; diagnosed?: boolean; doctor?: Finding; blocked?: true }
  /** The step is done; before the next one, its quiz questions (quiz.ts) are asked. */
  | { kind: 'quiz'; run: QuizRun }
  | { kind: 'finished' }
  | { kind: 'quit'; reason: 'user' | 'failure' };

/** The end of a command's output: what the pane shows and what a failure quotes. */
export interface OutputTail {
  lines: string[];
  /** The line being written (no newline yet); a carriage return rewrites it, as a terminal would. */
  partial: string;
}

export interface WizardState {
  plan: Plan;
  stepIndex: number;
  phase: Phase;
  statuses: Record<StepId, StepStatus>;
  /** An action of the current step was skipped: the step ends as skipped, not done. */
  skippedAction: boolean;
  output: OutputTail;
  /** Checks observed while a command ran (the test page while uWSGI serves it). */
  runResults: CheckResult[];
  /** The step's own checks, from the last time they were asked. */
  checkResults: CheckResult[];
  /** The current step's pitfall checks, asked before its first action. */
  preflightResults: CheckResult[];
  /**
   * The fixes of the pitfalls found before the current step's actions (Check.fix), gone through
   * first: action i is fixes[i] below fixes.length, the step's own action i - fixes.length after.
   */
  fixes: CommandAction[];
  /** What became of the current step's actions so far, so the screen can list them. */
  completedActions: CompletedAction[];
  /** The checks that proved each finished step, for the record on screen and in the summary. */
  proofs: Partial<Record<StepId, CheckResult[]>>;
  /** The quiz questions of this run (none with --no-quiz or --yes). */
  quizzes: readonly QuizQuestion[];
  /** Questions answered right, in this run or an earlier one: these are not asked again. */
  quizAnswers: Record<string, QuizAnswer>;
  /** Hands-on mode (`--hands-on`): each step with actions is the student's to do; the wizard watches. */
  handsOn: boolean;
  /** The highest hint asked for, per step: 1 what to do, 2 the exact command, 3 do it for me. */
  hints: Partial<Record<StepId, number>>;
  /** Steps the wizard did for the student after "do it for me", and that ended done. */
  doneForStudent: Partial<Record<StepId, boolean>>;
  /** The current step is done by the wizard after "do it for me". */
  takenOver: boolean;
  /** The wrong moves seen at the last look while the student works (hands-on). */
  wrongMoves: WrongMoveSeen[];
  /** What the current step's rollback could not take back: still on the machine, and in the journal. */
  notTakenBack: JournalEntry[];
  /** The running command is apt waiting for another's lock: who holds it, since when, how long at most. */
  lockWait?: LockWait;
  /** The current step's take-over checks already offered (each is offered once per step). */
  offered: string[];
  /** Actions of the current step not to run: they would start a second uWSGI beside one the person kept. */
  skipActions: string[];
  /** Every uWSGI the person chose to keep in this run: the summary says which process serves. */
  kept: KeptRunning[];
}

export interface LockWait {
  holder: LockHolder;
  since: number;
  /** The longest apt waits (its DPkg::Lock::Timeout); then it gives up and the command fails. */
  limitSec?: number;
  /** The wizard waits, not apt (the lists' lock of `apt-get update`): it asks apt again until the lock is free. */
  byWizard?: true;
}

/** The questions to ask after the steps, and those answered in earlier runs. */
export interface QuizSetup {
  questions: readonly QuizQuestion[];
  answered: Record<string, QuizAnswer>;
}

export interface CompletedAction {
  action: number;
  skipped: boolean;
  durationMs?: number;
  /** A file action: whether it was written, and where an earlier version was kept. */
  file?: WriteOutcome;
}

export type WizardEvent =
  | { type: 'probed'; results: CheckResult[] }
  /** What the doctor found when a check or a command failed (nothing: the chain is healthy, or it could not look). */
  | { type: 'diagnosed'; finding?: Finding }
  /** The step's pitfall checks were asked; a failed one is a warning shown with the step. */
  | { type: 'preflighted'; results: CheckResult[] }
  | { type: 'continue'; at: number }
  | { type: 'skip' }
  | { type: 'retry'; at: number }
  | { type: 'redo' }
  /** `finishing`: the running command is left to finish rather than stopped (the session knows). */
  | { type: 'quit'; reason?: 'user' | 'failure'; at?: number; finishing?: boolean }
  | { type: 'output'; text: string }
  /** apt said it waits for a lock held by `holder` (the session reads apt's output); none: it went on. */
  | { type: 'lock-wait'; holder?: LockHolder; at: number }
  /** The checks of a server passed while it runs: the person may now look at it too. */
  | { type: 'served'; results: CheckResult[] }
  /** The file to write exists and differs (a unified diff, theirs → the wizard's). */
  | { type: 'file-differs'; diff: string }
  | { type: 'replace-file'; at: number }
  | { type: 'keep-file' }
  | { type: 'toggle-new-file' }
  | {
      type: 'action-finished';
      ok: boolean;
      failure?: ActionFailure;
      results?: CheckResult[];
      durationMs?: number;
      /** A file action's outcome. */
      file?: WriteOutcome;
    }
  /** A transactional step was rolled back; `kept`: what could not be taken back (none: all was). */
  | { type: 'rolled-back'; kept: JournalEntry[] }
  | { type: 'checked'; results: CheckResult[] }
  | QuizEvent
  /** Hands-on: the stage's checks were asked (and, when they did not all pass, the wrong moves). */
  | { type: 'watched'; results: CheckResult[]; wrongMoves: WrongMoveSeen[] }
  /** Hands-on: the next hint; the third is "do it for me", the step's actions to confirm. */
  | { type: 'hint' }
  /** Hands-on: back from "do it for me" (before anything ran) to doing it by hand. */
  | { type: 'by-hand' }
  /** What a take-over check found stays running; the step starts nothing beside it. */
  | { type: 'keep-found' }
  /** The stop command of a take-over has ended (`ok`: it stopped what was found). */
  | { type: 'took-over'; ok: boolean };

/** Lines kept in memory: enough for the pane and a failure's tail, bounded whatever the command prints. */
export const OUTPUT_TAIL_LINES = 100;
/** A line without an end (a command printing endlessly without newline) is kept to its last part. */
export const OUTPUT_LINE_CHARS = 4096;

/** Where a resumed run begins, and what is already known of the steps before it. */
export interface ResumePoint {
  startAt: number;
  statuses: Partial<Record<StepId, StepStatus>>;
  /** The person chose to do this step again: run it without first asking whether it is done. */
  redo?: boolean;
}

export function initialState(
  plan: Plan,
  resume?: ResumePoint,
  quiz?: QuizSetup,
  mode: { handsOn?: boolean } = {},
): WizardState {
  const statuses = Object.fromEntries(plan.steps.map((s) => [s.id, resume?.statuses[s.id] ?? 'todo'])) as Record<
    StepId,
    StepStatus
  >;
  const blank = {
    plan,
    stepIndex: 0,
    phase: { kind: 'finished' } as Phase,
    statuses,
    skippedAction: false,
    output: emptyTail(),
    runResults: [],
    checkResults: [],
    preflightResults: [],
    fixes: [],
    completedActions: [],
    proofs: {},
    quizzes: quiz?.questions ?? [],
    quizAnswers: { ...quiz?.answered },
    handsOn: mode.handsOn ?? false,
    hints: {},
    doneForStudent: {},
    takenOver: false,
    wrongMoves: [],
    notTakenBack: [],
    offered: [],
    skipActions: [],
    kept: [],
  };
  return enterStep(blank, resume?.startAt ?? 0, !resume?.redo);
}

export function currentStep(state: WizardState): PlannedStep | undefined {
  return state.plan.steps[state.stepIndex];
}

/** Action `index` of the current step as gone through in this run: the pitfalls' fixes first, then its own. */
export function actionAt(state: WizardState, step: PlannedStep, index: number): Action | undefined {
  return index < state.fixes.length ? state.fixes[index] : step.actions[index - state.fixes.length];
}

/** How many actions the current step goes through in this run (its own, and the fixes it needs). */
export function actionCount(state: WizardState, step: PlannedStep): number {
  return state.fixes.length + step.actions.length;
}

/**
 * The fixes of the pitfalls found: only on what a probe saw, never when it could not look (an
 * error, or an answer a simulation's recording does not have).
 */
function fixesFor(step: PlannedStep, results: CheckResult[]): CommandAction[] {
  return (step.preflight ?? []).flatMap((check) => {
    const result = results.find((r) => r.checkId === check.id);
    const found = result !== undefined && !result.ok && !['error', 'unrecorded'].includes(result.observed.kind);
    return found && check.fix ? [check.fix] : [];
  });
}

/** The pitfalls that stop a step found before its first action: only on what a probe saw, as for a fix. */
function blockingFound(step: PlannedStep, results: CheckResult[]): CheckResult[] {
  return (step.preflight ?? []).flatMap((check) => {
    const result = results.find((r) => r.checkId === check.id);
    const found = result !== undefined && !result.ok && !['error', 'unrecorded'].includes(result.observed.kind);
    return found && check.blocks ? [result] : [];
  });
}

/** The checks a failure of the step may show: those observed while running, its own, and the pitfalls that stop it. */
export function failureChecks(step: PlannedStep): Check[] {
  return [...runChecks(step), ...step.checks, ...(step.preflight ?? []).filter((check) => check.blocks)];
}

/** The checks observed while a step's commands run (the test page while uWSGI serves it). */
export function runChecks(step: PlannedStep): Check[] {
  return step.actions.flatMap((a) => (a.kind === 'command' ? (a.whileRunning?.checks ?? []) : []));
}

export function isOver(phase: Phase): boolean {
  return phase.kind === 'finished' || phase.kind === 'quit';
}

export function reduce(state: WizardState, event: WizardEvent): WizardState {
  const { phase } = state;
  const step = currentStep(state);
  if (isOver(phase) || !step) return state;

  switch (event.type) {
    case 'output':
      return { ...state, output: appendOutput(state.output, event.text) };

    case 'lock-wait': {
      if (phase.kind !== 'running' && phase.kind !== 'stopping') return state;
      if (!event.holder) return state.lockWait ? { ...state, lockWait: undefined } : state;
      // The same holder said again: the wait goes on, its countdown too.
      if (state.lockWait && JSON.stringify(state.lockWait.holder) === JSON.stringify(event.holder)) return state;
      const action = actionAt(state, step, phase.action);
      const limit = action?.kind === 'command' ? lockWaitLimit(action.command, event.holder.lock) : {};
      // apt asked again for the lists' lock (the wizard's wait): the same wait goes on, from when it began.
      const since = state.lockWait?.byWizard && limit.byWizard ? state.lockWait.since : event.at;
      return { ...state, lockWait: { holder: event.holder, since, ...limit } };
    }

    case 'quit':
      if (phase.kind === 'running' || phase.kind === 'serving')
        return {
          ...state,
          phase: {
            kind: 'stopping',
            action: phase.action,
            since: event.at,
            asked: 1,
            ...(event.finishing ? { finishing: true } : {}),
          },
        };
      if (phase.kind === 'stopping') return { ...state, phase: { ...phase, asked: (phase.asked ?? 1) + 1 } };
      return {
        ...state,
        phase: { kind: 'quit', reason: event.reason ?? 'user' },
        statuses: event.reason === 'failure' ? { ...state.statuses, [step.id]: 'failed' } : state.statuses,
      };

    case 'probed':
      if (phase.kind !== 'probing') return state;
      if (event.results.every((r) => r.ok))
        return finishStep({ ...state, checkResults: event.results }, 'already-done');
      return { ...state, phase: beforeActions(state, step) };

    case 'preflighted': {
      if (phase.kind !== 'preflight') return state;
      // Said before anything runs, and nothing is changed: the step stops here.
      const blocked = blockingFound(step, event.results);
      if (blocked.length > 0)
        return {
          ...state,
          preflightResults: event.results,
          checkResults: blocked,
          phase: { kind: 'check-failed', blocked: true },
        };
      const [offer] = takeOverOffers(step.preflight ?? [], event.results, state.offered);
      return {
        ...state,
        preflightResults: event.results,
        fixes: fixesFor(step, event.results),
        phase: offer === undefined ? firstAction(state, step) : { kind: 'found-running', check: offer },
      };
    }

    case 'keep-found': {
      if (phase.kind !== 'found-running') return state;
      const check = step.preflight![phase.check]!;
      const result = state.preflightResults.find((r) => r.checkId === check.id);
      const offered = [...state.offered, check.id];
      const kept = {
        ...state,
        offered,
        skipActions: [...state.skipActions, ...(check.takeOver?.skipWhenKept ?? [])],
        kept: [...state.kept, { step: step.id, checkId: check.id, found: result ? foundByHand(result.observed) : [] }],
      };
      const [next] = takeOverOffers(step.preflight ?? [], state.preflightResults, offered);
      return { ...kept, phase: next === undefined ? firstAction(kept, step) : { kind: 'found-running', check: next } };
    }

    case 'took-over':
      if (phase.kind !== 'taking-over') return state;
      // Asked again: the screen shows whether it is gone (a take-over is offered once per step).
      return { ...state, phase: { kind: 'preflight' } };

    case 'watched': {
      if (phase.kind !== 'hands-on') return state;
      if (!event.results.every((r) => r.ok)) {
        // Nothing new since the last look: the same state, so nothing is drawn or written again.
        if (
          JSON.stringify([event.results, event.wrongMoves]) === JSON.stringify([state.checkResults, state.wrongMoves])
        )
          return state;
        return { ...state, checkResults: event.results, wrongMoves: event.wrongMoves };
      }
      const passed = { ...state, wrongMoves: [], checkResults: [] };
      // The test page seen while their server runs: now they stop it, and the port is watched.
      if (phase.stage + 1 < handsOnStages(step).length)
        return {
          ...passed,
          runResults: mergeResults(state.runResults, event.results),
          phase: { kind: 'hands-on', stage: phase.stage + 1 },
        };
      return finishStep({ ...passed, checkResults: event.results }, 'done');
    }

    case 'hint': {
      if (phase.kind !== 'hands-on') return state;
      const level = Math.min(3, (state.hints[step.id] ?? 0) + 1);
      const hints = { ...state.hints, [step.id]: level };
      // "Do it for me": the step's own actions, shown and confirmed one by one as in a normal run.
      if (level === 3)
        return {
          ...state,
          hints,
          takenOver: true,
          runResults: [],
          checkResults: [],
          wrongMoves: [],
          phase: { kind: 'confirm', action: 0 },
        };
      return { ...state, hints };
    }

    case 'by-hand':
      if (phase.kind !== 'confirm' || !state.takenOver || state.completedActions.length > 0) return state;
      return { ...state, takenOver: false, phase: { kind: 'hands-on', stage: 0 } };

    case 'file-differs':
      if (phase.kind !== 'running') return state;
      return { ...state, phase: { kind: 'file-differs', action: phase.action, diff: event.diff, showNew: false } };

    case 'replace-file':
      if (phase.kind !== 'file-differs') return state;
      return {
        ...state,
        output: emptyTail(),
        phase: { kind: 'running', action: phase.action, startedAt: event.at, replaceApproved: true },
      };

    case 'keep-file':
      // Their file stays as it is: the write is skipped, so the step is skipped, not done.
      if (phase.kind !== 'file-differs') return state;
      return afterAction(
        {
          ...state,
          skippedAction: true,
          completedActions: [...state.completedActions, { action: phase.action, skipped: true }],
        },
        phase.action,
      );

    case 'toggle-new-file':
      if (phase.kind !== 'file-differs') return state;
      return { ...state, phase: { ...phase, showNew: !phase.showNew } };

    case 'served':
      if (phase.kind !== 'running') return state;
      return {
        ...state,
        runResults: event.results,
        phase: { kind: 'serving', action: phase.action, startedAt: phase.startedAt },
      };

    case 'continue':
      if (phase.kind === 'confirm') return startAction(state, phase.action, event.at);
      if (phase.kind === 'found-running') {
        const check = step.preflight![phase.check]!;
        return {
          ...state,
          offered: [...state.offered, check.id],
          output: emptyTail(),
          phase: { kind: 'taking-over', check: phase.check, startedAt: event.at },
        };
      }
      // Back to running: the server is being stopped, its action-finished follows.
      if (phase.kind === 'serving')
        return { ...state, phase: { kind: 'running', action: phase.action, startedAt: phase.startedAt } };
      if (phase.kind === 'reading')
        return step.checks.length > 0 ? { ...state, phase: { kind: 'checking' } } : finishStep(state, 'done');
      return state;

    case 'skip':
      if (phase.kind === 'confirm' || phase.kind === 'action-failed') {
        return afterAction(
          {
            ...state,
            skippedAction: true,
            completedActions: [...state.completedActions, { action: phase.action, skipped: true }],
          },
          phase.action,
        );
      }
      if (phase.kind === 'check-failed' || phase.kind === 'reading' || phase.kind === 'hands-on')
        return finishStep(state, 'skipped');
      return state;

    case 'retry':
      // A transactional step was rolled back when it failed: retrying means doing it all again.
      if (phase.kind === 'action-failed' && step.transactional)
        return {
          ...state,
          phase: { kind: 'confirm', action: 0 },
          skippedAction: false,
          runResults: [],
          completedActions: [],
        };
      if (phase.kind === 'action-failed') return startAction(state, phase.action, event.at);
      // A step stopped by a pitfall asks it again, and goes on if it is gone.
      if (phase.kind === 'check-failed' && phase.blocked) return { ...state, phase: { kind: 'preflight' } };
      if (phase.kind === 'check-failed') return { ...state, phase: { kind: 'checking' } };
      return state;

    case 'redo':
      if (phase.kind === 'check-failed' && phase.blocked) return { ...state, phase: { kind: 'preflight' } };
      if (phase.kind === 'check-failed' && step.actions.length > 0) {
        return {
          ...state,
          phase: { kind: 'confirm', action: 0 },
          skippedAction: false,
          runResults: [],
          checkResults: [],
          completedActions: [],
        };
      }
      return state;

    case 'action-finished':
      if (phase.kind === 'stopping') return { ...state, phase: { kind: 'quit', reason: 'user' } };
      if (phase.kind !== 'running' && phase.kind !== 'serving') return state;
      // Kept when it failed: apt gave up waiting, and the failure names who held the lock.
      if (state.lockWait && event.ok) return reduce({ ...state, lockWait: undefined }, event);
      if (event.ok) {
        const completed: CompletedAction = {
          action: phase.action,
          skipped: false,
          durationMs: event.durationMs,
          ...(event.file ? { file: event.file } : {}),
        };
        return afterAction(
          {
            ...state,
            runResults: mergeResults(state.runResults, event.results ?? []),
            completedActions: [...state.completedActions, completed],
          },
          phase.action,
        );
      }
      return {
        ...state,
        runResults: event.results ?? [],
        phase: {
          kind: 'action-failed',
          action: phase.action,
          failure: event.failure ?? { exitCode: null, signal: null, timedOut: false },
        },
      };

    case 'rolled-back':
      if (event.kept.length === 0 && state.notTakenBack.length === 0) return state;
      return { ...state, notTakenBack: event.kept };

    case 'diagnosed':
      if ((phase.kind !== 'check-failed' && phase.kind !== 'action-failed') || phase.diagnosed) return state;
      return { ...state, phase: { ...phase, diagnosed: true, ...(event.finding ? { doctor: event.finding } : {}) } };

    case 'checked':
      if (phase.kind !== 'checking') return state;
      if (event.results.every((r) => r.ok)) return finishStep({ ...state, checkResults: event.results }, 'done');
      return { ...state, checkResults: event.results, phase: { kind: 'check-failed' } };

    case 'quiz-move':
    case 'quiz-pick':
    case 'quiz-confirm': {
      if (phase.kind !== 'quiz') return state;
      const { run, answered, over } = reduceQuiz(phase.run, event);
      const quizAnswers = answered ? { ...state.quizAnswers, [answered.id]: answered.answer } : state.quizAnswers;
      if (over) return enterStep({ ...state, quizAnswers }, state.stepIndex + 1);
      return run === phase.run ? state : { ...state, quizAnswers, phase: { kind: 'quiz', run } };
    }
  }
}

/** Newer results replace older ones of the same check (a server's page seen, then seen again). */
function mergeResults(older: CheckResult[], newer: CheckResult[]): CheckResult[] {
  return [...older.filter((r) => !newer.some((n) => n.checkId === r.checkId)), ...newer];
}

function startAction(state: WizardState, action: number, at: number): WizardState {
  return { ...state, output: emptyTail(), lockWait: undefined, phase: { kind: 'running', action, startedAt: at } };
}

/** After action i ran or was skipped: the next action, else the step's checks. */
function afterAction(state: WizardState, action: number): WizardState {
  const step = currentStep(state)!;
  if (action + 1 < actionCount(state, step)) return { ...state, phase: { kind: 'confirm', action: action + 1 } };
  if (state.skippedAction) return finishStep(state, 'skipped');
  if (step.checks.length > 0) return { ...state, phase: { kind: 'checking' } };
  return finishStep(state, 'done');
}

function finishStep(state: WizardState, status: StepStatus): WizardState {
  const step = currentStep(state)!;
  const proofs = { ...state.proofs, [step.id]: [...state.runResults, ...state.checkResults] };
  const doneForStudent =
    state.takenOver && status === 'done' ? { ...state.doneForStudent, [step.id]: true } : state.doneForStudent;
  const finished = { ...state, statuses: { ...state.statuses, [step.id]: status }, proofs, doneForStudent };
  // Only a step gone through now is quizzed: not one found done, nor one skipped.
  const questions = status === 'done' ? unansweredFor(step.id, state.quizzes, state.quizAnswers) : [];
  if (questions.length > 0) return { ...finished, phase: { kind: 'quiz', run: startQuiz(questions) } };
  return enterStep(finished, state.stepIndex + 1);
}

function enterStep(state: WizardState, index: number, probeFirst = true): WizardState {
  const base = {
    ...state,
    stepIndex: index,
    skippedAction: false,
    output: emptyTail(),
    runResults: [],
    checkResults: [],
    preflightResults: [],
    fixes: [],
    completedActions: [],
    takenOver: false,
    wrongMoves: [],
    notTakenBack: [],
    lockWait: undefined,
    offered: [],
    skipActions: [],
  };
  const step = state.plan.steps[index];
  if (!step) return { ...base, stepIndex: state.plan.steps.length, phase: { kind: 'finished' } };
  if (probeFirst && step.probeBeforeRun && step.checks.length > 0) return { ...base, phase: { kind: 'probing' } };
  return { ...base, phase: beforeActions(base, step) };
}

/** What comes before a step's first action: its pitfall checks, if it has any. */
function beforeActions(state: WizardState, step: PlannedStep): Phase {
  return (step.preflight ?? []).length > 0 && step.actions.length > 0
    ? { kind: 'preflight' }
    : firstAction(state, step);
}

/** The first action to confirm; in hands-on mode, the student's turn (the wizard watches). */
function firstAction(state: WizardState, step: PlannedStep): Phase {
  if (step.actions.length === 0) return { kind: 'reading' };
  return state.handsOn && step.handsOn ? { kind: 'hands-on', stage: 0 } : { kind: 'confirm', action: 0 };
}

function emptyTail(): OutputTail {
  return { lines: [], partial: '' };
}

/** Add a chunk of command output to the tail, as a terminal would show it, keeping it bounded. */
export function appendOutput(tail: OutputTail, chunk: string): OutputTail {
  // A batch of a flood holds thousands of lines; only the last OUTPUT_TAIL_LINES of them can stay,
  // so the others (and the tail so far) are not even split apart.
  let from = chunk.length;
  for (let found = 0; found <= OUTPUT_TAIL_LINES && from > 0; found++) from = chunk.lastIndexOf('\n', from - 1);
  // `from` is now the newline before the last OUTPUT_TAIL_LINES complete lines; -1 or 0 when there
  // is none or it is the chunk's first character: then the whole chunk is split, and keepFrom
  // decides what stays.
  const pieces = from > 0 ? chunk.slice(from + 1).split('\n') : chunk.split('\n');
  const keepFrom = from > 0 ? 0 : Math.max(0, pieces.length - 1 - OUTPUT_TAIL_LINES);
  const dropsTail = from > 0 || keepFrom > 0;
  const lines = dropsTail ? [] : [...tail.lines];
  let partial = dropsTail ? '' : tail.partial;
  for (let i = keepFrom; i < pieces.length; i++) {
    partial = overwriteWithCarriageReturns(partial + stripVTControlCharacters(pieces[i]!));
    if (i < pieces.length - 1) {
      const line = withoutTrailingCarriageReturn(partial);
      lines.push(line.length > OUTPUT_LINE_CHARS ? line.slice(0, OUTPUT_LINE_CHARS) : line);
      partial = '';
    }
  }
  if (partial.length > OUTPUT_LINE_CHARS) partial = partial.slice(-OUTPUT_LINE_CHARS);
  return { lines: lines.length > OUTPUT_TAIL_LINES ? lines.slice(-OUTPUT_TAIL_LINES) : lines, partial };
}

// Progress bars (pip, apt) redraw a line with "\r"; only what follows the last one is visible.
// A trailing "\r" is kept until the next chunk: it may be half of a "\r\n" line end, which
// rewrites nothing, or the start of a redraw.
function overwriteWithCarriageReturns(line: string): string {
  const pending = line.endsWith('\r');
  const body = pending ? line.slice(0, -1) : line;
  const cut = body.lastIndexOf('\r');
  const visible = cut === -1 ? body : body.slice(cut + 1);
  return pending ? `${visible}\r` : visible;
}

function withoutTrailingCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** The last `count` lines of output, the unfinished one included. */
export function outputTail(tail: OutputTail, count: number): string[] {
  const partial = withoutTrailingCarriageReturn(tail.partial);
  const all = partial ? [...tail.lines, partial] : tail.lines;
  return all.slice(-count);
}
