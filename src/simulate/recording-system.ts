// The System port around the real machine, noting everything that passes through it: each
// command's output with its timing, each answer with the point of the run it was asked at. What
// test/record-simulation.ts turns into fixtures/recordings/PLATFORM.json.
import type { PathState, ProbeAnswer, RunningCommand, SourceReading, System, WriteOutcome } from '../engine/ports.js';
import type { CommandAction, Plan, Probe } from '../engine/types.js';
import {
  actionKey,
  endKey,
  inspectKey,
  probeKey,
  readTextKey,
  writeKey,
  type RecordedAnswer,
  type RecordedCommand,
} from './recording.js';

export class RecordingSystem implements System {
  readonly timeline: string[] = [];
  readonly commands: Record<string, RecordedCommand> = {};
  readonly answers: RecordedAnswer[] = [];
  private readonly stepOf = new Map<string, string>();

  constructor(
    private readonly real: System,
    plan: Plan,
  ) {
    for (const step of plan.steps) for (const action of step.actions) this.stepOf.set(action.id, step.id);
  }

  /** A point of the run that is not an action of the plan (the incident's break and fix). */
  mark(name: string): void {
    this.timeline.push(name);
  }

  private get at(): number {
    return this.timeline.length - 1;
  }

  start(action: CommandAction, onOutput: (text: string) => void): RunningCommand {
    const key = this.stepOf.has(action.id) ? actionKey(this.stepOf.get(action.id)!, action) : `other/${action.id}`;
    this.timeline.push(key);
    const startedAt = Date.now();
    const record: RecordedCommand = {
      command: action.command,
      cwd: action.cwd,
      chunks: [],
      exitCode: null,
      signal: null,
      timedOut: false,
      durationMs: 0,
    };
    this.commands[key] = record;
    const running = this.real.start(action, (text) => {
      record.chunks.push([Date.now() - startedAt, text]);
      onOutput(text);
    });
    const done = running.done.then((outcome) => {
      Object.assign(record, {
        exitCode: outcome.exitCode,
        signal: outcome.signal,
        timedOut: outcome.timedOut,
        durationMs: outcome.durationMs,
      });
      // What is asked while a command runs (a served page) and after it ended (the port free again) are different
      // points.
      this.timeline.push(endKey(key));
      return outcome;
    });
    return {
      done,
      stop: () => {
        record.stoppedAtMs ??= Date.now() - startedAt;
        running.stop();
      },
    };
  }

  async inspect(path: string): Promise<PathState> {
    const at = this.at;
    const answer = await this.real.inspect(path);
    this.noteAt(at, inspectKey(path), answer);
    return answer;
  }

  async readText(path: string): Promise<string | undefined> {
    const at = this.at;
    const text = await this.real.readText(path);
    this.noteAt(at, readTextKey(path), { text: text ?? null });
    return text;
  }

  /** Not part of a recording: the recorded run is the guide's hello world. */
  readSource(path: string, asUser: string | undefined): Promise<SourceReading> {
    return this.real.readSource(path, asUser);
  }

  async writeFile(file: Parameters<System['writeFile']>[0]): Promise<WriteOutcome> {
    this.timeline.push(actionKey(this.stepOf.get(file.id) ?? 'other', file));
    const outcome = await this.real.writeFile(file);
    this.noteAt(this.at, writeKey(file.path), outcome);
    return outcome;
  }

  async probe(probe: Probe): Promise<ProbeAnswer> {
    // The point at which it was asked, not answered: the replay asks at the same point.
    const at = this.at;
    const answer = await this.real.probe(probe);
    this.noteAt(at, probeKey(probe), answer);
    return answer;
  }

  /** Consecutive equal answers to one question at one point are kept once: the replay asks until the next one. */
  private noteAt(at: number, key: string, answer: RecordedAnswer['answer']): void {
    const last = [...this.answers].reverse().find((a) => a.key === key);
    if (last && last.at === at && JSON.stringify(last.answer) === JSON.stringify(answer)) return;
    this.answers.push({ at, key, answer });
  }
}
