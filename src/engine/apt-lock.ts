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

/** Who holds the lock apt waits for, as apt names it. */
export interface LockHolder {
  lock: string;
  pid: number;
  /** The holder's program, when apt could name it (`apt-get`, `unattended-upgr`). */
  program?: string;
}

// "Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1234 (apt-get)": apt's
// message, in English whatever the locale (the wizard's commands run as the machine's apt prints).
const HELD = /Could not get lock (\S+?)\.? It is held by process (\d+)(?: \(([^)]*)\))?/g;

/**
 * What a piece of apt's output says of the lock: `waiting` when the last thing it says is that it
 * waits for a lock (with the holder), `over` when it went on to something else after such a line,
 * undefined when it says nothing of it.
 */
export function lockWaitIn(output: string): { waiting: LockHolder } | 'over' | undefined {
  const matches = [...output.matchAll(HELD)];
  const last = matches.at(-1);
  if (!last) return output.trim() === '' ? undefined : 'over';
  const rest = output.slice(last.index + last[0].length);
  // apt redraws that line with its progress ("\r…"); a later line of its own is apt going on.
  if (/\n\s*\S/.test(rest)) return 'over';
  return { waiting: { lock: last[1]!, pid: Number(last[2]), program: last[3] || undefined } };
}
