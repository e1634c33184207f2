// What the person is told when the run lock stops a run (src/exec/run-lock.ts), in their language,
// with what to try.
import type { Lang } from '../engine/types.js';
import { type RunLockError, WizardBusyError } from '../exec/run-lock.js';
import { LABELS } from './labels.js';

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/** `me`: the running account's uid, named beside a foreign owner's. */
export function runLockMessage(error: WizardBusyError | RunLockError, lang: Lang, me = process.geteuid?.() ?? 0) {
  const words = LABELS[lang].runLock;
  if (error instanceof WizardBusyError) {
    return error.pid === undefined ? fill(words.stuck, { path: error.path }) : fill(words.busy, { pid: error.pid });
  }
  const { path, problem } = error;
  switch (problem.kind) {
    case 'symlink':
      return fill(words.symlink, { path });
    case 'not-directory':
      return fill(words.notDirectory, { path });
    case 'not-regular-file':
      return fill(words.notRegularFile, { path });
    case 'foreign-owner':
      return fill(words.foreignOwner, { path, uid: problem.uid, me });
    case 'writable-by-others':
      return fill(words.writable, { path, mode: `0${problem.mode.toString(8)}` });
    case 'not-taken':
      return fill(words.notTaken, { path, output: problem.output || '-' });
  }
}

export function orphanStoppedMessage(group: number, lang: Lang): string {
  return fill(LABELS[lang].runLock.orphanStopped, { group });
}
