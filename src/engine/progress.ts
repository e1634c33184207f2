// What a run records, and how a later run reconciles it with the machine. Pure: reading and
// writing the file is src/exec/progress-store.ts.
//
// The machine is the truth: a step whose probe passes is done, whoever did it; a step recorded
// done whose probe now fails has "changed" and is done again. Steps are recorded by id, never by
// position, so a curriculum that gains or reorders steps keeps every record valid.
import * as z from 'zod/mini'; // tree-shakable: see answers.ts
import type { Answers, Plan, StepId } from './types.js';
import { CAUSES } from './doctor/model.js';
import { recordQuizAnswers } from './quiz.js';
import type { StepStatus, WizardState } from './wizard.js';

export const PROGRESS_VERSION = 1;

const stepRecord = z.object({
  state: z.enum(['done', 'skipped']),
  at: z.string(),
  /** `wizard`: its commands ran; `found`: its result was already in place. */
  by: z._default(z.enum(['wizard', 'found']), 'wizard'),
});

/**
 * What a teacher's report needs of each step (issue 7), kept apart from `steps` (which the
 * reconciliation rewrites): added without a new version, every field with a default, so that
 * files written before it load as they are.
 */
const stepActivity = z.object({
  /** When the step was first begun, and when it was last finished (ISO times). */
  startedAt: z.optional(z.string()),
  finishedAt: z.optional(z.string()),
  /** Seconds spent on it over all runs, unfinished attempts included. */
  spentSec: z._default(z.number().check(z.nonnegative()), 0),
  /** The highest hint asked for (hands-on): 1 what to do, 2 the exact command, 3 do it for me. */
  hintLevel: z._default(z.int().check(z.minimum(0), z.maximum(3)), 0),
  /** The student asked the wizard to do it for them ("do it for me"), and it did. */
  doneByWizard: z._default(z.boolean(), false),
  /** Who made it done the last time: the student by hand (hands-on), the wizard, or found in place. */
  doneBy: z.optional(z.enum(['student', 'wizard', 'found'])),
});

/** Who made an entry: the step and its action (none in a record of the previous version). */
const origin = { step: z.string(), action: z.optional(z.string()) };
const undoAccount = z.enum(['root', 'service-user']);
const started = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('systemd-unit'), name: z.string() }),
  z.object({ kind: z.literal('upstart-job'), name: z.string() }),
  z.object({ kind: z.literal('uwsgi-daemon'), uwsgi: z.string(), pidFile: z.string() }),
]);

/**
 * What the wizard made, as data (src/engine/journal.ts); the previous version's created and
 * started entries, with their undo stored as a shell line, are read too (journalOf takes them on).
 */
const journalEntry = z.union([
  z.object({
    kind: z.literal('created'),
    ...origin,
    path: z.string(),
    made: z.enum(['file', 'directory', 'tree']),
    runAs: undoAccount,
  }),
  z.object({
    kind: z.literal('relinked'),
    ...origin,
    path: z.string(),
    previousTarget: z.string(),
    runAs: z.optional(undoAccount),
  }),
  z.object({ kind: z.literal('started'), ...origin, what: started }),
  z.object({ kind: z.literal('opened'), ...origin, rule: z.string() }),
  z.object({ kind: z.literal('certified'), ...origin, name: z.string() }),
  z.object({
    kind: z.literal('file'),
    ...origin,
    path: z.string(),
    owner: z.string(),
    backup: z.optional(z.string()),
  }),
  // A file the doctor's fix of a cause wrote (doctor --fix): no step made it.
  z.object({
    kind: z.literal('file'),
    doctor: z.enum(CAUSES),
    path: z.string(),
    owner: z.string(),
    backup: z.optional(z.string()),
  }),
  z.object({
    kind: z.literal('stored-undo'),
    ...origin,
    change: z.enum(['created', 'started']),
    subject: z.string(),
    undo: z.string(),
  }),
  z.object({ kind: z.literal('created'), step: z.string(), path: z.string(), undo: z.string() }),
  z.object({ kind: z.literal('started'), step: z.string(), what: z.string(), undo: z.string() }),
]);

/** One quiz question, answered right (issue 7): the first answer is kept, for the teacher's report. */
const quizRecord = z.object({
  step: z.string(),
  /** Right at the first pick. */
  firstTry: z.boolean(),
  /** Picks until the right one, that one included. */
  tries: z.int().check(z.minimum(1)),
  at: z.string(),
});

const progressSchema = z.object({
  version: z.literal(PROGRESS_VERSION),
  answers: z.object({
    appName: z.string(),
    user: z.string(),
    appDir: z.string(),
    webGroup: z.string(),
    serverName: z.string(),
    processes: z.number(),
    testPort: z.number(),
    appSource: z.optional(z.string()),
    appModule: z.optional(z.string()),
  }),
  /**
   * The optional steps after nginx this installation chose (issue 18): later runs, `status` and `undo` plan them
   * too, so that a run without the flags does not take the certificate's site for a changed one and write it anew.
   */
  chosen: z.optional(
    z.object({
      firewall: z.optional(z.boolean()),
      https: z.optional(
        z.object({ email: z.string(), acmeServer: z.optional(z.string()), caBundle: z.optional(z.string()) }),
      ),
      uwsgiFrom: z.optional(z.literal('wheel')),
    }),
  ),
  steps: z._default(z.record(z.string(), stepRecord), {}),
  /** What the wizard created or changed, oldest first: what `undo` takes back. */
  journal: z._default(z.array(journalEntry), []),
  /**
   * Quiz answers by question id. Added in the same version 1: a file from before quizzes has
   * none and loads as it is; a wizard from before quizzes still reads this file (zod drops keys
   * it does not know), though its next write leaves the answers out.
   */
  quiz: z._default(z.record(z.string(), quizRecord), {}),
  /** Time, hints and help per step, by id: what `report` tells the teacher. */
  activity: z._default(z.record(z.string(), stepActivity), {}),
  updatedAt: z.string(),
});

export type Progress = z.infer<typeof progressSchema>;
export type StepRecord = z.infer<typeof stepRecord>;
export type StepActivity = z.infer<typeof stepActivity>;

export type ProgressReading =
  | { kind: 'none' }
  | { kind: 'ok'; progress: Progress }
  /**
   * Unreadable or from another version: reported, then ignored; never a crash. `about`: which
   * installation it was for, as far as its answers can still be read.
   */
  | { kind: 'ignored'; because: IgnoredBecause; about?: RecordedInstallation };

/** Why a record was ignored, as data: src/ui/ignored-record-text.ts says it in the person's language. */
export type IgnoredBecause =
  /** The file could not be read: the system's error code (EACCES, EISDIR…). */
  | { kind: 'unreadable'; code: string }
  /** Not JSON at all: cut short, or overwritten by something else. */
  | { kind: 'not-json' }
  /** A record of another version (a later wizard's): `found` as it is written in the file. */
  | { kind: 'version'; found: string; reads: number }
  /** This version, but a field does not hold what it should; `expected`: the type it should have, when known. */
  | { kind: 'damaged'; field: string; expected?: string };

/** What an ignored record still says of its installation (the three that make one). */
export type RecordedInstallation = Partial<Pick<Answers, 'appName' | 'user' | 'appDir'>>;

/** The app, account and directory of a record that cannot be used whole: each only when it is a string. */
function installationIn(data: unknown): RecordedInstallation | undefined {
  const answers = typeof data === 'object' && data !== null ? (data as { answers?: unknown }).answers : undefined;
  if (typeof answers !== 'object' || answers === null) return undefined;
  const about: RecordedInstallation = {};
  for (const key of ['appName', 'user', 'appDir'] as const) {
    const value = (answers as Record<string, unknown>)[key];
    if (typeof value === 'string') about[key] = value;
  }
  return about.appName === undefined ? undefined : about;
}

export function parseProgress(text: string): ProgressReading {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { kind: 'ignored', because: { kind: 'not-json' } };
  }
  const version = typeof data === 'object' && data !== null ? (data as { version?: unknown }).version : undefined;
  if (version !== PROGRESS_VERSION) {
    return {
      kind: 'ignored',
      because: { kind: 'version', found: JSON.stringify(version) ?? 'none', reads: PROGRESS_VERSION },
      about: installationIn(data),
    };
  }
  const parsed = progressSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const expected = issue?.code === 'invalid_type' ? String(issue.expected) : undefined;
    const field = issue?.path.join('.') ?? '';
    return {
      kind: 'ignored',
      because: { kind: 'damaged', field, ...(expected ? { expected } : {}) },
      about: installationIn(data),
    };
  }
  return { kind: 'ok', progress: parsed.data };
}

export function emptyProgress(answers: Answers, now: string): Progress {
  return { version: PROGRESS_VERSION, answers, steps: {}, journal: [], quiz: {}, activity: {}, updatedAt: now };
}

/** The same installation: records made for another app, user or directory do not count here. */
export function sameInstallation(a: Answers, b: Answers): boolean {
  return a.appName === b.appName && a.user === b.user && a.appDir === b.appDir;
}

export function recordStep(progress: Progress, id: StepId, record: StepRecord): Progress {
  return { ...progress, steps: { ...progress.steps, [id]: record }, updatedAt: record.at };
}

/** A step as seen on start: the resume screen's and `status`'s vocabulary. */
export type ResumeState = 'done' | 'todo' | 'changed' | 'skipped';

export interface StepOverview {
  id: StepId;
  state: ResumeState;
  /** Whether the machine was asked (false for lessons and the test run, which only the record knows). */
  probed: boolean;
}

/**
 * Reconcile the record with the machine. `probes` holds, for each step that can be probed, whether
 * its checks pass now. A step that cannot be probed (a lesson, the test run) counts as done when
 * recorded, or when a later step of this app is done on the machine: whoever got that far went
 * past it.
 */
export function reconcile(
  plan: Plan,
  record: Progress | undefined,
  probes: Partial<Record<StepId, boolean>>,
): StepOverview[] {
  const steps = plan.steps;
  // A machine-wide step in place says nothing about this app, or about whether this person has read
  // the lessons (nginx may be there for another site, or another app set up with the wizard).
  const lastDoneOnMachine = steps.map((s) => probes[s.id] === true && !s.machineWide).lastIndexOf(true);
  return steps.map((step, index) => {
    const recorded = record?.steps[step.id]?.state;
    const probe = probes[step.id];
    if (probe === undefined) {
      const state: ResumeState =
        recorded === 'skipped' ? 'skipped' : recorded === 'done' || index < lastDoneOnMachine ? 'done' : 'todo';
      return { id: step.id, state, probed: false };
    }
    if (probe) return { id: step.id, state: 'done', probed: true };
    const state: ResumeState = recorded === 'done' ? 'changed' : recorded === 'skipped' ? 'skipped' : 'todo';
    return { id: step.id, state, probed: true };
  });
}

/** Where to continue: the first step not done (a skipped one is passed over), else the end. */
export function firstStepToDo(overview: StepOverview[]): number {
  const index = overview.findIndex((s) => s.state === 'todo' || s.state === 'changed');
  return index === -1 ? overview.length : index;
}

export function isComplete(overview: StepOverview[]): boolean {
  return overview.every((s) => s.state === 'done');
}

/**
 * The record after a run's statuses: done steps (by the wizard, or found in place) and skipped
 * ones are written; a step that failed this time loses its old "done"; steps this run did not
 * reach keep what an earlier run recorded. Unchanged records keep their time.
 */
export function recordStatuses(progress: Progress, statuses: Record<StepId, StepStatus>, now: string): Progress {
  let next = progress;
  for (const [id, status] of Object.entries(statuses) as [StepId, StepStatus][]) {
    const old = next.steps[id];
    const wanted: StepRecord | undefined =
      status === 'done'
        ? { state: 'done', by: 'wizard', at: now }
        : status === 'already-done'
          ? { state: 'done', by: old?.state === 'done' ? old.by : 'found', at: now }
          : status === 'skipped'
            ? { state: 'skipped', by: 'wizard', at: now }
            : undefined;
    if (status === 'failed' && old) {
      const { [id]: _dropped, ...rest } = next.steps;
      next = { ...next, steps: rest, updatedAt: now };
    } else if (wanted && (old?.state !== wanted.state || old.by !== wanted.by)) {
      next = recordStep(next, id, wanted);
    }
  }
  return next;
}

/** The record after a run's state: its steps' statuses and the quiz answers given so far. */
export function recordRun(
  progress: Progress,
  state: Pick<WizardState, 'statuses' | 'quizAnswers'>,
  now: string,
): Progress {
  return recordQuizAnswers(recordStatuses(progress, state.statuses, now), state.quizAnswers, now);
}
