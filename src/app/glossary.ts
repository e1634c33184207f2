// `glossary [word]`.
import { glossary } from '../../steps/glossary.js';
import { formatGlossary, lookUp } from '../engine/glossary.js';
import { LABELS } from '../ui/labels.js';
import { EXIT, type Flags, pickLang } from './common.js';
import type { Surroundings } from './surroundings.js';

/** `glossary [word]`: every term the wizard uses, explained; with a word, the terms that contain it. */
export function runGlossary(s: Surroundings, word: string | undefined, flags: Flags): number {
  const lang = pickLang(flags.lang, s.locale);
  const found = lookUp(glossary, word);
  if (found.length === 0) {
    const l = LABELS[lang].glossary;
    s.stderr.write(`${l.noMatch({ word: word ?? '' })}\n${l.tryAll}\n`);
    return EXIT.stepFailed;
  }
  s.stdout.write(formatGlossary(found, lang));
  return EXIT.ok;
}
