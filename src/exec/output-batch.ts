// A command that prints thousands of short lines arrives as thousands of small chunks (one per
// read of the pipe). Handing each to the session would run the reducer, the transcript and the
// screen's store thousands of times a second for nothing: the screen draws at most four frames a
// second. So chunks are gathered and handed on together, at the latest BATCH_MS after the first
// of them, or sooner once a batch is large. Order is kept, and nothing waits once the command ends
// (flush).

/** How long a chunk may wait for others: well under a frame of the screen (250 ms). */
export const BATCH_MS = 50;
/** A batch this long (characters) is handed on at once: a flood needs no more waiting. */
export const BATCH_MAX_CHARS = 256 * 1024;

export interface OutputBatch {
  push(text: string): void;
  /** Hand on what is gathered now (the command ended, or failed to start). */
  flush(): void;
}

export function batchOutput(
  deliver: (text: string) => void,
  intervalMs = BATCH_MS,
  maxChars = BATCH_MAX_CHARS,
): OutputBatch {
  let parts: string[] = [];
  let length = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (parts.length === 0) return;
    const text = parts.length === 1 ? parts[0]! : parts.join('');
    parts = [];
    length = 0;
    deliver(text);
  };
  return {
    push(text) {
      if (text.length === 0) return;
      parts.push(text);
      length += text.length;
      if (length >= maxChars) flush();
      else timer ??= setTimeout(flush, intervalMs);
    },
    flush,
  };
}
