// apt busy, in words: who holds apt's lock, how long apt still waits for it, and, when it gave up,
// what to do. Shared by the screen (with a countdown) and the plain output (with the time it ends).
import type { LockHolder } from '../engine/apt-lock.js';
import type { LockWait } from '../engine/wizard.js';
import type { Labels } from './labels.js';

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/** `1234 (apt-get)`: the process as apt names it. */
export function holderText(holder: LockHolder): string {
  return holder.program ? `${holder.pid} (${holder.program})` : String(holder.pid);
}

/** Seconds as `m:ss`, the same in both languages. */
export function clockDuration(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** Who holds the lock, and that apt goes on once it is free. */
export function lockWaitText(wait: LockWait, l: Labels): string {
  return fill(wait.byWizard ? l.listsLockWait : l.lockWait, {
    lock: wait.holder.lock,
    holder: holderText(wait.holder),
  });
}

/** The countdown at `now`: what is left of apt's wait (nothing when apt was given no limit). */
export function lockWaitLeft(wait: LockWait, l: Labels, now: number): string | undefined {
  if (wait.limitSec === undefined) return undefined;
  const left = wait.limitSec - (now - wait.since) / 1000;
  return fill(wait.byWizard ? l.listsLockWaitLeft : l.lockWaitLeft, {
    left: clockDuration(left),
    limit: clockDuration(wait.limitSec),
  });
}

/** For a log, which has no countdown: until when apt waits (local time). */
export function lockWaitUntil(wait: LockWait, l: Labels): string | undefined {
  if (wait.limitSec === undefined) return undefined;
  const time = new Date(wait.since + wait.limitSec * 1000).toTimeString().slice(0, 8);
  return fill(wait.byWizard ? l.listsLockWaitUntil : l.lockWaitUntil, { limit: clockDuration(wait.limitSec), time });
}

/** The person stopped the wait: apt is interrupted, or (the lists' lock) no longer asked again. */
export function lockWaitStopped(wait: LockWait, l: Labels): string {
  return wait.byWizard ? l.listsLockWaitStopped : l.lockWaitStopped;
}

/** apt gave up (or the wizard did, for the lists' lock): who held the lock, and what to do. */
export function lockWaitGaveUp(wait: LockWait, l: Labels): string {
  return fill(l.lockWaitGaveUp, { lock: wait.holder.lock, holder: holderText(wait.holder), pid: wait.holder.pid });
}
