// What the wizard created or changed on the machine, recorded as it happens, so that it can be
// taken away again, exactly and nothing else: the rollback of a transactional step, and `undo`.
import { shellLine, withPrivilege } from './commands.js';
import type { CommandAction, PlanContext, StepId, Text } from './types.js';

export type JournalEntry =
  /** A path the wizard created (it did not exist before); `undo` removes it. */
  | { kind: 'created'; step: StepId; path: string; undo: string }
  /** A link the wizard pointed elsewhere; it is pointed back. */
  | { kind: 'relinked'; step: StepId; path: string; previousTarget: string }
  /** A process or service the wizard started; `undo` stops it. */
  | { kind: 'started'; step: StepId; what: string; undo: string }
  /** A file the wizard wrote: removed if it created it, else restored from the backup it kept. */
  | { kind: 'file'; step: StepId; path: string; owner: string; backup?: string };

const UNDO_EXPLAIN: Text = {
  en: 'Take back what the wizard created or changed.',
  ja: 'ウィザードが作成・変更したものを元に戻します。',
};

/** The command that takes one entry back, with the privileges this machine needs. */
export function undoLine(ctx: PlanContext, entry: JournalEntry): string {
  switch (entry.kind) {
    case 'created':
    case 'started':
      return entry.undo;
    case 'relinked':
      return withPrivilege(ctx, 'root', shellLine('ln', '-sfn', entry.previousTarget, entry.path));
    case 'file': {
      const runAs = entry.owner === 'root' ? 'root' : 'service-user';
      return withPrivilege(
        ctx,
        runAs,
        entry.backup ? shellLine('mv', '-f', entry.backup, entry.path) : shellLine('rm', '-f', entry.path),
      );
    }
  }
}

/** Newest first: a process is stopped before its files go, a link before the file it points to. */
export function planUndo(ctx: PlanContext, entries: JournalEntry[]): CommandAction[] {
  return [...entries].reverse().map((entry, i) => ({
    kind: 'command',
    id: `undo-${i + 1}`,
    command: undoLine(ctx, entry),
    explain: UNDO_EXPLAIN,
    timeoutSec: 120,
  }));
}

/** A short description of an entry, for the list shown before undoing. */
export function describeEntry(entry: JournalEntry): string {
  switch (entry.kind) {
    case 'created':
      return `created ${entry.path}`;
    case 'relinked':
      return `pointed ${entry.path} away from ${entry.previousTarget}`;
    case 'started':
      return `started ${entry.what}`;
    case 'file':
      return entry.backup ? `replaced ${entry.path} (earlier version in ${entry.backup})` : `wrote ${entry.path}`;
  }
}
