// `glossary [word]`.
import { glossary } from '../../steps/glossary.js';
import { formatGlossary, lookUp } from '../engine/glossary.js';
import { LABELS } from '../ui/labels.js';
import { EXIT, type Flags, pickLang } from './common.js';

/** `glossary [word]`: every term the wizard uses, explained; with a word, the terms that contain it. */
export function runGlossary(word: string | undefined, flags: Flags): number {
  const lang = pickLang(flags.lang);
  const found = lookUp(glossary, word);
  if (found.length === 0) {
    const l = LABELS[lang].glossary;
    process.stderr.write(`${l.noMatch.replace('{word}', word ?? '')}\n${l.tryAll}\n`);
    return EXIT.stepFailed;
  }
  process.stdout.write(formatGlossary(found, lang));
  return EXIT.ok;
}
