// The one-character marks of step states, shared by the screen, the resume list and `status`
// (which must not load ink to print them).
import stringWidth from 'string-width';
import type { ResumeState } from '../engine/progress.js';
import type { StepStatus } from '../engine/wizard.js';

export const STATUS_MARK: Record<StepStatus, string> = { todo: '·', done: '✓', 'already-done': '✓', skipped: '↷', failed: '✗' };
export const RESUME_MARK: Record<ResumeState, string> = { done: '✓', todo: '·', changed: '!', skipped: '↷' };

/**
 * Pad to a width in terminal columns, not characters: 完了 takes four columns, and `padEnd` would
 * leave the Japanese list one column off for every wide character.
 */
export function padColumns(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - stringWidth(text)));
}
