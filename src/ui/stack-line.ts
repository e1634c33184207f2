// The stack line's words and marks, as plain data: the screen colours the parts (StackLine.tsx),
// the plain output prints them as they are. Both languages.
import type { PartState, StackPartId, StackStatus } from '../engine/stack.js';
import { STACK_PARTS } from '../engine/stack.js';
import type { Lang } from '../engine/types.js';

const WORDS = {
  en: {
    title: 'stack:',
    browser: 'browser',
    nginx: 'nginx',
    socket: 'socket',
    uwsgi: 'uWSGI',
    app: 'app',
    workers: (n: string) => `${n} worker${n === '1' ? '' : 's'}`,
    socketAs: (mode: string, group: string) => `mode ${mode}, group ${group}`,
  },
  ja: {
    title: '構成:',
    browser: 'ブラウザー',
    nginx: 'nginx',
    socket: 'ソケット',
    uwsgi: 'uWSGI',
    app: 'アプリ',
    workers: (n: string) => `ワーカー ${n}`,
    socketAs: (mode: string, group: string) => `モード ${mode}、グループ ${group}`,
  },
} satisfies Record<
  Lang,
  Record<'title' | 'browser' | StackPartId, string> & {
    workers: (n: string) => string;
    socketAs: (mode: string, group: string) => string;
  }
>;

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
  return { title: WORDS[lang].title, browser: WORDS[lang].browser };
}

export function stackSegments(status: StackStatus, lang: Lang): StackSegment[] {
  const w = WORDS[lang];
  return STACK_PARTS.map((part) => {
    const { state, detail, socket } = status[part];
    const shown = socket
      ? w.socketAs(socket.mode.toString(8), socket.group)
      : part === 'uwsgi' && detail && state === 'alive'
        ? w.workers(detail)
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
