// The small interfaces through which the engine reaches the machine. src/exec implements them
// for real; tests implement them with scripted answers. Nothing else in the engine has effects.
import type { CommandAction, FileAction, Probe } from './types.js';

export interface RunOutcome {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
}

export interface RunningCommand {
  done: Promise<RunOutcome>;
  /** Stop it the way Ctrl-C would (SIGINT to its whole process group), escalating if ignored. */
  stop(): void;
}

export interface ProbeAnswer {
  ok: boolean;
  expected: string;
  found: string;
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

export interface System {
  start(action: CommandAction, onOutput: (text: string) => void): RunningCommand;
  inspect(path: string): Promise<PathState>;
  /** A file's text, or undefined when it does not exist (or cannot be read). */
  readText(path: string): Promise<string | undefined>;
  writeFile(file: FileAction): Promise<WriteOutcome>;
  probe(probe: Probe): Promise<ProbeAnswer>;
}

/** Where the whole story of a run goes: every command, its output, exit code and duration. */
export interface Transcript {
  write(text: string): void;
}
