// What the wizard created or changed on the machine, recorded as it happens, so that it can be
// taken away again, exactly and nothing else: the rollback of a transactional step, and `undo`.
// The journal keeps data (what was made, where, by which step and action), never a shell line:
// the command that takes an entry back is derived when it runs (undoCommand), for the machine and
// the account it runs on then, and one executor (takeBack) runs those commands for both.
import { shellArg, shellLine, withPrivilege } from './commands.js';
import type { CauseId } from './doctor/model.js';
import type { RunOutcome, System, Transcript } from './ports.js';
import type {
  Action,
  CommandAction,
  Effect,
  Made,
  Plan,
  PlanContext,
  Started,
  StepId,
  Text,
  UndoAccount,
} from './types.js';

/** Who made an entry: the step, and its action (none for one carried over from the previous version). */
interface Origin {
  step: StepId;
  action?: string;
  doctor?: never;
}

/** An entry the doctor's fix of a cause made (`doctor --fix`): no step of the plan made it. */
interface DoctorOrigin {
  doctor: CauseId;
  step?: never;
  action?: never;
}

/** A path the wizard created (it did not exist before), as `runAs`; `made` says how it goes away. */
export interface CreatedEntry extends Origin {
  kind: 'created';
  path: string;
  made: Made;
  runAs: UndoAccount;
}

/** A link the wizard pointed elsewhere; it is pointed back. */
export interface RelinkedEntry extends Origin {
  kind: 'relinked';
  path: string;
  previousTarget: string;
  runAs: UndoAccount;
}

/** A process or service the wizard started; it is stopped. */
export interface StartedEntry extends Origin {
  kind: 'started';
  what: Started;
}

/** A ufw rule the wizard added (it was not there before); it is deleted. */
export interface OpenedEntry extends Origin {
  kind: 'opened';
  rule: string;
}

/** A certificate certbot obtained (by its --cert-name); undo offers to delete it, never a rollback. */
export interface CertifiedEntry extends Origin {
  kind: 'certified';
  name: string;
}

/**
 * A file the wizard wrote, or the doctor's fix: removed if it created it, else restored from the
 * backup it kept.
 */
export type FileEntry = (Origin | DoctorOrigin) & {
  kind: 'file';
  path: string;
  /** The account that owns the file: root's are taken back as root, the others as the service user. */
  owner: string;
  backup?: string;
};

/**
 * A change recorded by the previous version, which stored the command that takes it back as a
 * shell line, in a form this version does not recognise as one of its own: that line is run as stored.
 */
export interface StoredUndoEntry extends Origin {
  kind: 'stored-undo';
  change: 'created' | 'started';
  /** The path created, or the words for what was started. */
  subject: string;
  undo: string;
}

export type JournalEntry =
  | CreatedEntry
  | RelinkedEntry
  | StartedEntry
  | OpenedEntry
  | CertifiedEntry
  | FileEntry
  | StoredUndoEntry;

/**
 * An entry as a record holds it (progress.json): this version's, or the previous version's, whose
 * created and started entries stored their undo as a shell line and whose relinked ones had no account.
 */
export type RecordedEntry =
  | WithAnyStep<
      CreatedEntry | StartedEntry | OpenedEntry | CertifiedEntry | Extract<FileEntry, Origin> | StoredUndoEntry
    >
  | Extract<FileEntry, DoctorOrigin>
  | (WithAnyStep<Omit<RelinkedEntry, 'runAs'>> & { runAs?: UndoAccount })
  | OldEntry;

type WithAnyStep<T> = T extends unknown ? Omit<T, 'step'> & { step: string } : never;

type OldEntry =
  | { kind: 'created'; step: string; path: string; undo: string }
  | { kind: 'started'; step: string; what: string; undo: string };

const UNDO_EXPLAIN: Text = {
  en: 'Take back what the wizard created or changed.',
  ja: 'ウィザードが作成・変更したものを元に戻します。',
};

/**
 * The command that takes one entry back, with the privileges this machine needs: the one place
 * where an entry becomes a shell line.
 */
export function undoCommand(ctx: PlanContext, entry: JournalEntry): string {
  if (entry.kind === 'stored-undo') return entry.undo;
  const { runAs, line } = undoLine(entry);
  return withPrivilege(ctx, runAs, line);
}

/** The line that takes an entry back, before sudo / runuser, and the account it is for. */
function undoLine(entry: Exclude<JournalEntry, StoredUndoEntry>): { runAs: UndoAccount; line: string } {
  switch (entry.kind) {
    case 'created':
      return { runAs: entry.runAs, line: removal(entry.made, entry.path) };
    case 'relinked':
      return { runAs: entry.runAs, line: shellLine('ln', '-sfn', entry.previousTarget, entry.path) };
    case 'file':
      return {
        runAs: entry.owner === 'root' ? 'root' : 'service-user',
        line: entry.backup ? shellLine('mv', '-f', entry.backup, entry.path) : shellLine('rm', '-f', entry.path),
      };
    case 'started':
      return stopLine(entry.what);
    case 'opened':
      return { runAs: 'root', line: shellLine('ufw', 'delete', 'allow', entry.rule) };
    case 'certified':
      return { runAs: 'root', line: shellLine('certbot', 'delete', '--non-interactive', '--cert-name', entry.name) };
  }
}

function removal(made: Made, path: string): string {
  switch (made) {
    case 'file':
      return shellLine('rm', '-f', path);
    // rmdir, not rm -r: what the person put there themselves is never taken.
    case 'directory':
      return shellLine('rmdir', path);
    case 'tree':
      return shellLine('rm', '-rf', path);
  }
}

function stopLine(what: Started): { runAs: UndoAccount; line: string } {
  switch (what.kind) {
    case 'systemd-unit':
      return { runAs: 'root', line: shellLine('systemctl', 'disable', '--now', what.name) };
    case 'upstart-job':
      return { runAs: 'root', line: shellLine('stop', what.name) };
    case 'uwsgi-daemon': {
      // Stopped, then waited for until its master has exited: what comes next (removing its log
      // and directories) must not race its last writes. vacuum removes the pidfile on exit, so
      // the pid is read first.
      const pidFile = shellArg(what.pidFile);
      const stop = shellLine(what.uwsgi, '--stop', what.pidFile);
      const script = `pid=$(cat ${pidFile}) && ${stop} && while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done`;
      return { runAs: 'service-user', line: shellLine('sh', '-c', script) };
    }
  }
}

/** Where a copy of a file is kept before it is edited: beside it, as the wizard keeps a file it replaces. */
export function backupName(path: string, now: number): string {
  return `${path}.bak-${new Date(now).toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`;
}

/** The command that keeps that copy (`cp -p`, as root for a root's file), and the one that removes it unneeded. */
export function backupCommand(
  ctx: PlanContext,
  path: string,
  backup: string,
): { action: CommandAction; removal: CommandAction; backup: string } {
  const explain: Text = {
    en: 'Keep a copy of the file before it is edited.',
    ja: '編集される前のファイルの写しを残します。',
  };
  const of = (id: string, line: string): CommandAction => ({
    kind: 'command',
    id,
    command: withPrivilege(ctx, 'root', line),
    explain,
    timeoutSec: 30,
  });
  return {
    action: of('keep-copy', shellLine('cp', '-p', path, backup)),
    removal: of('drop-copy', shellLine('rm', '-f', backup)),
    backup,
  };
}

/** Newest first: a process is stopped before its files go, a link before the file it points to. */
export function planUndo(ctx: PlanContext, entries: readonly JournalEntry[]): CommandAction[] {
  return [...entries].reverse().map((entry, i) => ({
    kind: 'command',
    id: `undo-${i + 1}`,
    command: undoCommand(ctx, entry),
    explain: UNDO_EXPLAIN,
    timeoutSec: 120,
  }));
}

/** Why an entry was not taken back: its command failed, or it was not tried after an earlier failure. */
export type NotTakenBack = {
  entry: JournalEntry;
} & (
  | {
      why: 'failed';
      command: string;
      exitCode: number | null;
      signal: string | null;
      timedOut: boolean;
      /** When the command could not even be started. */
      message?: string;
    }
  | { why: 'not-tried' }
);

export interface TakeBackResult {
  /** Taken back, oldest first: out of the journal. */
  takenBack: JournalEntry[];
  /** Not taken back, oldest first: still on the machine, and to stay in the journal. */
  kept: NotTakenBack[];
}

/** What the person sees of a taking back, as it goes. */
export interface TakeBackView {
  command(line: string): void;
  output(text: string): void;
  /** One entry's command has ended; `ok` when it was taken back. */
  ended?(entry: JournalEntry, ok: boolean): void;
}

export interface TakeBackOptions {
  /**
   * After a command fails: `stop` (a rollback: what is older may be what the failed one depends
   * on, the site a link that stayed points to) or `go-on` with the rest (undo: the person asked
   * for all of it, saw the list, and is told what stayed).
   */
  afterFailure: 'stop' | 'go-on';
  /** Every command, its output and its end, as the run's other commands are recorded. */
  transcript?: Transcript;
  view: TakeBackView;
}

/**
 * Take entries back, newest first, one at a time, through the System port; each outcome goes to
 * the transcript. The one executor of both a transactional step's rollback and `undo`.
 */
export async function takeBack(
  ctx: PlanContext,
  entries: readonly JournalEntry[],
  system: System,
  options: TakeBackOptions,
): Promise<TakeBackResult> {
  const { transcript, view } = options;
  const undos = planUndo(ctx, entries);
  const newestFirst = [...entries].reverse();
  const takenBack: JournalEntry[] = [];
  const kept: NotTakenBack[] = [];
  for (const [i, entry] of newestFirst.entries()) {
    if (kept.length > 0 && options.afterFailure === 'stop') {
      kept.unshift({ entry, why: 'not-tried' });
      continue;
    }
    const undo = undos[i]!;
    view.command(undo.command);
    transcript?.write(`$ ${undo.command}\n`);
    const outcome = await run(system, undo, (text) => {
      transcript?.write(text);
      view.output(text);
    });
    transcript?.write(`${exitLine(outcome)}\n`);
    const ok = outcome.exitCode === 0 && !outcome.timedOut;
    if (ok) takenBack.unshift(entry);
    else {
      const { exitCode, signal, timedOut, message } = outcome;
      kept.unshift({ entry, why: 'failed', command: undo.command, exitCode, signal, timedOut, message });
    }
    view.ended?.(entry, ok);
  }
  return { takenBack, kept };
}

async function run(
  system: System,
  action: CommandAction,
  onOutput: (text: string) => void,
): Promise<RunOutcome & { message?: string }> {
  try {
    return await system.start(action, onOutput).done;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    onOutput(`${message}\n`);
    return { exitCode: null, signal: null, timedOut: false, durationMs: 0, message };
  }
}

/** How the transcript ends every command it records: `-- exit 0 after 1.2s`. */
export function exitLine(outcome: RunOutcome): string {
  const limit = outcome.timedOut ? ' (time limit reached)' : '';
  return `-- exit ${outcome.exitCode ?? outcome.signal}${limit} after ${(outcome.durationMs / 1000).toFixed(1)}s`;
}

/**
 * The journal of a record, as this version keeps it. An entry written by the previous version
 * (its undo stored as a shell line) becomes data when it is recognisably one of the plan's own
 * effects, the same path or service in the same step with the same line (the account prefix
 * aside, which is derived again for whoever runs undo now); otherwise its stored line is kept.
 */
export function journalOf(plan: Plan, recorded: readonly RecordedEntry[]): JournalEntry[] {
  return recorded.map((entry) => {
    if (isOld(entry)) return fromOldEntry(plan, entry);
    if (entry.doctor !== undefined) return entry;
    const step = entry.step as StepId;
    // The previous version's file and relinked entries named no action, and relinked ones no account: root's.
    const action = entry.action ?? writerOf(plan, step, 'path' in entry ? entry.path : undefined);
    const origin = action === undefined ? { step } : { step, action };
    if (entry.kind === 'relinked') return { ...entry, ...origin, runAs: entry.runAs ?? 'root' };
    return { ...entry, ...origin } as JournalEntry;
  });
}

/** The action of a step that writes a file at `path`, or declares it makes or links it. */
function writerOf(plan: Plan, step: StepId, path: string | undefined): string | undefined {
  const actions = plan.steps.find((s) => s.id === step)?.actions ?? [];
  const writes = (action: Action) =>
    action.kind === 'file'
      ? action.path === path
      : (action.effects ?? []).some((effect) => 'path' in effect && effect.path === path);
  return path === undefined ? undefined : actions.find(writes)?.id;
}

function isOld(entry: RecordedEntry): entry is OldEntry {
  return (entry.kind === 'created' || entry.kind === 'started') && 'undo' in entry;
}

function fromOldEntry(plan: Plan, old: OldEntry): JournalEntry {
  const step = old.step as StepId;
  const core = withoutPrivilege(old.undo, plan.answers.user);
  const declared = plan.steps
    .filter((s) => s.id === step)
    .flatMap((s) => s.actions)
    .flatMap((action) =>
      action.kind === 'command' ? (action.effects ?? []).map((effect) => ({ action, effect })) : [],
    );
  for (const { action, effect } of declared) {
    const candidate: CreatedEntry | StartedEntry | undefined =
      old.kind === 'started'
        ? effect.kind === 'starts'
          ? { kind: 'started', step, action: action.id, what: effect.what }
          : undefined
        : (effect.kind === 'creates' || effect.kind === 'links') && effect.path === old.path
          ? createdEntry(step, action.id, effect)
          : undefined;
    if (candidate && undoLine(candidate).line === core) return candidate;
  }
  const subject = old.kind === 'created' ? old.path : old.what;
  return { kind: 'stored-undo', step, change: old.kind, subject, undo: old.undo };
}

/** The line as typed in the account's own shell: the previous version's sudo and runuser prefixes taken off. */
function withoutPrivilege(line: string, serviceUser: string): string {
  const rootless = line.startsWith('sudo ') ? line.slice('sudo '.length) : line;
  const runuser = `runuser -u ${shellArg(serviceUser)} -- `;
  return rootless.startsWith(runuser) ? rootless.slice(runuser.length) : rootless;
}

/** An effect that makes something at a path (a file, a directory, a link). */
export type PathEffect = Extract<Effect, { kind: 'creates' | 'links' }>;

/** The entry for a path a command declared it makes, once it is found made. */
export function createdEntry(step: StepId, action: string, effect: PathEffect): CreatedEntry {
  const made = effect.kind === 'links' ? 'file' : effect.made;
  return { kind: 'created', step, action, path: effect.path, made, runAs: effect.runAs };
}

/** A path an entry is about, if it is about one. */
export function entryPath(entry: JournalEntry): string | undefined {
  switch (entry.kind) {
    case 'created':
    case 'relinked':
    case 'file':
      return entry.path;
    case 'started':
    case 'opened':
    case 'certified':
      return undefined;
    case 'stored-undo':
      return entry.change === 'created' ? entry.subject : undefined;
  }
}

function describeStarted(what: Started): string {
  switch (what.kind) {
    case 'systemd-unit':
      return `the systemd service ${what.name}`;
    case 'upstart-job':
      return `the Upstart job ${what.name}`;
    case 'uwsgi-daemon':
      return `uWSGI (pidfile ${what.pidFile})`;
  }
}

/** A short description of an entry, for the list shown before undoing. */
export function describeEntry(entry: JournalEntry): string {
  switch (entry.kind) {
    case 'created':
      return `created ${entry.path}`;
    case 'relinked':
      return `pointed ${entry.path} away from ${entry.previousTarget}`;
    case 'started':
      return `started ${describeStarted(entry.what)}`;
    case 'opened':
      return `allowed ${entry.rule} in the firewall (ufw)`;
    case 'certified':
      return `obtained the certificate ${entry.name} (certbot)`;
    case 'file': {
      const change = entry.backup
        ? `replaced ${entry.path} (earlier version in ${entry.backup})`
        : `wrote ${entry.path}`;
      return entry.doctor === undefined ? change : `the doctor's fix of ${entry.doctor}: ${change}`;
    }
    case 'stored-undo':
      return `${entry.change} ${entry.subject}`;
  }
}
