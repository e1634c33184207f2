// The progress file on disk (the run lock that guards it is run-lock.ts).
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { parseProgress, sameInstallation, type Progress, type ProgressReading } from '../engine/progress.js';
import type { Answers } from '../engine/types.js';
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
    return { kind: 'ignored', because: { kind: 'unreadable', code: (error as NodeJS.ErrnoException).code ?? 'EIO' } };
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

/**
 * Where the record of another installation waits while the wizard works on this one: a machine
 * may hold several apps, and setting up the second must not lose what `undo` needs for the first.
 * One file per app, account and directory (the three that make an installation).
 */
export function shelvedPath(answers: Pick<Answers, 'appName' | 'user' | 'appDir'>, dir = transcriptDir()): string {
  // The directory encoded whole: /srv/a_b and /srv/a/b must not share a file.
  return join(dir, 'apps', `${answers.appName}@${answers.user}@${encodeURIComponent(answers.appDir)}.json`);
}

/** The shelved record of this installation, if there is a readable one. */
export async function readShelved(answers: Answers, dir = transcriptDir()): Promise<Progress | undefined> {
  const reading = await readProgress(shelvedPath(answers, dir));
  return reading.kind === 'ok' && sameInstallation(reading.progress.answers, answers) ? reading.progress : undefined;
}

/**
 * The answers last used for an app of this name (and account and directory, when known), from its
 * shelved record: the questions' defaults when a person names an app that is not the last one.
 */
export async function shelvedAnswersOf(
  appName: string,
  user?: string,
  dir = transcriptDir(),
  appDir?: string,
): Promise<Answers | undefined> {
  let names: string[];
  try {
    names = await readdir(join(dir, 'apps'));
  } catch {
    return undefined;
  }
  const prefix = user === undefined ? `${appName}@` : `${appName}@${user}@`;
  const records: Progress[] = [];
  for (const name of names.filter((n) => n.startsWith(prefix) && n.endsWith('.json'))) {
    const reading = await readProgress(join(dir, 'apps', name));
    if (
      reading.kind === 'ok' &&
      reading.progress.answers.appName === appName &&
      (appDir === undefined || reading.progress.answers.appDir === appDir)
    )
      records.push(reading.progress);
  }
  return records.sort((x, y) => y.updatedAt.localeCompare(x.updatedAt))[0]?.answers;
}

/**
 * Before a run for `answers` writes its record in progress.json: the record there of another
 * installation is shelved (renamed, whole), and this installation's shelved record, if any, is
 * brought back in its place. Renames only: a run killed in between loses nothing; a shelf that
 * cannot be read, or one already where the other record goes, is set aside, never overwritten.
 */
export async function bringRecordForward(
  current: Progress | undefined,
  answers: Answers,
  dir = transcriptDir(),
): Promise<void> {
  const path = progressPath(dir);
  if (current && !sameInstallation(current.answers, answers)) {
    const shelf = shelvedPath(current.answers, dir);
    mkdirSync(join(dir, 'apps'), { recursive: true, mode: 0o700 });
    setAsideProgress(shelf);
    renameSync(path, shelf);
  }
  const mine = shelvedPath(answers, dir);
  if (!existsSync(mine) || existsSync(path)) return;
  if (await readShelved(answers, dir)) renameSync(mine, path);
  else setAsideProgress(mine);
}

/**
 * An ignored progress file (damaged, or from a later wizard) is moved aside before a run writes a
 * new record in its place: it may be the only account of a newer wizard's work, and nothing the
 * person had may be lost. Returns where it now is (undefined when there was nothing to move).
 */
export function setAsideProgress(path = progressPath(), now = new Date()): string | undefined {
  if (!existsSync(path)) return undefined;
  const aside = `${path}.ignored-${now.toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, aside);
  return aside;
}
