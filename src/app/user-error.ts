// An error the person can fix: what happened and what to try, in both languages, and the exit code
// (as cli-kit's AbortError carries its tryMessage). Thrown by a use case, said by explainFailure;
// anything else that is thrown is our bug.
import type { Lang } from '../engine/types.js';
import { fixable, LABELS, type Labels, type Said } from '../ui/labels.js';
import { EXIT } from './common.js';

export class UserError extends Error {
  constructor(
    readonly said: Record<Lang, Said>,
    readonly exitCode: number = EXIT.badInput,
  ) {
    super(fixable(said.en, 'en'));
    this.name = 'UserError';
  }

  /** The same message from the catalogue in each language: `UserError.of((l) => l.cli.noTerminal())`. */
  static of(words: (l: Labels) => Said, exitCode: number = EXIT.badInput): UserError {
    return new UserError({ en: words(LABELS.en), ja: words(LABELS.ja) }, exitCode);
  }

  /** What the person reads, after the program's name. */
  text(lang: Lang): string {
    return fixable(this.said[lang], lang);
  }
}
