// What the person is told when the run lock stops a run (src/exec/run-lock.ts), in their language,
// with what to try: the catalogue's words for each refusal.
import type { Lang } from '../engine/types.js';
import { PackageManagerBusyError, type RunLockError, WizardBusyError } from '../exec/run-lock.js';
import { fixable, LABELS, type Labels, type Said } from './labels.js';

type RunLockRefusal = WizardBusyError | PackageManagerBusyError | RunLockError;

/** The refusal's words in the catalogue; `me`: the running account's uid, named beside a foreign owner's. */
export function runLockSaid(error: RunLockRefusal, me: number): (l: Labels) => Said {
  if (error instanceof PackageManagerBusyError) {
    const group = error.processGroup;
    return (l) => l.runLock.packageManagerBusy({ group });
  }
  if (error instanceof WizardBusyError) {
    const { pid, path } = error;
    return (l) => (pid === undefined ? l.runLock.stuck({ path }) : l.runLock.busy({ pid }));
  }
  const { path, problem } = error;
  switch (problem.kind) {
    case 'symlink':
      return (l) => l.runLock.symlink({ path });
    case 'not-directory':
      return (l) => l.runLock.notDirectory({ path });
    case 'not-regular-file':
      return (l) => l.runLock.notRegularFile({ path });
    case 'foreign-owner':
      return (l) => l.runLock.foreignOwner({ path, uid: problem.uid, me });
    case 'writable-by-others':
      return (l) => l.runLock.writable({ path, mode: `0${problem.mode.toString(8)}` });
    case 'not-taken':
      return (l) => l.runLock.notTaken({ path, output: problem.output || '-' });
  }
}

export function runLockMessage(error: RunLockRefusal, lang: Lang, me: number): string {
  return fixable(runLockSaid(error, me)(LABELS[lang]), lang);
}
