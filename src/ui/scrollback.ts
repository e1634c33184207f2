// ink clears the terminal with its scrollback (ansi-escapes' clearTerminal: \x1b[2J\x1b[3J\x1b[H)
// whenever a frame was as tall as the terminal, e.g. the conclusion's text on a small one. What
// the person's shell showed before the wizard, and the wizard's own earlier lines, must stay: the
// screen may be cleared, the scrollback never.

import { stripVTControlCharacters } from 'node:util';

/** "Erase saved lines": the part of clearTerminal that takes the scrollback. */
export const ERASE_SCROLLBACK = '\x1b[3J';

interface Writable {
  write(chunk: never, ...rest: never[]): unknown;
}

/**
 * Drop ERASE_SCROLLBACK from everything written to `stream` until the returned function is called.
 * That function answers whether the last text written (escape sequences aside) left the cursor in the
 * middle of a line: ink draws a frame as tall as the terminal without its last newline, and what is
 * printed after the screen must not continue that line.
 */
export function keepScrollback(stream: Writable): () => boolean {
  const target = stream as unknown as { write: (chunk: unknown, ...rest: unknown[]) => unknown };
  const write = target.write;
  let midLine = false;
  target.write = (chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== 'string') return write.call(stream, chunk, ...rest);
    const text = stripVTControlCharacters(chunk);
    if (text !== '') midLine = !text.endsWith('\n');
    return write.call(stream, chunk.split(ERASE_SCROLLBACK).join(''), ...rest);
  };
  return () => {
    target.write = write;
    return midLine;
  };
}
