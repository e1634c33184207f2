// How a command that threw ends: what a person can fix, told with what to try; anything else is ours.
import { localizeReason, InvalidAnswerError } from '../engine/answers.js';
import { RunLockError, WizardBusyError } from '../exec/run-lock.js';
import { LABELS } from '../ui/labels.js';
import { runLockMessage } from '../ui/run-lock-text.js';
import { RecordingError } from '../simulate/recording.js';
import { EXIT, Refusal, langInArgv, pickLang } from './common.js';
import type { Surroundings } from './surroundings.js';

/**
 * What a person can fix is told in their language with what to try, and given its exit code; any
 * other error is ours, and is thrown on.
 */
export function explainFailure(s: Surroundings, error: unknown): number {
  const lang = pickLang(langInArgv(s.argv), s.locale);
  if (error instanceof InvalidAnswerError) {
    s.stderr.write(
      `uwsgi-nginx-guide: ${localizeReason(error.message, lang)}\n${LABELS[lang].nothingChangedTryHelp}\n`,
    );
    return EXIT.badInput;
  }
  if (error instanceof Refusal) {
    s.stderr.write(`uwsgi-nginx-guide: ${error.message}\n`);
    return EXIT.badInput;
  }
  if (error instanceof RecordingError) {
    s.stderr.write(`uwsgi-nginx-guide: ${error.message}\nNothing was changed.\n`);
    return EXIT.badInput;
  }
  if (error instanceof WizardBusyError || error instanceof RunLockError) {
    s.stderr.write(`uwsgi-nginx-guide: ${runLockMessage(error, lang, s.uid)}\n`);
    return error instanceof WizardBusyError ? EXIT.busy : EXIT.badInput;
  }
  if (error instanceof Error && error.name === 'ExitPromptError') return EXIT.interrupted;
  throw error;
}
