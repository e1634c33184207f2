// A recording of a real run (fixtures/recordings/PLATFORM.json): what each command printed and
// when, how it ended, and what every question to the machine was answered, in the order of the
// run. It is made by test/record-simulation.ts on a real machine and replayed by the simulated
// System (simulated-system.ts), so that a class can walk the whole guide without a server.
import { createHash } from 'node:crypto';
import type { PathState, ProbeAnswer, WriteOutcome } from '../engine/ports.js';
import type { Action, PlanContext, Probe, StepId } from '../engine/types.js';
import { migrateV1Answer } from './recording-v1.js';

/** 2: a probe's answer is what it saw, as data (ports.ts Observation); 1 held English sentences. */
export const RECORDING_VERSION = 2;

export interface RecordedCommand {
  command: string;
  cwd?: string;
  /** Output as it came: [milliseconds after the start, text]. */
  chunks: [number, string][];
  /** A server stopped by the wizard (the test run): when the stop was asked, ms after the start. */
  stoppedAtMs?: number;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
}

/** One answer of the machine, asked at a point of the run (`at`: index into `timeline`, -1 before anything ran). */
export interface RecordedAnswer {
  at: number;
  key: string;
  answer: ProbeAnswer | PathState | WriteOutcome | { text: string | null };
}

/**
 * The failure a class diagnoses: broken on purpose in the recorded run after `afterStep`, seen as
 * a failing check of `step`, then fixed by `fixCommand` before the check was asked again.
 */
export interface RecordedIncident {
  id: string;
  step: StepId;
  checkId: string;
  breakCommand: string;
  fixCommand: string;
  fixOutput: string;
  /** What nginx's error log said about it at the time. */
  evidence: string[];
}

export interface Recording {
  version: number;
  recordedAt: string;
  /** The machine, in words: "Debian GNU/Linux 12 (bookworm), no service manager". */
  machine: string;
  /** Answers, platform (as detected), privilege: the plan is built from it again. */
  context: PlanContext;
  /** Points of the run in order: `STEP/ACTION` for each action (and `STEP/ACTION:end` for a command's end), `incident:break`, `incident:fix`. */
  timeline: string[];
  commands: Record<string, RecordedCommand>;
  answers: RecordedAnswer[];
  incident?: RecordedIncident;
}

/** The timeline name of a planned action. */
export function actionKey(stepId: string, action: Action): string {
  return `${stepId}/${action.id}`;
}

/**
 * A question's identity across runs: the probe itself, with a file's expected content replaced
 * by its hash (the recording stays readable, and a changed file content is a different question).
 */
export function probeKey(probe: Probe): string {
  const shown =
    probe.kind === 'file' && probe.content !== undefined
      ? { ...probe, content: `sha256:${createHash('sha256').update(probe.content).digest('hex').slice(0, 16)}` }
      : probe;
  return `probe ${stableJson(shown)}`;
}

/** The point of the run where a command has ended. */
export function endKey(key: string): string {
  return `${key}:end`;
}

export function inspectKey(path: string): string {
  return `inspect ${path}`;
}

export function readTextKey(path: string): string {
  return `read ${path}`;
}

export function writeKey(path: string): string {
  return `write ${path}`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Why a recording cannot be replayed, as data: said in the person's language (src/ui/labels.ts). */
export type RecordingProblem =
  | { kind: 'missing'; path: string; code: string }
  | { kind: 'not-json'; source: string; error: string }
  | { kind: 'version'; source: string; version: string; reads: string }
  | { kind: 'incomplete'; source: string };

/** Its message is the English one (for a log); `problem` is what is said. */
export class RecordingError extends Error {
  constructor(readonly problem: RecordingProblem) {
    super(
      problem.kind === 'missing'
        ? `there is no recording ${problem.path} (${problem.code}); npm run fixtures:record makes one on a real machine`
        : problem.kind === 'not-json'
          ? `${problem.source} is not a readable recording: ${problem.error}`
          : problem.kind === 'version'
            ? `${problem.source} is a recording of version ${problem.version}; this wizard reads versions ${problem.reads}`
            : `${problem.source} lacks parts of a recording (context, timeline, commands, answers)`,
    );
  }
}

/** Read a recording, refusing one that is not (or no longer) understood. */
export function parseRecording(text: string, source: string): Recording {
  let data: Partial<Recording>;
  try {
    data = JSON.parse(text) as Partial<Recording>;
  } catch (error) {
    throw new RecordingError({ kind: 'not-json', source, error: (error as Error).message });
  }
  if (data.version === 1 && Array.isArray(data.answers))
    data = { ...data, version: RECORDING_VERSION, answers: data.answers.map(migrateV1Answer) };
  if (data.version !== RECORDING_VERSION)
    throw new RecordingError({
      kind: 'version',
      source,
      version: String(data.version),
      reads: `1, ${RECORDING_VERSION}`,
    });
  if (!data.context || !Array.isArray(data.timeline) || !data.commands || !Array.isArray(data.answers))
    throw new RecordingError({ kind: 'incomplete', source });
  return data as Recording;
}
