// The run lock: one wizard at a time on a machine, as two would run apt and restart nginx under
// each other (issue 14).
//
// Where it is. A place only its owner can write, so that no other account can plant the file,
// replace it, or point it elsewhere, and then have root act on what it says (in world-writable
// /tmp, a file naming pid 1 blocked every run, and a dead pid with a live group in it made root
// signal any process group):
//   - root: /run/uwsgi-nginx-guide/run.lock, in a directory made 0700;
//   - another account: $XDG_RUNTIME_DIR/uwsgi-nginx-guide/run.lock, or, where there is no
//     runtime directory (no logind session: su, runuser, a machine without systemd), in the
//     account's state directory beside its records (~/.local/state/uwsgi-nginx-guide/run.lock).
// The directory is checked before every use: ours, not a symbolic link, writable by nobody else;
// the file is opened with O_NOFOLLOW and must be a regular file of ours. Anything else is refused
// with what to try; nothing in it is believed.
//
// Root's lock guards the machine. A run by another account changes the machine as root too (its
// commands go through sudo), so it takes root's lock as well, through sudo, once it may use sudo
// and before it changes anything: `sudo <this program> --hold-run-lock` takes root's lock and
// holds it while the wizard's pipe to it stays open; the pipe closes when the wizard ends, however
// it ends (even SIGKILL), and the holder then lets go. So a root run and a sudo run never overlap,
// and only an account that may run anything as root can make root's wizard wait. The account's
// own lock still comes first: it guards the account's records, and the commands its run starts.
// (So a command left running by a killed run of another account is stopped by that account's next
// run, which finds it named in its own lock; root's run does not signal what it did not start.)
//
// What it says. The owner's pid and start time (field 22 of /proc/PID/stat: a pid is reused once
// its process ends, a pid and start time never are), and, while a command runs, the command's
// process group with the start time of its leader. A lock whose owner is gone is taken over. The
// command that owner left running (a `pip install` goes on after its wizard is killed) is stopped
// first, so that two do not run at once, but only when the group's leader is still the very
// process that was started: a number alone could by now name any program's group. A command that
// is still installing packages (apt, or dpkg at work, under it) is never stopped: cut off, it
// leaves dpkg half-done ("dpkg was interrupted"). The lock is then refused as busy until it ends.
import { spawn } from 'node:child_process';
import {
  closeSync,
  constants,
  fstatSync,
  ftruncateSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { packageManagerAtWorkUnder, processStart } from './proc.js';
import { transcriptDir } from './transcript.js';

/** Makes this program the holder of root's lock for a run of another account (never typed by a person). */
export const HOLD_RUN_LOCK_FLAG = '--hold-run-lock';

/** Root's lock: the machine's. */
export const ROOT_RUN_LOCK = '/run/uwsgi-nginx-guide/run.lock';

/** What is wrong with the lock's directory or file; nothing in them is used. */
export type RunLockProblem =
  | { kind: 'symlink' }
  | { kind: 'not-directory' }
  | { kind: 'not-regular-file' }
  | { kind: 'foreign-owner'; uid: number }
  | { kind: 'writable-by-others'; mode: number }
  /** The holder of root's lock, started through sudo, did not take it: what it or sudo said. */
  | { kind: 'not-taken'; output: string };

/** Another wizard holds the lock (`pid`), or (undefined) it could not be taken twice in a row. */
export class WizardBusyError extends Error {
  constructor(
    readonly path: string,
    readonly pid?: number,
  ) {
    super(pid === undefined ? `the run lock ${path} could not be taken` : `another wizard holds ${path} (pid ${pid})`);
  }
}

/**
 * The lock's owner is gone, and the command it left running (process group `processGroup`) is
 * still installing packages: it is neither stopped nor left to run beside a new wizard.
 */
export class PackageManagerBusyError extends Error {
  constructor(
    readonly path: string,
    readonly processGroup: number,
  ) {
    super(`${path}: the command a killed run left running (process group ${processGroup}) still runs apt or dpkg`);
  }
}

/** The lock's directory or file is not safe to use (`path` is the one at fault). */
export class RunLockError extends Error {
  constructor(
    readonly path: string,
    readonly problem: RunLockProblem,
  ) {
    super(`the run lock ${path} is refused: ${JSON.stringify(problem)}`);
  }
}

export interface RunLock {
  release(): void;
  /** Remember the process group of the running command (undefined: none runs). */
  noteCommand(processGroup: number | undefined): void;
}

function euid(): number {
  return process.geteuid?.() ?? 0;
}

/**
 * The running account's lock (see the top of this file). `XDG_RUNTIME_DIR` is used only when it
 * is a private directory of this account: runuser and su keep the caller's, which is not.
 */
export function runLockPath(uid = euid(), env: NodeJS.ProcessEnv = process.env): string {
  if (uid === 0) return ROOT_RUN_LOCK;
  const runtime = env.XDG_RUNTIME_DIR;
  const privateRuntime = runtime?.startsWith('/') && directoryProblem(runtime, uid) === undefined;
  return privateRuntime ? join(runtime!, 'uwsgi-nginx-guide', 'run.lock') : join(transcriptDir(), 'run.lock');
}

/** Why `dir` is not a private directory of `uid` (undefined: it is one). */
export function directoryProblem(dir: string, uid = euid()): RunLockProblem | undefined {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(dir);
  } catch {
    return { kind: 'not-directory' };
  }
  if (stat.isSymbolicLink()) return { kind: 'symlink' };
  if (!stat.isDirectory()) return { kind: 'not-directory' };
  if (stat.uid !== uid) return { kind: 'foreign-owner', uid: stat.uid };
  if ((stat.mode & 0o022) !== 0) return { kind: 'writable-by-others', mode: stat.mode & 0o7777 };
  return undefined;
}

/** Make the lock's directory (0700) if it is missing, and refuse it unless it is private. */
function privateDirectory(dir: string, uid: number): void {
  // Recursive: an account's state directory may be missing whole on a first run. It does not
  // fail on what is already there, a symbolic link included; the look after it refuses that.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const problem = directoryProblem(dir, uid);
  if (problem) throw new RunLockError(dir, problem);
}

interface Process {
  pid: number;
  /** Field 22 of /proc/PID/stat: clock ticks after boot; with the pid, it names one process. */
  start: string;
}

/** True when `process` is still that very process: its pid is running, and started when it did. */
function stillRunning(recorded: Process): boolean {
  return processStart(recorded.pid) === recorded.start;
}

export interface RunLockContent {
  owner: Process;
  /** The process group of the command the owner is running (its leader's pid and start time). */
  command?: Process;
}

function parseProcess(line: string | undefined): Process | undefined {
  const [pid, start, ...rest] = (line ?? '').trim().split(' ');
  if (rest.length > 0 || !/^[1-9][0-9]*$/.test(pid ?? '') || !/^[0-9]+$/.test(start ?? '')) return undefined;
  return { pid: Number(pid), start: start! };
}

/** The lock's text: "PID START" of its owner, then "GROUP START" while a command runs. */
export function parseRunLock(text: string): RunLockContent | undefined {
  const [ownerLine, commandLine] = text.split('\n');
  const owner = parseProcess(ownerLine);
  if (!owner) return undefined;
  return { owner, command: parseProcess(commandLine) };
}

function formatRunLock(content: RunLockContent): string {
  return [content.owner, ...(content.command ? [content.command] : [])].map((p) => `${p.pid} ${p.start}\n`).join('');
}

/**
 * Read the lock at `path`, which must be a regular file of `uid`'s: never through a symbolic link
 * (O_NOFOLLOW), never blocking on a FIFO (O_NONBLOCK). Undefined when there is none; a file of
 * ours that says nothing readable reads as a lock of nobody.
 */
export function readRunLock(path: string, uid = euid()): RunLockContent | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new RunLockError(path, { kind: 'symlink' });
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new RunLockError(path, { kind: 'not-regular-file' });
    if (stat.uid !== uid) throw new RunLockError(path, { kind: 'foreign-owner', uid: stat.uid });
    return parseRunLock(readFileSync(fd, 'utf8'));
  } finally {
    closeSync(fd);
  }
}

/**
 * Take the lock at `path` (the running account's, by default). Another live wizard: WizardBusyError.
 * A directory or file that is not private and ours: RunLockError. A lock whose owner is gone is taken
 * over, after the command it left running is stopped (`onOrphanStopped` is told of it) when that
 * command's group leader is still the process the owner started; while that command still runs apt
 * or dpkg, PackageManagerBusyError, and nothing is signalled.
 */
export function acquireRunLock(path = runLockPath(), onOrphanStopped?: (processGroup: number) => void): RunLock {
  const uid = euid();
  privateDirectory(dirname(path), uid);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let fd: number;
    try {
      // O_EXCL fails on anything already there, a symbolic link included (it is not followed).
      fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = readRunLock(path, uid);
      if (held && stillRunning(held.owner)) throw new WizardBusyError(path, held.owner.pid);
      if (held?.command && stillRunning(held.command)) {
        if (packageManagerAtWorkUnder(held.command.pid)) throw new PackageManagerBusyError(path, held.command.pid);
        try {
          process.kill(-held.command.pid, 'SIGTERM');
          onOrphanStopped?.(held.command.pid);
        } catch {
          // It ended meanwhile.
        }
      }
      rmSync(path, { force: true });
      continue;
    }
    return heldLock(fd, path, uid);
  }
  throw new WizardBusyError(path);
}

/** The lock just created as `fd`: written through that descriptor, never reopened by its name. */
function heldLock(fd: number, path: string, uid: number): RunLock {
  const owner: Process = { pid: process.pid, start: processStart(process.pid) ?? '0' };
  const write = (command: Process | undefined) => {
    ftruncateSync(fd, 0);
    writeSync(fd, formatRunLock({ owner, command }), 0);
  };
  write(undefined);
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      closeSync(fd);
      try {
        // Only while it is still ours: a person may have removed it and another wizard taken it since.
        const now = readRunLock(path, uid);
        if (now?.owner.pid === owner.pid && now.owner.start === owner.start) rmSync(path, { force: true });
      } catch {
        // Not ours any more (replaced): left alone.
      }
    },
    noteCommand: (group) => {
      if (released) return;
      const start = group === undefined ? undefined : processStart(group);
      // A group whose leader has already ended cannot be recognised later: none is recorded.
      write(group !== undefined && start !== undefined ? { pid: group, start } : undefined);
    },
  };
}

/** One line of the holder's answer on its stdout (JSON). */
type HolderSays =
  | { held: true }
  | { stopped: number }
  | { busy: number | null }
  | { packageManagerBusy: number }
  | { refused: RunLockProblem; path: string }
  | { error: string };

/**
 * The holder (`sudo <this program> --hold-run-lock`, run as root): take root's lock, say so on
 * stdout, and hold it until stdin ends, that is until the wizard that started it has ended. The
 * terminal's signals are the wizard's to handle: this ends with the pipe, whatever ends the wizard.
 * Resolves with the exit code.
 */
export async function serveRunLock(
  path = ROOT_RUN_LOCK,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const say = (line: HolderSays) => output.write(`${JSON.stringify(line)}\n`);
  if (euid() !== 0) {
    say({ error: 'the holder of the machine lock must run as root' });
    return 2;
  }
  let lock: RunLock;
  try {
    lock = acquireRunLock(path, (group) => say({ stopped: group }));
  } catch (error) {
    if (error instanceof WizardBusyError) say({ busy: error.pid ?? null });
    else if (error instanceof PackageManagerBusyError) say({ packageManagerBusy: error.processGroup });
    else if (error instanceof RunLockError) say({ refused: error.problem, path: error.path });
    else say({ error: error instanceof Error ? error.message : String(error) });
    return 75;
  }
  say({ held: true });
  await new Promise<void>((resolve) => {
    // A terminal's signals are the wizard's; a SIGTERM sent to this holder itself lets go at once.
    for (const signal of ['SIGINT', 'SIGHUP'] as const) process.on(signal, () => undefined);
    process.on('SIGTERM', resolve);
    input.on('end', resolve);
    input.on('close', resolve);
    input.on('error', () => resolve());
    input.resume();
  });
  lock.release();
  return 0;
}

/**
 * Take root's lock for this run of another account, through `command` (sudo running the holder,
 * after sudo's password was given): resolves once the holder holds it; rejects with WizardBusyError,
 * PackageManagerBusyError or RunLockError as acquireRunLock would. The holder lets go when this process ends; `release`
 * lets go sooner.
 */
export function holdMachineLock(
  command: string[],
  onOrphanStopped?: (processGroup: number) => void,
  timeoutMs = 60_000,
): Promise<{ release(): void }> {
  return new Promise((resolve, reject) => {
    // A session of its own, like the commands: Ctrl-C at the terminal is for the wizard, not for it.
    const holder = spawn(command[0]!, command.slice(1), { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let said = '';
    let pending = '';
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      holder.stdin.destroy();
      reject(error);
    };
    const timer = setTimeout(() => {
      holder.kill('SIGKILL');
      const output = `no answer in ${timeoutMs / 1000} s ${said}`.trim();
      fail(new RunLockError(ROOT_RUN_LOCK, { kind: 'not-taken', output }));
    }, timeoutMs);
    holder.on('error', (error) => fail(new RunLockError(ROOT_RUN_LOCK, { kind: 'not-taken', output: error.message })));
    holder.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
    holder.on('close', (code) => {
      fail(new RunLockError(ROOT_RUN_LOCK, { kind: 'not-taken', output: `${said.trim()} (exit ${code})`.trim() }));
    });
    holder.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        let answer: HolderSays;
        try {
          answer = JSON.parse(line) as HolderSays;
        } catch {
          said += `${line}\n`;
          continue;
        }
        if ('stopped' in answer) onOrphanStopped?.(answer.stopped);
        else if ('busy' in answer) fail(new WizardBusyError(ROOT_RUN_LOCK, answer.busy ?? undefined));
        else if ('packageManagerBusy' in answer)
          fail(new PackageManagerBusyError(ROOT_RUN_LOCK, answer.packageManagerBusy));
        else if ('refused' in answer) fail(new RunLockError(answer.path, answer.refused));
        else if ('error' in answer) fail(new RunLockError(ROOT_RUN_LOCK, { kind: 'not-taken', output: answer.error }));
        else if (!settled) {
          settled = true;
          clearTimeout(timer);
          // It holds the lock for as long as its stdin is open: nothing of it may keep this process alive.
          holder.unref();
          for (const stream of [holder.stdin, holder.stdout, holder.stderr]) {
            (stream as { unref?: () => void }).unref?.();
          }
          holder.stdout.removeAllListeners('data');
          holder.removeAllListeners('close');
          resolve({ release: () => holder.stdin.end() });
        }
      }
    });
  });
}
