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

export interface System {
  start(action: CommandAction, onOutput: (text: string) => void): RunningCommand;
  writeFile(file: FileAction): Promise<void>;
  probe(probe: Probe): Promise<ProbeAnswer>;
}

/** Where the whole story of a run goes: every command, its output, exit code and duration. */
export interface Transcript {
  write(text: string): void;
}
