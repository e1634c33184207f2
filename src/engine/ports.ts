// The small interfaces through which the engine reaches the machine. src/exec implements them
// for real; tests implement them with scripted answers. Nothing else in the engine has effects.
import type { SourceTree } from './own-app/find.js';
import type { CommandAction, FileAction, Probe, UwsgiInstance } from './types.js';

export interface RunOutcome {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
}

export interface RunningCommand {
  done: Promise<RunOutcome>;
  /**
   * Stop it the way Ctrl-C would (SIGINT to its whole process group), escalating if ignored; not a
   * command that must be left to finish (`mustFinish`).
   */
  stop(): void;
  /**
   * Whether a stop now would wait for it rather than signal it: apt or dpkg once dpkg has begun its
   * work (cut off, it leaves the packages broken). Before that (apt waiting for another's lock,
   * downloading) it may be interrupted. Absent: it is always stopped.
   */
  mustFinish?(): boolean;
}

/**
 * What a probe saw, as data: the screen and the plain output put it into words in the person's
 * language (src/ui/probe-text.ts), and the stack line and hands-on mode read its fields. What was
 * expected is not here: it is the Probe itself. Text in it is a program's own (a command's output,
 * a page, an error code), never a sentence of ours.
 */
export type Observation =
  /** The packages of the probe not installed (none: all are). */
  | { kind: 'packages'; missing: string[] }
  /** How the command ended, and the last lines it printed (stdout and stderr, as printed). */
  | { kind: 'command'; exitCode: number | null; output: string[] }
  | { kind: 'file'; exists: false; error?: string }
  /** The file is there; what of the probe's wishes it does not meet (none: all). */
  | { kind: 'file'; exists: true; differences: FileDifference[] }
  /** The page's status and its body, whitespace folded and cut to a summary. */
  | { kind: 'http'; status: number; body: string }
  /** No answer: the connection's error code (ECONNREFUSED, ETIMEDOUT for no answer in time…). */
  | { kind: 'http'; error: string }
  /** How many processes of the user run the command line; `userMissing` when there is no such user. */
  | { kind: 'processes'; running: number; userMissing?: boolean }
  | { kind: 'socket'; exists: true; isSocket: boolean; mode: number; group: string }
  /** Not there; or `error`, what stat said when it could not look (its own words). */
  | { kind: 'socket'; exists: false; error?: string }
  | { kind: 'port-free'; inUse: boolean; error?: string }
  /** Every uWSGI found serving the app, one per master (or lone process). */
  | { kind: 'uwsgi'; found: UwsgiInstance[] }
  /** The probe itself failed (a bug, or the machine refused): its error, as thrown. */
  | { kind: 'error'; message: string }
  /** A simulation asked what its recording never asked at this point. */
  | { kind: 'unrecorded' };

export type FileDifference =
  /**
   * `diff`: the first lines of a unified diff from what was expected (-) to what the file holds (+); `more`, how many
   * lines of it were left out.
   */
  | { what: 'content'; diff?: string[]; more?: number }
  | { what: 'not-executable' }
  | { what: 'owner' | 'group'; found: string }
  | { what: 'mode'; found: number };

export interface ProbeAnswer {
  ok: boolean;
  observed: Observation;
}

/** Why a file could not be written, as data: the screen says it in the person's language (src/ui/labels.ts). */
export type WriteProblem =
  | { kind: 'no-account'; owner: string; group: string }
  /** The earlier version could not be copied aside (`output`: cp's own words), so nothing was written. */
  | { kind: 'no-backup'; path: string; output: string }
  /** sudo install refused (`output`: its own words). */
  | { kind: 'not-installed'; output: string }
  /** The system refused the writing itself: its error code (EACCES, ENOSPC, EROFS, ENOENT…). */
  | { kind: 'refused'; path: string; code: string };

/** Thrown by System.writeFile for a problem it can name; its message is the log's (English). */
export class WriteFileError extends Error {
  constructor(readonly problem: WriteProblem) {
    super(
      problem.kind === 'no-account'
        ? `cannot find the account ${problem.owner} or the group ${problem.group}`
        : problem.kind === 'no-backup'
          ? `could not keep a backup of ${problem.path}: ${problem.output}`
          : problem.kind === 'refused'
            ? `${problem.path} could not be written (${problem.code})`
            : problem.output,
    );
  }
}

export interface WriteOutcome {
  /** False when the file already held exactly this content and was left alone. */
  written: boolean;
  /** Where the earlier, different content was kept. */
  backup?: string;
}

/** What is at a path, without following a final symbolic link. */
export interface PathState {
  kind: 'none' | 'file' | 'dir' | 'link' | 'other';
  /** For a link: where it points. */
  target?: string;
}

/**
 * A person's project as read for `--app-source` (issue 17): its files, or why it could not be read.
 * `root`: the path it was read at, links in it resolved (the one the wizard names and records).
 */
export type SourceReading =
  | { kind: 'read'; root: string; tree: SourceTree }
  | { kind: 'missing'; path: string }
  | { kind: 'not-a-directory'; path: string }
  /** `error`: what the system said, in its own words. */
  | { kind: 'unreadable'; path: string; error: string };

export interface System {
  start(action: CommandAction, onOutput: (text: string) => void): RunningCommand;
  inspect(path: string): Promise<PathState>;
  /** A file's text, or undefined when it does not exist (or cannot be read). */
  readText(path: string): Promise<string | undefined>;
  writeFile(file: FileAction): Promise<WriteOutcome>;
  probe(probe: Probe): Promise<ProbeAnswer>;
  /**
   * A person's project directory, read as `asUser` (root's wizard reads it as the app's account;
   * undefined: as the wizard's own), without following a symbolic link inside it.
   */
  readSource(path: string, asUser: string | undefined): Promise<SourceReading>;
}

/** Where the whole story of a run goes: every command, its output, exit code and duration. */
export interface Transcript {
  write(text: string): void;
}
