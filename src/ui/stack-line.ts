// The stack line's words and marks, as plain data: the screen colours the parts (StackLine.tsx),
// the plain output prints them as they are. The words are the catalogue's (labels.ts).
import type { PartState, StackPartId, StackStatus } from '../engine/stack.js';
import { STACK_PARTS } from '../engine/stack.js';
import type { Lang } from '../engine/types.js';
import { LABELS } from './labels.js';

export const PART_MARK: Record<PartState, string> = { unknown: '…', down: '○', alive: '●', trouble: '✗' };

export interface StackSegment {
  part: StackPartId;
  label: string;
  mark: string;
  state: PartState;
  /** The figure beside it: workers, HTTP status, what is wrong. */
  detail?: string;
}

export function stackTitle(lang: Lang): { title: string; browser: string } {
  const w = LABELS[lang].stack;
  return { title: w.title, browser: w.browser };
}

export function stackSegments(status: StackStatus, lang: Lang): StackSegment[] {
  const w = LABELS[lang].stack;
  return STACK_PARTS.map((part) => {
    const { state, detail, socket } = status[part];
    const shown = socket
      ? w.socketAs({ mode: socket.mode.toString(8), group: socket.group })
      : part === 'uwsgi' && detail && state === 'alive'
        ? w.workers({ n: detail })
        : detail;
    return { part, label: w[part], mark: PART_MARK[state], state, detail: shown };
  });
}

/** The whole line as text: `stack: browser ─▶ nginx ● ─▶ socket ● ─▶ uWSGI ● 5 workers ─▶ app ● 200`. */
export function formatStackLine(status: StackStatus, lang: Lang): string {
  const { title, browser } = stackTitle(lang);
  const parts = stackSegments(status, lang).map((s) => `${s.label} ${s.mark}${s.detail ? ` ${s.detail}` : ''}`);
  return `${title} ${[browser, ...parts].join(' ─▶ ')}`;
}
