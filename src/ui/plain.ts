// Plain lines for when stdout is not a terminal (CI logs, pipes): no redraws, one line per fact,
// command output prefixed so it stands apart from the wizard's own words.
import { doctorOnFailureLines } from './doctor-report.js';
import type { JournalEntry } from '../engine/journal.js';
import { octal, say } from '../engine/plan.js';
import type { Check, CheckResult, Lang, Platform } from '../engine/types.js';
import {
  actionAt,
  currentStep,
  failureChecks,
  runChecks,
  type WizardEvent,
  type WizardState,
} from '../engine/wizard.js';
import type { Listener } from '../engine/session.js';
import { entryWords } from './entry-text.js';
import { failureReason, fileOutcomeText, LABELS, type Labels } from './labels.js';
import { lockWaitGaveUp, lockWaitStopped, lockWaitText, lockWaitUntil } from './lock-wait-text.js';
import { diffLines, expectedText, foundText, keptText, warningText } from './probe-text.js';

/** Which machine the plan is for, in one line (the screen's first line, and the plain output's). */
export function machineLine(platform: Platform, l: Labels): string {
  const pep668 = platform.externallyManaged ? ' (PEP 668)' : '';
  const manager = l.serviceManager[platform.serviceManager];
  return `${l.machine} ${platform.prettyName} · ${platform.id} · ${manager} · Python ${platform.pythonVersion}${pep668}`;
}

/**
 * Command output arrives in chunks that split lines anywhere; a log wants whole lines. `push`
 * returns the lines a chunk completes (a progress bar's carriage returns keep only what was last
 * drawn), `flush` the unfinished rest.
 */
export function lineSplitter() {
  let pending = '';
  const clean = (line: string) => {
    const drawn = line.replace(/\r$/, '');
    return drawn.slice(drawn.lastIndexOf('\r') + 1);
  };
  return {
    push(text: string): string[] {
      const lines = (pending + text).split('\n');
      pending = lines.pop() ?? '';
      return lines.map(clean);
    },
    flush(): string | undefined {
      const rest = pending;
      pending = '';
      return rest ? clean(rest) : undefined;
    },
  };
}

/**
 * After the run, when the screen is gone: what rollbacks took back, and what they could not (still
 * on the machine and in the record, for `undo`) with what to try. Both lists come oldest first.
 */
export function rollbackLines(takenBack: readonly JournalEntry[], kept: readonly JournalEntry[], lang: Lang): string[] {
  const l = LABELS[lang];
  const newestFirst = (entries: readonly JournalEntry[], mark: string) =>
    [...entries].reverse().map((entry) => `  ${mark} ${entryWords(entry, lang)}`);
  return [
    ...(takenBack.length > 0 ? [l.rolledBack, ...newestFirst(takenBack, '↶')] : []),
    ...(kept.length > 0 ? [l.rollbackKept, ...newestFirst(kept, '✗'), l.rollbackKeptTry] : []),
  ];
}

/** A listener that prints the run; it starts by printing where the run begins (`initial`). */
export function plainPrinter(write: (text: string) => void, lang: Lang, initial: WizardState): Listener {
  const l = LABELS[lang];
  let announcedStep = -1;
  let announcedPhase: unknown;
  const output = lineSplitter();
  let previous: WizardState | undefined = initial;

  const flushOutput = () => {
    const rest = output.flush();
    if (rest !== undefined) write(`  | ${rest}\n`);
  };
  const printResults = (checks: Check[], results: CheckResult[]) => {
    for (const result of results) {
      const check = checks.find((c) => c.id === result.checkId);
      const title = check ? say(check.title, lang) : result.checkId;
      write(`  ${result.ok ? '✓' : '✗'} ${title}\n`);
      if (!result.ok && check?.blocks) {
        // A pitfall that stopped the step: its own sentence, not the command that looked for it.
        write(
          `      ${l.found}: ${warningText(check, result.observed, lang)}\n      ${l.tryThis}: ${say(check.tryThis, lang)}\n`,
        );
      } else if (!result.ok) {
        if (check) write(`      ${l.expected}: ${expectedText(check.probe, lang)}\n`);
        write(`      ${l.found}: ${foundText(result.observed, lang, check?.probe)}\n`);
        for (const line of diffLines(result.observed, lang)) write(`        ${line}\n`);
        if (check) write(`      ${l.tryThis}: ${say(check.tryThis, lang)}\n`);
      }
    }
  };

  // Before a step's first action: each pitfall looked for, and for one found what happens about it.
  const printPreflight = (checks: Check[], results: CheckResult[]) => {
    for (const result of results) {
      const check = checks.find((c) => c.id === result.checkId);
      const title = check ? say(check.title, lang) : result.checkId;
      if (result.ok) write(`  ✓ ${title}\n`);
      else if (!check) write(`  ⚠ ${l.warning}: ${title} — ${foundText(result.observed, lang)}\n`);
      else
        write(
          `  ⚠ ${l.warning}: ${warningText(check, result.observed, lang)}\n` +
            `      ${l.whatHappens}: ${say(check.tryThis, lang)}\n`,
        );
    }
  };

  const announceStep = (state: WizardState) => {
    const step = currentStep(state);
    if (step && announcedStep !== state.stepIndex) {
      announcedStep = state.stepIndex;
      write(`\n== ${l.step} ${state.stepIndex + 1}/${state.plan.steps.length} [${step.id}] ${say(step.title, lang)}\n`);
    }
  };

  write(`${machineLine(initial.plan.platform, l)}\n`);
  // A resumed run: the steps before its start, as the machine and the record have them.
  for (const step of initial.plan.steps.slice(0, initial.stepIndex)) {
    const status = initial.statuses[step.id];
    write(
      `${status === 'already-done' || status === 'done' ? '✓' : status === 'skipped' ? '↷' : '·'} [${step.id}] ${l.status[status]}\n`,
    );
  }
  announceStep(initial);

  return (state: WizardState, event: WizardEvent) => {
    if (event.type === 'output') {
      for (const line of output.push(event.text)) write(`  | ${line}\n`);
      return;
    }
    flushOutput();
    const previousStep = previous && currentStep(previous);
    const finishedAction = previous?.phase.kind === 'running' ? previous.phase.action : undefined;
    const finished =
      previous && previousStep && finishedAction !== undefined
        ? actionAt(previous, previousStep, finishedAction)
        : undefined;
    if (event.type === 'action-finished' && event.file && finished?.kind === 'file')
      write(`  ✓ ${fileOutcomeText(finished.path, event.file, lang)}\n`);
    if (event.type === 'action-finished' && event.ok && event.results && previousStep)
      printResults(runChecks(previousStep), event.results);
    // Steps finished by this event: report their status before the next step is announced.
    if (previous) {
      for (const step of state.plan.steps) {
        if (previous.statuses[step.id] !== state.statuses[step.id]) {
          if (event.type === 'checked' || event.type === 'probed') printResults(step.checks, event.results);
          const status = state.statuses[step.id];
          const mark = status === 'skipped' ? '↷' : status === 'failed' ? '✗' : '✓';
          write(`${mark} [${step.id}] ${l.status[status]}\n`);
        }
      }
    }
    previous = state;
    announceStep(state);
    if (event.type === 'preflighted') printPreflight(currentStep(state)?.preflight ?? [], event.results);
    // apt waits for another's lock: who holds it, and until when (a log has no countdown).
    if (event.type === 'lock-wait' && event.holder && state.lockWait?.limitSec !== undefined) {
      const until = lockWaitUntil(state.lockWait, l);
      write(`… ${lockWaitText(state.lockWait, l)}${until ? ` ${until}` : ''}\n`);
    }
    if (event.type === 'keep-found') {
      const kept = state.kept.at(-1);
      write(`→ ${l.keptRunning({ found: kept ? keptText(kept, lang) : '' })}\n`);
    }
    const step = currentStep(state);
    if (!step || state.phase === announcedPhase) return;
    announcedPhase = state.phase;
    const { phase } = state;
    if (phase.kind === 'running') {
      const action = actionAt(state, step, phase.action)!;
      if (action.kind === 'command') write(`$ ${action.command}${action.cwd ? `    (${l.in}: ${action.cwd})` : ''}\n`);
      else {
        // A file is shown whole before it is written, in a log as on the screen.
        write(
          `${l.file}: ${action.path} (${l.owner} ${action.owner}:${action.group}, ${l.mode} ${octal(action.mode)})\n`,
        );
        write(
          action.content
            .replace(/\n$/, '')
            .split('\n')
            .map((line) => `  > ${line}\n`)
            .join(''),
        );
      }
    } else if (phase.kind === 'taking-over') {
      write(`→ ${l.stoppingFound}\n`);
    } else if (phase.kind === 'stopping') {
      if (phase.finishing) write(`… ${(phase.asked ?? 1) > 1 ? l.finishingPackagesAgain : l.finishingPackages}\n`);
      else if (state.lockWait) write(`… ${lockWaitStopped(state.lockWait, l)}\n`);
    } else if (phase.kind === 'action-failed' && phase.diagnosed) {
      // Said already when it failed; now what the doctor found, when it found something.
      if (phase.doctor) write(`${doctorOnFailureLines(phase.doctor, lang).join('\n')}\n`);
    } else if (phase.kind === 'action-failed') {
      const { failure } = phase;
      write(
        `✗ ${l.failedCommand}: ${failureReason(failure, lang) ?? (failure.timedOut ? l.timedOut : `${l.exitCode} ${failure.exitCode ?? failure.signal}`)}\n`,
      );
      if (state.lockWait) write(`  ${lockWaitGaveUp(state.lockWait, l)}\n`);
      printResults(runChecks(step), state.runResults);
      // Where it happened in the log; what to try comes with the summary at the end.
      if (state.notTakenBack.length > 0) {
        const kept = [...state.notTakenBack].reverse().map((entry) => `  ✗ ${entryWords(entry, lang)}\n`);
        write(`${l.rollbackKept}\n${kept.join('')}`);
      }
    } else if (phase.kind === 'check-failed') {
      // The failure when it is seen; what the doctor found, when it has looked.
      if (!phase.diagnosed) {
        write(`✗ ${l.checksFailed}\n`);
        printResults(failureChecks(step), state.checkResults);
      } else if (phase.doctor) {
        write(`${doctorOnFailureLines(phase.doctor, lang).join('\n')}\n`);
      }
    }
  };
}
