// How a command that threw ends: what a person can fix, told in their language with what to try
// and given its exit code; anything else is our bug, said as ours, its stack kept in a log.
import { InvalidAnswerError, localizeReason } from '../engine/answers.js';
import { ReportLinkError } from '../exec/report-files.js';
import { PackageManagerBusyError, RunLockError, WizardBusyError } from '../exec/run-lock.js';
import { RecordingError } from '../simulate/recording.js';
import { LABELS, type Labels } from '../ui/labels.js';
import { runLockSaid } from '../ui/run-lock-text.js';
import { EXIT, langInArgv, pickLang } from './common.js';
import type { Surroundings } from './surroundings.js';
import { UserError } from './user-error.js';

/** The errors of the layers below that a person can fix, as UserErrors; undefined for any other. */
function asUserError(error: unknown, s: Surroundings): UserError | undefined {
  if (error instanceof UserError) return error;
  if (error instanceof InvalidAnswerError) {
    return UserError.of((l) => ({
      message: `${localizeReason(error.message, l === LABELS.ja ? 'ja' : 'en')}\n${l.nothingChangedTryHelp}`,
    }));
  }
  if (error instanceof RecordingError)
    return UserError.of((l) => l.cli.recordingUnusable({ reason: recordingReason(l, error) }));
  if (error instanceof WizardBusyError || error instanceof PackageManagerBusyError)
    return UserError.of(runLockSaid(error, s.uid), EXIT.busy);
  if (error instanceof RunLockError) return UserError.of(runLockSaid(error, s.uid));
  // Refused as the run lock refuses a link in its place: a situation to set right, not our bug.
  if (error instanceof ReportLinkError) return UserError.of((l) => l.report.throughLink({ path: error.path }));
  return undefined;
}

/** Why a recording cannot be replayed, in the catalogue's words. */
function recordingReason(l: Labels, { problem }: RecordingError): string {
  const w = l.cli.recording;
  if (problem.kind === 'missing') return w.missing(problem);
  if (problem.kind === 'not-json') return w.notJson(problem);
  if (problem.kind === 'version') return w.version(problem);
  return w.incomplete(problem);
}

/** Said on stderr; resolves with the exit code. */
export function explainFailure(s: Surroundings, error: unknown): number {
  const lang = pickLang(langInArgv(s.argv), s.locale);
  const fixable = asUserError(error, s);
  if (fixable) {
    s.stderr.write(`uwsgi-nginx-guide: ${fixable.text(lang)}\n`);
    return fixable.exitCode;
  }
  // Ctrl-C at a question: every question comes before anything is changed, and a bare exit 130
  // leaves the person wondering what state the machine is in.
  if (error instanceof Error && error.name === 'ExitPromptError') {
    s.stderr.write(`uwsgi-nginx-guide: ${LABELS[lang].stoppedAtQuestion}\n`);
    return EXIT.interrupted;
  }
  const stack = error instanceof Error ? (error.stack ?? String(error)) : String(error);
  const log = s.machine.keepBugReport(`${s.now().toISOString()} ${s.argv.slice(2).join(' ')}\n${stack}\n`);
  const summary = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // Without a log to point to, the stack is said here: a report needs it.
  s.stderr.write(`uwsgi-nginx-guide: ${LABELS[lang].cli.bug({ error: summary, log })}\n${log ? '' : `${stack}\n`}`);
  return EXIT.bug;
}
