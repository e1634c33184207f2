// The one-character marks of step states, shared by the screen, the resume list and `status`
// (which must not load ink to print them).
import type { ResumeState } from '../engine/progress.js';
import type { StepStatus } from '../engine/wizard.js';

export const STATUS_MARK: Record<StepStatus, string> = { todo: '·', done: '✓', 'already-done': '✓', skipped: '↷', failed: '✗' };
export const RESUME_MARK: Record<ResumeState, string> = { done: '✓', todo: '·', changed: '!', skipped: '↷' };
