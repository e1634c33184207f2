// The glossary (issue 7): every term the steps use, explained in both languages. The entries are
// data (steps/glossary.ts); this module finds the ones a step uses and prints them. Pure.
import { say } from './plan.js';
import type { Lang, PlannedStep, Text } from './types.js';
import { runChecks } from './wizard.js';

export interface GlossaryEntry {
  term: Text;
  definition: Text;
  /**
   * How the term appears in the steps' English text, commands and files: decides which entries a
   * step uses (shown first in its overlay), and proves every entry is used somewhere.
   */
  mentions: RegExp;
}

/** Everything a step shows in English: its words, commands, files and checks, to look terms up in. */
export function stepWords(step: PlannedStep): string {
  const parts: string[] = [step.title.en, step.explain.en, step.diagram?.en ?? '', ...step.notes.map((n) => n.en)];
  for (const action of step.actions) {
    parts.push(action.explain.en, action.whyDifferent?.en ?? '');
    if (action.kind === 'command') parts.push(action.command, action.guideCommand ?? '');
    else parts.push(action.path, action.guidePath ?? '', action.content);
  }
  for (const check of [...(step.preflight ?? []), ...runChecks(step), ...step.checks])
    parts.push(check.title.en, check.tryThis.en);
  return parts.join('\n');
}

export function usedBy(entry: GlossaryEntry, step: PlannedStep): boolean {
  return entry.mentions.test(stepWords(step));
}

/** The entries in the order a step's overlay lists them: those the step uses first. */
export function forStep(
  entries: readonly GlossaryEntry[],
  step: PlannedStep | undefined,
): { entry: GlossaryEntry; here: boolean }[] {
  // The step's words gathered once, not once per entry: the overlay is drawn on every frame.
  const words = step === undefined ? undefined : stepWords(step);
  const marked = entries.map((entry) => ({ entry, here: words !== undefined && entry.mentions.test(words) }));
  return [...marked.filter((e) => e.here), ...marked.filter((e) => !e.here)];
}

/** Entries whose term (in either language) contains `word`, case-insensitively; all of them without a word. */
export function lookUp(entries: readonly GlossaryEntry[], word?: string): GlossaryEntry[] {
  if (!word) return [...entries];
  const wanted = word.toLowerCase();
  return entries.filter((e) => e.term.en.toLowerCase().includes(wanted) || e.term.ja.toLowerCase().includes(wanted));
}

/** What `glossary` prints: each term, then its explanation, a blank line between entries. */
export function formatGlossary(entries: readonly GlossaryEntry[], lang: Lang): string {
  return entries.map((e) => `■ ${say(e.term, lang)}\n${say(e.definition, lang)}\n`).join('\n');
}
