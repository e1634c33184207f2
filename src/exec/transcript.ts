// The run's log: every command, its whole output, exit code and duration, every file written.
// The screen shows only the last lines; this file keeps everything.
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Transcript } from '../engine/ports.js';

export interface OpenTranscript extends Transcript {
  path: string;
  close(): Promise<void>;
}

export function transcriptDir(): string {
  return join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'uwsgi-nginx-guide');
}

export function openTranscript(dir = transcriptDir()): OpenTranscript {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const path = join(dir, `run-${stamp}.log`);
  const stream = createWriteStream(path, { mode: 0o600 });
  stream.write(`uwsgi-nginx-guide run started ${new Date().toISOString()}\n`);
  return {
    path,
    write: (text) => void stream.write(text),
    close: () => new Promise((resolve) => stream.end(resolve)),
  };
}

/**
 * A bug's story (what was run, the stack) in a log of its own beside the runs' logs, for the person
 * to attach to a report. Where it is; undefined when it cannot be written (the stack is then said).
 */
export function keepBugReport(text: string, dir = transcriptDir()): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, `bug-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  } catch {
    return undefined;
  }
}
