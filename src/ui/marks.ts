// The one-character marks of step states, shared by the screen, the resume list and `status`
// (which must not load ink to print them).
import stringWidth from 'string-width';
import type { ResumeState } from '../engine/progress.js';
import type { Action, PlannedStep } from '../engine/types.js';
import type { StepStatus } from '../engine/wizard.js';

export const STATUS_MARK: Record<StepStatus, string> = {
  todo: '·',
  done: '✓',
  'already-done': '✓',
  skipped: '↷',
  failed: '✗',
};
export const RESUME_MARK: Record<ResumeState, string> = { done: '✓', todo: '·', changed: '!', skipped: '↷' };

/**
 * Pad to a width in terminal columns, not characters: 完了 takes four columns, and `padEnd` would
 * leave the Japanese list one column off for every wide character.
 */
export function padColumns(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - stringWidth(text)));
}

const TAB_STOP = 8;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const graphemes = new Intl.Segmenter();

/**
 * A line of a command's output as it fits in `columns` terminal columns: tabs expanded, control
 * characters dropped (a stray bell, backspace or C1 code would move the screen's cursor), cut
 * with "…".
 */
export function fitColumns(line: string, columns: number): string {
  let text = line.includes('\t') ? expandTabs(line) : line;
  // Compiler and pip output is printable ASCII, one column a character: no measuring needed.
  if (PRINTABLE_ASCII.test(text)) return text.length <= columns ? text : `${text.slice(0, columns - 1)}…`;
  text = text.replace(/[\x00-\x1f\x7f-\x9f]/g, '');
  if (stringWidth(text) <= columns) return text;
  // Whole characters (graphemes) up to one column short, for the "…": a wide character that would
  // straddle the edge is left out rather than split.
  let cut = '';
  let width = 0;
  for (const { segment } of graphemes.segment(text)) {
    const next = stringWidth(segment);
    if (width + next > columns - 1) break;
    cut += segment;
    width += next;
  }
  return `${cut}…`;
}

/** Tabs as spaces to the next stop: a terminal would, but ink measures a tab as one column. */
export function expandTabs(line: string): string {
  let out = '';
  for (const char of line) out += char === '\t' ? ' '.repeat(TAB_STOP - (out.length % TAB_STOP)) : char;
  return out;
}

/**
 * The step's actions of the same kind as action i: files and commands are counted apart ("File 1
 * of 1", then "Command 1 of 3"), so a heading never calls a command a file.
 */
export function sameKind(step: PlannedStep, i: number): Action[] {
  return step.actions.filter((action) => action.kind === step.actions[i]?.kind);
}
