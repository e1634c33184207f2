// The System port of `--simulate`: the machine of a recorded run, replayed. It never spawns a
// process, never writes a file and never looks at the real machine: commands print what they
// printed in the recording (faster: `maxActionMs` caps each one's replay), and every question is
// answered as it was answered at the same point of the recorded run.
import type {
  PathState,
  ProbeAnswer,
  RunOutcome,
  RunningCommand,
  SourceReading,
  System,
  WriteOutcome,
} from '../engine/ports.js';
import type { CommandAction, FileAction, Plan, Probe } from '../engine/types.js';
import {
  actionKey,
  endKey,
  inspectKey,
  probeKey,
  readTextKey,
  writeKey,
  type RecordedAnswer,
  type RecordedCommand,
  type Recording,
} from './recording.js';

export interface SimulatedSystemOptions {
  /** The longest a command's replay may take (ms); a shorter recorded one keeps its own pace. */
  maxActionMs: number;
}

/** Output is handed on at most this often (ms): a build of thousands of lines stays a few dozen frames. */
export const TICK_MS = 40;

export class SimulatedSystem implements System {
  /** Index into the recording's timeline of the furthest point replayed; -1 before anything ran. */
  private position = -1;
  private readonly stepOf = new Map<string, string>();
  private readonly cursors = new Map<string, number>();

  constructor(
    private readonly recording: Recording,
    plan: Plan,
    private readonly options: SimulatedSystemOptions,
  ) {
    for (const step of plan.steps) for (const action of step.actions) this.stepOf.set(action.id, step.id);
  }

  /** The recorded incident's fix: from now on the machine is as it was after it. */
  applyFix(): void {
    this.moveTo('incident:fix');
  }

  /** Where the replay stands: the timeline's point (for the tests). */
  get point(): string | undefined {
    return this.recording.timeline[this.position];
  }

  private moveTo(point: string): void {
    const indices = this.recording.timeline.flatMap((name, i) => (name === point ? [i] : []));
    const next = indices.find((i) => i > this.position) ?? indices.at(-1);
    if (next !== undefined) this.position = Math.max(this.position, next);
  }

  private keyOf(action: CommandAction | FileAction): string {
    return actionKey(this.stepOf.get(action.id) ?? 'other', action);
  }

  /**
   * The answer recorded for this question at the latest point not after where the replay stands, in the order they
   * came.
   */
  private answer(key: string): RecordedAnswer['answer'] | undefined {
    const asked = this.recording.answers.filter((a) => a.key === key && a.at <= this.position);
    if (asked.length === 0) return undefined;
    const at = Math.max(...asked.map((a) => a.at));
    const atThatPoint = asked.filter((a) => a.at === at);
    const cursorKey = `${key}@${at}`;
    const cursor = this.cursors.get(cursorKey) ?? 0;
    this.cursors.set(cursorKey, cursor + 1);
    return atThatPoint[Math.min(cursor, atThatPoint.length - 1)]!.answer;
  }

  start(action: CommandAction, onOutput: (text: string) => void): RunningCommand {
    const key = this.keyOf(action);
    this.moveTo(key);
    const recorded = this.recording.commands[key];
    if (!recorded) {
      onOutput(
        `(simulation: the recording has no output of this command; it was not run when the recording was made)\n`,
      );
      return {
        done: Promise.resolve({ exitCode: null, signal: null, timedOut: false, durationMs: 0 }),
        stop: () => undefined,
      };
    }
    if (recorded.command !== action.command) onOutput(`(simulation: recorded as  $ ${recorded.command})\n`);
    const running = replay(recorded, onOutput, this.options.maxActionMs);
    return {
      ...running,
      done: running.done.then((outcome) => {
        this.moveTo(endKey(key));
        return outcome;
      }),
    };
  }

  async inspect(path: string): Promise<PathState> {
    return (this.answer(inspectKey(path)) as PathState | undefined) ?? { kind: 'none' };
  }

  async readText(path: string): Promise<string | undefined> {
    return (this.answer(readTextKey(path)) as { text: string | null } | undefined)?.text ?? undefined;
  }

  /** A simulation takes no flags: no project of the person's is ever read. */
  async readSource(path: string): Promise<SourceReading> {
    return { kind: 'missing', path };
  }

  async writeFile(file: FileAction): Promise<WriteOutcome> {
    this.moveTo(this.keyOf(file));
    return (this.answer(writeKey(file.path)) as WriteOutcome | undefined) ?? { written: true };
  }

  async probe(probe: Probe): Promise<ProbeAnswer> {
    const recorded = this.answer(probeKey(probe)) as ProbeAnswer | undefined;
    return recorded ?? { ok: false, observed: { kind: 'unrecorded' } };
  }
}

/**
 * Play a recorded command's output at its own pace, compressed to at most `maxMs`. A server the
 * wizard stopped (the test run) plays what it printed before the stop, waits for the stop, then
 * plays the rest (its goodbye) and ends as it ended.
 */
function replay(recorded: RecordedCommand, onOutput: (text: string) => void, maxMs: number): RunningCommand {
  const stoppedAt = recorded.stoppedAtMs;
  const before = recorded.chunks.filter(([at]) => stoppedAt === undefined || at < stoppedAt);
  const after = recorded.chunks.filter(([at]) => stoppedAt !== undefined && at >= stoppedAt);
  const scale = Math.min(1, maxMs / Math.max(recorded.durationMs, 1));
  const startedAt = Date.now();
  const recordedOutcome: RunOutcome = {
    exitCode: recorded.exitCode,
    signal: recorded.signal,
    timedOut: recorded.timedOut,
    durationMs: recorded.durationMs,
  };
  let finish!: (outcome: RunOutcome) => void;
  const done = new Promise<RunOutcome>((resolve) => (finish = resolve));
  let stage: 'before' | 'waiting' | 'after' | 'over' = 'before';
  let timer: NodeJS.Timeout | undefined;
  let pending: [number, string][] = [];

  /** Hand on the chunks whose (compressed) time has come, a tick at a time; then `then`. */
  const play = (chunks: [number, string][], offset: number, then: () => void) => {
    pending = [...chunks];
    const began = Date.now();
    const tick = () => {
      const due = (Date.now() - began) / scale + offset;
      let text = '';
      while (pending.length > 0 && pending[0]![0] <= due) text += pending.shift()![1];
      if (text) onOutput(text);
      if (pending.length > 0) timer = setTimeout(tick, TICK_MS);
      else then();
    };
    tick();
  };
  const end = (outcome: RunOutcome) => {
    if (stage === 'over') return;
    stage = 'over';
    clearTimeout(timer);
    finish(outcome);
  };
  play(before, 0, () => {
    if (stoppedAt === undefined) end(recordedOutcome);
    else stage = 'waiting';
  });
  return {
    done,
    stop: () => {
      if (stage === 'over' || stage === 'after') return;
      clearTimeout(timer);
      if (stoppedAt === undefined) {
        // Stopped by the person before the recorded command ended: as Ctrl-C would end it.
        end({ exitCode: null, signal: 'SIGINT', timedOut: false, durationMs: Date.now() - startedAt });
        return;
      }
      // A server stopped sooner than in the recording: what it printed before is shown whole, then its goodbye.
      if (pending.length > 0) onOutput(pending.map(([, text]) => text).join(''));
      stage = 'after';
      play(after, stoppedAt, () => end(recordedOutcome));
    },
  };
}

/**
 * A clock for the session that runs `speed` times faster: checks that wait to settle wait as long in recorded time,
 * not in the class's time.
 */
export function fastClock(speed: number, start = Date.now()): () => number {
  return () => start + (Date.now() - start) * speed;
}
