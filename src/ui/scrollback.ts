// ink clears the terminal with its scrollback (ansi-escapes' clearTerminal: \x1b[2J\x1b[3J\x1b[H)
// whenever a frame was as tall as the terminal, e.g. the conclusion's text on a small one. What
// the person's shell showed before the wizard, and the wizard's own earlier lines, must stay: the
// screen may be cleared, the scrollback never.

/** "Erase saved lines": the part of clearTerminal that takes the scrollback. */
export const ERASE_SCROLLBACK = '\x1b[3J';

interface Writable {
  write(chunk: never, ...rest: never[]): unknown;
}

/** Drop ERASE_SCROLLBACK from everything written to `stream` until the returned function is called. */
export function keepScrollback(stream: Writable): () => void {
  const target = stream as unknown as { write: (chunk: unknown, ...rest: unknown[]) => unknown };
  const write = target.write;
  target.write = (chunk: unknown, ...rest: unknown[]) =>
    write.call(stream, typeof chunk === 'string' ? chunk.split(ERASE_SCROLLBACK).join('') : chunk, ...rest);
  return () => {
    target.write = write;
  };
}
