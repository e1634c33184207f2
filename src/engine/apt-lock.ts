// apt busy: another apt (often unattended-upgrades on a fresh cloud server) holds dpkg's lock. The
// packages step's apt lines wait for it themselves (`-o DPkg::Lock::Timeout=`) rather than fail at
// once, and name who holds it; these helpers read that from apt's own words, so that the wizard
// can say it and count down the wait.

/** How long apt waits for another's lock: unattended-upgrades on a first boot is usually done within it. */
export const APT_LOCK_WAIT_SEC = 300;

/** apt's option that makes it wait for the lock up to `seconds` (apt ≥ 1.9.11; an older apt ignores it). */
export function aptLockWait(seconds = APT_LOCK_WAIT_SEC): string {
  return `-o DPkg::Lock::Timeout=${seconds}`;
}

/** The wait a command line asks of apt (its DPkg::Lock::Timeout), in seconds; none when it asks none. */
export function lockWaitOf(commandLine: string): number | undefined {
  const found = /-o\s+DPkg::Lock::Timeout=(\d+)/i.exec(commandLine);
  return found ? Number(found[1]) : undefined;
}

/**
 * The lists' lock, which `apt-get update` takes and never waits for: DPkg::Lock::Timeout covers
 * dpkg's locks only, and apt 2.6 (Debian 12) has no option for this one. The wizard waits for it
 * itself: it asks apt again every LISTS_LOCK_ASK_MS until the lock is free or its wait is over.
 */
export const APT_LISTS_LOCK = '/var/lib/apt/lists/lock';
export const LISTS_LOCK_ASK_MS = 5000;

/** Whether the command line runs `apt-get update` (or `apt update`): the one that takes the lists' lock. */
export function updatesPackageLists(commandLine: string): boolean {
  return /\bapt(?:-get)?\b[^;&|]*\supdate\b/.test(commandLine);
}

/**
 * How long the run waits for `lock` held by another while `commandLine` runs: apt's own wait (the
 * command's DPkg::Lock::Timeout), or, for the lists' lock of `apt-get update`, the wizard's.
 */
export function lockWaitLimit(commandLine: string, lock: string): { limitSec?: number; byWizard?: true } {
  if (lock === APT_LISTS_LOCK && updatesPackageLists(commandLine))
    return { limitSec: APT_LOCK_WAIT_SEC, byWizard: true };
  const asked = lockWaitOf(commandLine);
  return asked === undefined ? {} : { limitSec: asked };
}

/** Who holds the lock apt waits for, as apt names it. */
export interface LockHolder {
  lock: string;
  pid: number;
  /** The holder's program, when apt could name it (`apt-get`, `unattended-upgr`). */
  program?: string;
}

// "Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1234 (apt-get)": apt's
// message (apt 2.6 prints it as "Waiting for cache lock: …..." once a second while it waits, and
// `apt-get update` prints it as an error: the lists' lock is not waited for).
const HELD = /Could not get lock (\S+?)\.? It is held by process (\d+)(?: \(([^)]*)\))?/g;

/**
 * What a piece of apt's output says of the lock: `waiting` when the last thing it says is that it
 * waits for a lock (with the holder), `over` when it went on to something else after such a line,
 * undefined when it says nothing of it. apt's errors (`E: Unable to acquire the dpkg frontend lock`,
 * when it gives up) and notes (`N: Be aware that removing the lock file is not a solution`, after
 * the lists' lock) do not end the wait: the failure still names the holder.
 */
export function lockWaitIn(output: string): { waiting: LockHolder } | 'over' | undefined {
  const last = [...output.matchAll(HELD)].at(-1);
  const after = last ? output.slice(last.index + last[0].length) : output;
  // apt ends its waiting line with "..." (and, on a terminal, redraws it with "\r"): what follows
  // on later lines, but for its errors, is apt going on.
  const later = (last ? after.split('\n').slice(1) : after.split(/[\r\n]/)).filter(
    (line) => line.trim() !== '' && !/^[EN]: /.test(line),
  );
  if (later.length > 0) return 'over';
  if (!last) return undefined;
  return { waiting: { lock: last[1]!, pid: Number(last[2]), program: last[3] || undefined } };
}
