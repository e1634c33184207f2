// The run's log: every command, its whole output, exit code and duration, every file written.
// The screen shows only the last lines; this file keeps everything.
import { createWriteStream, mkdirSync } from 'node:fs';
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
