// The progress file and the run lock on disk.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { parseProgress, type Progress, type ProgressReading } from '../engine/progress.js';
import { transcriptDir } from './transcript.js';

export function progressPath(dir = transcriptDir()): string {
  return join(dir, 'progress.json');
}

export async function readProgress(path = progressPath()): Promise<ProgressReading> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'ignored', reason: `it cannot be read (${(error as Error).message})` };
  }
  return parseProgress(text);
}

/**
 * Atomic: a temporary file renamed over the old one, so a run killed at any instant (even by
 * SIGKILL) leaves either the previous record or the new one, never half of one.
 */
export async function writeProgress(progress: Progress, path = progressPath()): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(progress, null, 2)}\n`, { mode: 0o600 });
}

export class WizardBusyError extends Error {}

/**
 * One wizard at a time on a machine: both would run apt and restart nginx under each other. The
 * lock file holds the owner's pid; a lock whose process is gone (a crash, SIGKILL) is taken over.
 * Returns the function that releases it.
 */
export function acquireRunLock(path = join(tmpdir(), 'uwsgi-nginx-guide.lock')): () => void {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        if (readLockPid(path) === process.pid) rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readLockPid(path);
      if (owner !== undefined && isAlive(owner)) {
        throw new WizardBusyError(`another uwsgi-nginx-guide is running on this machine (pid ${owner}). Wait for it to finish, or stop it; two at once would run apt and restart nginx under each other.`);
      }
      // The owner is gone: a stale lock from a crashed or killed run.
      rmSync(path, { force: true });
    }
  }
  throw new WizardBusyError(`the run lock ${path} could not be taken; remove it if no wizard is running.`);
}

function readLockPid(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
