// A doctor's finding in words, in the person's language (issue 16): what is wrong with the
// finding's facts put in, why, what the doctor's fix does, and what to try by hand. The facts
// stay data in the finding (src/engine/doctor/model.ts); only here do they become sentences.
import { CAUSES, type Finding } from '../engine/doctor/model.js';
import type { Lang } from '../engine/types.js';
import { type CauseWords, LABELS } from './labels.js';

export interface CauseSaid {
  what: string;
  why: string;
  /** What the doctor's fix does; absent for a cause it never fixes. */
  fix?: string;
  tryThis: string;
}

/** A fact the finding does not have is shown as "?", never as "undefined". */
const UNKNOWN = '?';

export function causeSaid(finding: Pick<Finding, 'cause' | 'facts'>, lang: Lang): CauseSaid {
  // Each cause's sentences take the facts they name; the finding carries them by the same names.
  const words = LABELS[lang].doctor.causes[finding.cause] as CauseWords<Record<string, string>>;
  const facts = new Proxy(finding.facts, {
    get: (target, key) => (typeof key === 'string' ? (target[key] ?? UNKNOWN) : undefined),
  });
  const said: CauseSaid = { what: words.what(facts), why: words.why, tryThis: words.tryThis(facts) };
  const fix = typeof words.fix === 'function' ? words.fix(facts) : words.fix;
  if (fix !== '') said.fix = fix;
  return said;
}

/** Every sentence the doctor can say about a cause, without facts: the glossary's terms are looked up in it. */
export function everyCauseText(lang: Lang): string {
  return CAUSES.map((cause) => Object.values(causeSaid({ cause, facts: {} }, lang)).join('\n')).join('\n');
}
