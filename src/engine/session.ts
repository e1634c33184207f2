// A session drives one wizard run: it holds the state, applies events through the pure reducer,
// and performs what each new phase asks for (probe, run, write, check) through the System port.
// The screen and the plain-line printer both only subscribe to it and send the person's events.
import type { Finding } from './doctor/model.js';
import { octal } from './plan.js';
import { runsPackageManager } from './commands.js';
import { LISTS_LOCK_ASK_MS, lockWaitIn } from './apt-lock.js';
import {
  backupCommand,
  backupName,
  createdEntry,
  describeEntry,
  entryPath,
  exitLine,
  type JournalEntry,
  takeBack,
} from './journal.js';
import {
  type PathState,
  type ProbeAnswer,
  type RunOutcome,
  type RunningCommand,
  type System,
  type Transcript,
  WriteFileError,
} from './ports.js';
import type {
  Action,
  Check,
  CheckResult,
  CommandAction,
  Effect,
  Plan,
  PlanContext,
  PlannedStep,
  StepId,
} from './types.js';
import { evidence, handsOnStages, type WrongMoveSeen } from './hands-on.js';
import { foundByHand, stopCommand } from './take-over.js';
import {
  actionAt,
  actionCount,
  currentStep,
  initialState,
  isOver,
  reduce,
  type Phase,
  type LockWait,
  type QuizSetup,
  type ResumePoint,
  type WizardEvent,
  type WizardState,
} from './wizard.js';

export interface SessionOptions {
  /** Confirm every command and stop at the first failure: `--yes`. */
  auto: boolean;
  transcript?: Transcript;
  now?: () => number;
  /** Pause between two askings of a check that is still settling (ms; 100 by default). */
  pollMs?: number;
  /** Pause before apt is asked again for the lists' lock another holds (ms; LISTS_LOCK_ASK_MS by default). */
  listsLockAskMs?: number;
  /** Continue a run left earlier: begin at this step. */
  resume?: ResumePoint;
  /** What earlier runs created; this run's entries are added after them. */
  journal?: JournalEntry[];
  /** Told each time the journal changes, to keep it on disk for `undo`. */
  onJournal?: (entries: JournalEntry[]) => void;
  /**
   * The machine and account the commands that take entries back are derived for (journal.ts): given,
   * a transactional step that fails midway is rolled back.
   */
  undoContext?: PlanContext;
  /** Quiz questions to ask after their steps. Never with `auto`: nobody is there to answer. */
  quiz?: QuizSetup;
  /**
   * Unattended, a failed check ends the run, unless this says to check again: the simulation's
   * recorded failure, which the recorded run fixed and checked again (src/simulate).
   */
  autoRetry?: (state: WizardState) => boolean;
  /** Hands-on mode: the student types each step in their own shell; the wizard watches its checks. */
  handsOn?: boolean;
  /**
   * When a step's checks fail, the doctor's first finding for this step (undefined where it does
   * not look, or finds nothing): shown with the failure instead of a general hint.
   */
  diagnose?: (step: StepId) => Promise<Finding | undefined>;
  /**
   * Pause between two looks at the student's work (ms): often enough to feel immediate, cheap enough to go unnoticed.
   */
  watchMs?: number;
}

export type Listener = (state: WizardState, event: WizardEvent) => void;

export class WizardSession {
  private state: WizardState;
  private readonly listeners = new Set<Listener>();
  private running: RunningCommand | undefined;
  private readonly finished: Promise<WizardState>;
  private resolveFinished!: (state: WizardState) => void;
  private readonly now: () => number;
  private readonly pollMs: number;
  private journal: JournalEntry[];

  constructor(
    plan: Plan,
    private readonly system: System,
    private readonly options: SessionOptions,
  ) {
    this.state = initialState(plan, options.resume, options.auto ? undefined : options.quiz, {
      handsOn: options.handsOn,
    });
    this.now = options.now ?? Date.now;
    // A person waits for each answer, and asking again is cheap (a page, a look at /proc): 500 ms
    // made an unattended run ~1 s slower than the same commands in a script (npm run bench).
    this.pollMs = options.pollMs ?? 100;
    this.journal = [...(options.journal ?? [])];
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  getState = (): WizardState => this.state;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Begin with the first step's phase; resolves with the final state when the run is over. */
  run(): Promise<WizardState> {
    this.enter(this.state.phase);
    return this.finished;
  }

  dispatch = (event: WizardEvent): void => {
    // Whether a stop will wait for the running command is the machine's to say (dpkg at work).
    if (event.type === 'quit' && this.running?.mustFinish)
      event = { ...event, finishing: event.finishing ?? this.running.mustFinish() };
    const previous = this.state;
    this.state = reduce(previous, event);
    if (this.state === previous) return;
    for (const listener of this.listeners) listener(this.state, event);
    if (this.state.phase !== previous.phase) this.enter(this.state.phase);
  };

  /** Ctrl-C / SIGTERM: stop the running command (if any) and end the run as it stands. */
  interrupt(): void {
    this.dispatch({ type: 'quit', at: this.now() });
  }

  private enter(phase: Phase): void {
    const step = currentStep(this.state);
    switch (phase.kind) {
      case 'probing':
        void this.askChecks(step!.checks, false).then((results) =>
          this.dispatchIfStill(phase, { type: 'probed', results }),
        );
        return;
      case 'preflight':
        void this.askChecks(step!.preflight ?? [], false).then((results) => {
          this.log(
            `${results.map((r) => `before ${r.ok ? 'ok  ' : 'WARN'} ${r.checkId}: ${observedForLog(r)}`).join('\n')}\n`,
          );
          this.dispatchIfStill(phase, { type: 'preflighted', results });
        });
        return;
      case 'confirm': {
        // "Do it for me" after part of the step by hand: what the student made so far is theirs to take back too.
        if (this.state.takenOver && this.beforeStudent?.step === step?.id)
          this.studentWorkRecorded = this.recordStudentWork(step!, { partly: true });
        // An action that would start a second uWSGI beside the one the person kept.
        const action = actionAt(this.state, step!, phase.action);
        if (action && this.state.skipActions.includes(action.id)) {
          this.log(`skipped ${action.id}: a uWSGI kept running serves the app\n`);
          this.later({ type: 'skip' });
          return;
        }
        if (this.options.auto) this.later({ type: 'continue', at: this.now() });
        return;
      }
      case 'reading':
      case 'found-running':
        // Unattended, what was found is stopped (the default); the output says so.
        if (this.options.auto) this.later({ type: 'continue', at: this.now() });
        return;
      case 'taking-over':
        void this.takeOver(step!, phase.check).then((ok) => this.dispatchIfStill(phase, { type: 'took-over', ok }));
        return;
      case 'check-failed':
        // The doctor looks first (once); the failure is shown, and an unattended run ends, with its finding.
        if (this.options.diagnose && !phase.diagnosed) {
          this.askDoctor(step!, phase);
          return;
        }
        this.failedUnattended();
        return;
      case 'action-failed':
        // A command that failed (`nginx -t`, the service's start) is asked about as a failed check is,
        // once a transactional step's rollback is over: the finding is about the machine as it is now.
        // A file that could not be written says why itself.
        if (
          this.options.diagnose &&
          !phase.diagnosed &&
          actionAt(this.state, step!, phase.action)?.kind === 'command'
        ) {
          this.askDoctor(step!, phase);
          return;
        }
        this.failedUnattended();
        return;
      case 'running':
        // Back from 'serving': the command is already running and is being stopped.
        if (this.running) return;
        void this.perform(actionAt(this.state, step!, phase.action)!);
        return;
      case 'hands-on':
        void this.watchStudent(phase);
        return;
      case 'serving':
      case 'quiz':
        return;
      case 'stopping': {
        // Asked again (a second Ctrl-C): the stop under way goes on; the screen explains again.
        if ((phase.asked ?? 1) > 1) return;
        const action = step && actionAt(this.state, step, phase.action);
        if (phase.finishing) this.log('stop asked: apt/dpkg is left to finish (never cut off), then the run ends\n');
        else if (action?.kind === 'command' && runsPackageManager(action.command))
          this.log('stop asked: dpkg has not begun its work yet (apt waits or downloads): apt is interrupted\n');
        this.running?.stop();
        return;
      }
      case 'checking':
        void this.askChecks(step!.checks, true).then((results) => {
          this.log(
            `${results.map((r) => `check ${r.ok ? 'ok  ' : 'FAIL'} ${r.checkId}: ${observedForLog(r)}`).join('\n')}\n`,
          );
          this.dispatchIfStill(phase, { type: 'checked', results });
        });
        return;
      case 'finished':
        this.resolveFinished(this.state);
        return;
      case 'quit': {
        // Stopped in the middle of an all-or-nothing step, before all its commands ran: take
        // back what it did so far. Once they all ran (a check failed after), what is in place
        // stays, for the person to look into.
        // Not when its failure already did (the phase before was action-failed): what that could
        // not take back is for `undo` now, as the person was told.
        const midway = step !== undefined && this.state.completedActions.length < actionCount(this.state, step);
        void (midway && this.rolledBackStep !== step.id ? this.rollback(step) : Promise.resolve()).then(() =>
          this.resolveFinished(this.state),
        );
        return;
      }
    }
  }

  /** The doctor's first finding for this step (none where it does not look), told to the phase that asked. */
  private askDoctor(step: PlannedStep, phase: Phase): void {
    void this.options.diagnose!(step.id)
      .catch((error: unknown) => {
        this.log(`doctor could not look: ${String(error)}\n`);
        return undefined;
      })
      .then((finding) => {
        if (finding) this.log(`doctor: ${finding.cause} (${finding.layer})\n`);
        this.dispatchIfStill(phase, { type: 'diagnosed', finding });
      });
  }

  /** Unattended, a failure ends the run, unless the simulation's recording checks again (autoRetry). */
  private failedUnattended(): void {
    if (!this.options.auto) return;
    this.later(
      this.options.autoRetry?.(this.state) ? { type: 'retry', at: this.now() } : { type: 'quit', reason: 'failure' },
    );
  }

  // Automatic answers go through the event loop, so that listeners see every phase in order.
  private later(event: WizardEvent): void {
    setImmediate(() => this.dispatch(event));
  }

  // A probe that answers after the person moved on (quit, skip) must not act on a later phase.
  private dispatchIfStill(phase: Phase, event: WizardEvent): void {
    if (this.state.phase === phase) this.dispatch(event);
  }

  private async perform(action: Action): Promise<void> {
    // Before the wizard's own part: what it makes must not be taken for the student's, nor journaled twice.
    await this.studentWorkRecorded;
    const step = currentStep(this.state)!;
    this.rolledBackStep = undefined;
    if (action.kind === 'file') {
      // A person at the screen decides about a file of theirs that differs; unattended, it is
      // replaced and the earlier version kept as a backup (writeFile does that).
      const approved = this.state.phase.kind === 'running' && this.state.phase.replaceApproved === true;
      if (!this.options.auto && !approved) {
        const current = await this.system.readText(action.path);
        if (current !== undefined && current !== action.content) {
          // Loaded only when a file differs, not on every start.
          const { createTwoFilesPatch } = await import('diff');
          this.dispatch({
            type: 'file-differs',
            diff: createTwoFilesPatch(action.path, action.path, current, action.content, 'yours, now', 'to be written'),
          });
          return;
        }
      }
      this.log(
        `\n== [${step.id}] write ${action.path} (${action.owner}:${action.group} ${octal(action.mode)})\n${action.content}`,
      );
      try {
        const outcome = await this.system.writeFile(action);
        if (outcome.written)
          this.remember({
            kind: 'file',
            step: step.id,
            action: action.id,
            path: action.path,
            owner: action.owner,
            backup: outcome.backup,
          });
        const report = !outcome.written
          ? `${action.path}: already exactly as shown, left alone\n`
          : `${action.path}: written${outcome.backup ? `; the earlier version is kept as ${outcome.backup}` : ''}\n`;
        // The log's words; the screen and plain output say the outcome (the event's data) in the person's.
        this.log(report);
        // Not dispatchIfStill: after a quit during the write the phase is 'stopping', which waits
        // for exactly this event to end the run.
        this.dispatch({ type: 'action-finished', ok: true, durationMs: 0, file: outcome });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.log(`write failed: ${message}\n`);
        if (step.transactional) await this.rollback(step);
        this.dispatch({
          type: 'action-finished',
          ok: false,
          failure: {
            exitCode: null,
            signal: null,
            timedOut: false,
            message,
            writeProblem: error instanceof WriteFileError ? error.problem : undefined,
          },
        });
      }
      return;
    }
    this.log(`\n== [${step.id}] $ ${action.command}${action.cwd ? `    (in ${action.cwd})` : ''}\n`);
    const effects = action.effects ?? [];
    let before: Before[];
    try {
      before = await Promise.all(effects.map((effect) => this.effectBefore(step.id, effect)));
    } catch (error) {
      // No copy of the file it would edit: the command is not run, and nothing has changed.
      const message = error instanceof Error ? error.message : String(error);
      this.log(`${message}\n`);
      const writeProblem = error instanceof WriteFileError ? error.problem : undefined;
      const failure = { exitCode: null, signal: null, timedOut: false, message, writeProblem };
      this.dispatch({ type: 'action-finished', ok: false, failure });
      return;
    }
    const packageManager = runsPackageManager(action.command);
    let results: CheckResult[] | undefined;
    let outcome: RunOutcome;
    for (;;) {
      this.holderNamed = false;
      const command = this.system.start(action, (text) => {
        this.options.transcript?.write(text);
        this.dispatch({ type: 'output', text });
        if (packageManager) this.noteLockWait(text);
      });
      this.running = command;
      results = action.whileRunning ? await this.watchWhileRunning(action, command) : undefined;
      outcome = await command.done;
      this.running = undefined;
      this.log(`${exitLine(outcome)}\n`);
      const wait = this.state.lockWait;
      if (wait?.byWizard && !this.holderNamed) this.endLockWait(wait);
      if (outcome.exitCode === 0 || !(await this.waitedForListsLock())) break;
      this.log(`\n-- apt is asked again: $ ${action.command}\n`);
    }
    const ok = results ? results.every((r) => r.ok) : outcome.exitCode === 0 && !outcome.timedOut;
    await this.recordEffects(step.id, action.id, effects, before, ok);
    if (!ok && step.transactional) await this.rollback(step);
    this.dispatch({
      type: 'action-finished',
      ok,
      results,
      durationMs: outcome.durationMs,
      failure: ok ? undefined : { exitCode: outcome.exitCode, signal: outcome.signal, timedOut: outcome.timedOut },
    });
  }

  /**
   * `apt-get update` gave up at once on the lists' lock, held by another (apt never waits for that
   * one): wait a little, and say whether to ask apt again, as long as the wizard's wait lasts and
   * the person has not stopped it (the screen counts it down and names the holder).
   */
  private async waitedForListsLock(): Promise<boolean> {
    const wait = this.state.lockWait;
    if (!wait?.byWizard || wait.limitSec === undefined || this.state.phase.kind !== 'running') return false;
    if (this.now() - wait.since >= wait.limitSec * 1000) {
      this.log(`\n-- the lists' lock was still held after ${wait.limitSec}s of waiting: the wizard gives up\n`);
      return false;
    }
    await this.pauseWhileRunning(this.options.listsLockAskMs ?? LISTS_LOCK_ASK_MS);
    return this.state.phase.kind === 'running';
  }

  /** Wait `ms`, or less when the person stops the run meanwhile. */
  private pauseWhileRunning(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      };
      const timer = setTimeout(finish, ms);
      const unsubscribe = this.subscribe((state) => {
        if (state.phase.kind !== 'running') finish();
      });
    });
  }

  /** apt's output says it waits for another's lock, or that it went on: tell the screen, and the log. */
  private noteLockWait(text: string): void {
    const said = lockWaitIn(text);
    const waiting = this.state.lockWait;
    if (said === undefined || (said === 'over' && !waiting)) return;
    if (said === 'over') {
      // The wizard's own wait lasts from one asking of apt to the next: what apt says first each time
      // ("Reading package lists...") does not end it; an asking that no longer names the holder does.
      if (!waiting!.byWizard) this.endLockWait(waiting!);
      return;
    }
    this.holderNamed = true;
    const { lock, pid, program } = said.waiting;
    if (!waiting || waiting.holder.pid !== pid)
      this.log(`\n-- apt waits for ${lock}, held by process ${pid}${program ? ` (${program})` : ''}\n`);
    this.dispatch({ type: 'lock-wait', holder: said.waiting, at: this.now() });
  }

  /** Stop what a take-over check found (the person chose it, or --yes); true when it has ended. */
  private async takeOver(step: PlannedStep, index: number): Promise<boolean> {
    const check = step.preflight![index]!;
    const result = this.state.preflightResults.find((r) => r.checkId === check.id);
    const found = result ? foundByHand(result.observed) : [];
    if (found.length === 0) return true;
    const stop = stopCommand(check, found);
    this.log(`\n== [${step.id}] stop the uWSGI found running: ${JSON.stringify(found)}\n$ ${stop.command}\n`);
    this.dispatch({ type: 'output', text: `$ ${stop.command}\n` });
    const outcome = await this.system.start(stop, (text) => {
      this.options.transcript?.write(text);
      this.dispatch({ type: 'output', text });
    }).done;
    this.log(`-- exit ${outcome.exitCode ?? outcome.signal}${outcome.timedOut ? ' (time limit reached)' : ''}\n`);
    return outcome.exitCode === 0 && !outcome.timedOut;
  }

  /** Whether the running asking of apt named the holder of a lock (noteLockWait). */
  private holderNamed = false;

  private endLockWait(waiting: LockWait): void {
    this.log(`\n-- the lock was free after ${((this.now() - waiting.since) / 1000).toFixed(0)}s of waiting\n`);
    this.dispatch({ type: 'lock-wait', at: this.now() });
  }

  /**
   * A server the person would test in a browser and then stop with Ctrl-C: ask its checks until
   * they pass, it exits on its own, or its time is up; then stop it like Ctrl-C would.
   */
  private async watchWhileRunning(action: CommandAction, command: RunningCommand): Promise<CheckResult[]> {
    const { checks, readyTimeoutSec } = action.whileRunning!;
    let exited = false;
    void command.done.then(() => (exited = true));
    const deadline = this.now() + readyTimeoutSec * 1000;
    let results = await this.askChecks(checks, false);
    while (!results.every((r) => r.ok) && !exited && this.now() < deadline && this.state.phase.kind === 'running') {
      await sleep(this.pollMs);
      results = await this.askChecks(checks, false);
    }
    if (!this.options.auto && !exited && results.every((r) => r.ok) && this.state.phase.kind === 'running') {
      this.dispatch({ type: 'served', results });
      // Serve until the person says stop (Enter, q, Ctrl-C) or the server ends on its own.
      await new Promise<void>((resolve) => {
        const finish = (): void => {
          unsubscribe();
          resolve();
        };
        const unsubscribe = this.subscribe((state) => {
          if (state.phase.kind !== 'serving') finish();
        });
        void command.done.then(finish);
      });
    }
    command.stop();
    return results;
  }

  /**
   * Hands-on: look at the student's work every watchMs until the stage's checks pass (the reducer
   * then moves on) or the person does something else (a hint taken to "do it for me", skip, quit).
   * While they do not pass, the step's wrong moves are asked too, so that a mistake gets its hint.
   */
  private async watchStudent(phase: Phase): Promise<void> {
    if (phase.kind !== 'hands-on') return;
    const step = currentStep(this.state)!;
    const stages = handsOnStages(step);
    const checks = stages[phase.stage] ?? [];
    if (this.beforeStudent?.step !== step.id) await this.noteBeforeStudent(step);
    let seen = '';
    while (this.state.phase === phase) {
      const results = await this.askChecks(checks, false);
      const passed = results.every((r) => r.ok);
      const wrongMoves = passed ? [] : await this.askWrongMoves(step);
      if (this.state.phase !== phase) return;
      const now = JSON.stringify(wrongMoves);
      if (now !== seen && wrongMoves.length > 0)
        this.log(`hands-on [${step.id}] wrong move: ${wrongMoves.map((m) => `${m.id} (${m.found})`).join('; ')}\n`);
      seen = now;
      if (passed)
        this.log(
          `hands-on [${step.id}] done by the student:\n${results.map((r) => `check ok   ${r.checkId}: ${observedForLog(r)}`).join('\n')}\n`,
        );
      if (passed && phase.stage === stages.length - 1) await this.recordStudentWork(step);
      if (this.state.phase !== phase) return;
      this.dispatch({ type: 'watched', results, wrongMoves });
      if (passed) return;
      await sleep(this.options.watchMs ?? 1000);
    }
  }

  /**
   * Hands-on: the step the student is working on, and the paths every step's files and declared effects would make
   * as they were when the student began (the session's first hands-on stage). What the student made is journaled like
   * the wizard's own (recordStudentWork), so that `undo` takes it back: a site they linked must not stay enabled,
   * answering 502, once uWSGI is gone. Noted once, not as each step begins: a student may type ahead of the wizard
   * (start the test server while the wizard still checks the file before), and what they made then is theirs too.
   */
  private beforeStudent: { step: StepId } | undefined;
  private pathsAtStart: Promise<Map<string, PathState>> | undefined;

  private async noteBeforeStudent(step: PlannedStep): Promise<void> {
    this.pathsAtStart ??= this.notePaths(this.state.plan.steps);
    await this.pathsAtStart;
    this.beforeStudent = { step: step.id };
  }

  private async notePaths(steps: readonly PlannedStep[]): Promise<Map<string, PathState>> {
    const paths = [
      ...new Set(
        steps.flatMap((step) =>
          step.actions.flatMap((action) =>
            action.kind === 'file'
              ? [action.path]
              : (action.effects ?? []).flatMap((effect) => ('path' in effect ? [effect.path] : [])),
          ),
        ),
      ),
    ];
    const states = await Promise.all(paths.map((path) => this.system.inspect(path)));
    return new Map(paths.map((path, i) => [path, states[i]!]));
  }

  /** The student's part of a step the wizard was then asked to finish, being journaled (recordStudentWork). */
  private studentWorkRecorded: Promise<void> = Promise.resolve();

  /**
   * Once the student's work passes the step's checks, or when they hand the rest of the step to the wizard
   * (`partly`): journal what was not there before they began, as a run of the step's actions would have (a file
   * written where there was none, a path created, a link made or pointed here, a process started). A file that was
   * there before and that they changed is theirs: no backup of it exists to restore. Handed over partly, what they
   * started is not known: the wizard's own run of the step records what it starts.
   */
  private async recordStudentWork(step: PlannedStep, { partly = false } = {}): Promise<void> {
    const before = this.beforeStudent;
    this.beforeStudent = undefined;
    if (before?.step !== step.id || !this.pathsAtStart) return;
    const atStart = await this.pathsAtStart;
    // A path already journaled (by the wizard, or by a step before) is not the student's a second time.
    const journaled = new Set(this.journal.map(entryPath));
    const wasThere = (path: string): PathState => (journaled.has(path) ? { kind: 'file' } : atStart.get(path)!);
    const recordedBefore = this.journal.length;
    for (const action of step.actions) {
      if (action.kind === 'file') {
        if (wasThere(action.path).kind === 'none' && (await this.system.inspect(action.path)).kind !== 'none')
          this.remember({ kind: 'file', step: step.id, action: action.id, path: action.path, owner: action.owner });
        continue;
      }
      // A rule the student added by hand is not known from before they began: theirs to take back.
      const effects = (action.effects ?? []).filter(
        (effect) =>
          effect.kind !== 'opens' &&
          effect.kind !== 'edits' &&
          effect.kind !== 'certifies' &&
          !(partly && effect.kind === 'starts'),
      );
      const before = effects.map((effect) => ('path' in effect ? wasThere(effect.path) : undefined));
      await this.recordEffects(step.id, action.id, effects, before, true);
    }
    const made = this.journal.slice(recordedBefore);
    if (made.length > 0)
      this.log(
        `hands-on [${step.id}] the student's work${partly ? ' before "do it for me"' : ''}, for undo: ` +
          `${made.map(describeEntry).join('; ')}\n`,
      );
  }

  private async askWrongMoves(step: PlannedStep): Promise<WrongMoveSeen[]> {
    const moves = step.handsOn?.wrongMoves ?? [];
    const answers = await Promise.all(moves.map((move) => this.system.probe(move.probe).catch(() => undefined)));
    return moves.flatMap((move, i) => (answers[i]?.ok ? [{ id: move.id, found: evidence(answers[i]!) }] : []));
  }

  /** Ask checks in parallel; with `settle`, a failing check is asked again until its settleSec. */
  private async askChecks(checks: Check[], settle: boolean): Promise<CheckResult[]> {
    return Promise.all(
      checks.map(async (check) => {
        const deadline = this.now() + (settle ? (check.settleSec ?? 0) * 1000 : 0);
        let answer: ProbeAnswer = await this.safeProbe(check);
        while (!answer.ok && this.now() < deadline && !isOver(this.state.phase)) {
          await sleep(this.pollMs);
          answer = await this.safeProbe(check);
        }
        return { checkId: check.id, ...answer };
      }),
    );
  }

  private async safeProbe(check: Pick<Check, 'probe'>): Promise<ProbeAnswer> {
    try {
      return await this.system.probe(check.probe);
    } catch (error) {
      return {
        ok: false,
        observed: { kind: 'error', message: error instanceof Error ? error.message : String(error) },
      };
    }
  }

  /**
   * What an effect's subject was before its command: a path's state, whether a rule or a certificate was there, a
   * file's text and the copy kept of it before another program edits it, nothing for a process.
   */
  private async effectBefore(step: StepId, effect: Effect): Promise<Before> {
    if (effect.kind === 'starts' || effect.kind === 'moves') return undefined;
    if (effect.kind === 'opens' || effect.kind === 'certifies')
      return (await this.safeProbe({ probe: effect.isThere })).ok;
    if (effect.kind === 'edits') return this.keepCopy(step, effect.path);
    return this.system.inspect(effect.path);
  }

  /**
   * Copy a file aside before a program edits it (certbot, the nginx site), as the wizard does before it replaces a
   * file: `FILE.bak-TIME`, beside it. Without an undo context nothing could put it back, so nothing is copied.
   */
  private async keepCopy(step: StepId, path: string): Promise<Before> {
    const ctx = this.options.undoContext;
    const text = await this.system.readText(path);
    if (!ctx || text === undefined) return { text };
    const copy = backupCommand(ctx, path, backupName(path, this.now()));
    this.log(`\n== [${step}] keep a copy before it is edited\n$ ${copy.action.command}\n`);
    const outcome = await this.system.start(copy.action, (output) => this.options.transcript?.write(output)).done;
    this.log(`${exitLine(outcome)}\n`);
    if (outcome.exitCode !== 0)
      throw new WriteFileError({ kind: 'no-backup', path, output: `exit ${outcome.exitCode}` });
    return { text, backup: copy.backup };
  }

  /**
   * Journal what a command left behind: only what was not there before (a path it created, a link
   * it pointed elsewhere), whether it then succeeded or not; a process only when it started.
   */
  private async recordEffects(
    step: StepId,
    action: string,
    effects: Effect[],
    before: Before[],
    ok: boolean,
  ): Promise<void> {
    for (const [i, effect] of effects.entries()) {
      if (effect.kind === 'starts') {
        if (ok) this.remember({ kind: 'started', step, action, what: effect.what });
        continue;
      }
      if (effect.kind === 'opens' || effect.kind === 'certifies') {
        // Only a rule or a certificate that was not there before: one the person had stays theirs.
        if (before[i] !== false || !(await this.safeProbe({ probe: effect.isThere })).ok) continue;
        if (effect.kind === 'opens') this.remember({ kind: 'opened', step, action, rule: effect.rule });
        else this.remember({ kind: 'certified', step, action, name: effect.name });
        continue;
      }
      if (effect.kind === 'edits') {
        await this.recordEdit(step, action, effect.path, before[i] as EditedBefore);
        continue;
      }
      if (effect.kind === 'moves') {
        if (ok) this.forgetBelow(effect.trees);
        continue;
      }
      const was = before[i] as PathState;
      const now = await this.system.inspect(effect.path);
      if (was.kind === 'none' && now.kind !== 'none') this.remember(createdEntry(step, action, effect));
      else if (effect.kind === 'links' && was.kind === 'link' && now.kind === 'link' && was.target !== now.target) {
        const { path, runAs } = effect;
        this.remember({ kind: 'relinked', step, action, path, previousTarget: was.target!, runAs });
      }
    }
  }

  /** An edited file is journaled with the copy kept of it; a copy of a file left as it was is not kept. */
  private async recordEdit(step: StepId, action: string, path: string, before: EditedBefore): Promise<void> {
    const { backup } = before;
    if (backup === undefined) return;
    if ((await this.system.readText(path)) !== before.text) {
      this.remember({ kind: 'file', step, action, path, owner: 'root', backup });
      return;
    }
    const remove = backupCommand(this.options.undoContext!, path, backup).removal;
    this.log(`$ ${remove.command}\n`);
    this.log(`${exitLine(await this.system.start(remove, (output) => this.options.transcript?.write(output)).done)}\n`);
  }

  /** Entries about paths below these trees, moved elsewhere whole, leave the journal (the 'moves' effect). */
  private forgetBelow(trees: readonly string[]): void {
    const below = (path: string | undefined) => path !== undefined && trees.some((tree) => path.startsWith(`${tree}/`));
    const kept = this.journal.filter((entry) => !below(entryPath(entry)));
    if (kept.length === this.journal.length) return;
    this.journal = kept;
    this.options.onJournal?.(this.journal);
  }

  private remember(entry: JournalEntry): void {
    // The same thing made again (deploy's code.new, at every deploy) is taken back once: undo lists it once.
    const same = JSON.stringify(entry);
    if (this.journal.some((recorded) => JSON.stringify(recorded) === same)) return;
    this.journal = [...this.journal, entry];
    this.options.onJournal?.(this.journal);
  }

  private readonly takenBack: JournalEntry[] = [];
  /** What the latest rollback of each step could not take back: still on the machine, still in the journal. */
  private kept: JournalEntry[] = [];
  /** The step whose rollback ran since its last action started: a quit now has nothing more to take back. */
  private rolledBackStep: StepId | undefined;

  /**
   * Take back, newest first, what this run did in a transactional step; its output goes to the pane.
   * An entry leaves the journal only when its undo command succeeded. The first one that fails
   * ends the rollback (takeBack's 'stop'): what is older may be what it depends on (the site a
   * link that stayed points to; removed, it would leave nginx a dangling link and every reload
   * failing). What was not taken back stays in the journal, so that `undo` still knows of it, and
   * the person is told.
   */
  private async rollback(step: PlannedStep | undefined): Promise<void> {
    const ctx = this.options.undoContext;
    if (!step?.transactional || !ctx) return;
    // A certificate stays: obtaining it again would count against the authority's rate limits; undo offers it.
    const entries = this.journal.filter((entry) => entry.step === step.id && entry.kind !== 'certified');
    this.rolledBackStep = step.id;
    if (entries.length === 0) return;
    this.log(`\n== [${step.id}] rolling back what this step changed\n`);
    const result = await takeBack(ctx, entries, this.system, {
      afterFailure: 'stop',
      transcript: this.options.transcript,
      view: {
        command: (line) => this.dispatch({ type: 'output', text: `rollback: $ ${line}\n` }),
        output: (text) => this.dispatch({ type: 'output', text }),
      },
    });
    const { takenBack } = result;
    this.journal = this.journal.filter((entry) => !takenBack.includes(entry));
    this.options.onJournal?.(this.journal);
    this.takenBack.push(...takenBack);
    const kept = result.kept.map((notTaken) => notTaken.entry);
    this.kept = [...this.kept.filter((entry) => entry.step !== step.id), ...kept];
    if (kept.length > 0) {
      this.log(`rollback incomplete: still in place, in the journal for undo: ${kept.map(describeEntry).join('; ')}\n`);
    }
    this.dispatch({ type: 'rolled-back', kept });
  }

  /** What rollbacks took back in this run, so the person hears of it after the screen is gone. */
  rolledBack(): readonly JournalEntry[] {
    return this.takenBack;
  }

  /**
   * What a rollback could not take back (oldest first): still on the machine and in the journal.
   * Not once its step was done after all (a retry that succeeded): then it is that step's result.
   */
  notRolledBack(): readonly JournalEntry[] {
    // Only a step's entries are rolled back: the doctor's are never among them.
    return this.kept.filter((entry) => entry.step !== undefined && this.state.statuses[entry.step] !== 'done');
  }

  private log(text: string): void {
    this.options.transcript?.write(text);
  }
}

/** A file's text before a program edited it, and where a copy of it was kept (none: nothing could put it back). */
interface EditedBefore {
  text: string | undefined;
  backup?: string;
}

/** What an effect's subject was before its command (effectBefore). */
type Before = PathState | boolean | EditedBefore | undefined;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A check's answer in the log: what the probe saw, as data (the log is the record of the run; the
 * words for it belong to the screen, in the person's language).
 */
function observedForLog(result: CheckResult): string {
  return JSON.stringify(result.observed);
}
