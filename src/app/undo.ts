// `undo`: take back what the wizard did for this app.
import { withPrivilege } from '../engine/commands.js';
import { describeEntry, planUndo, type JournalEntry } from '../engine/journal.js';
import { LABELS } from '../ui/labels.js';
import { lineSplitter } from '../ui/plain.js';
import { prepare } from './answers.js';
import { EXIT, type Flags, pickLang } from './common.js';
import { obtainSudo, orphanStopped, takeMachineLock } from './privilege.js';
import type { Surroundings } from './surroundings.js';

/**
 * `undo`: take back what the wizard created or changed for this app (files restored from their
 * backups or removed, links, the directories it made, uWSGI stopped), newest first, and nothing
 * else. Packages stay installed.
 */
export async function runUndo(s: Surroundings, flags: Flags): Promise<number> {
  // Taken before the record is read: a wizard run for another app could otherwise shelve it
  // between the reading and the writing back, and the person would confirm only to hear "busy".
  const { machine } = s;
  const lock = machine.acquireRunLock(orphanStopped(s, pickLang(flags.lang, s.locale)));
  s.onExit(lock.release);
  const { ctx, lang, record, recordPath } = await prepare(s, flags, false, 'inspect');
  const l = LABELS[lang];
  const entries = (record?.journal ?? []) as JournalEntry[];
  if (entries.length === 0) {
    s.stdout.write(`${l.undoNothing({ app: ctx.answers.appName })}\n`);
    return EXIT.ok;
  }
  const touchesNginx = entries.some((entry) => entry.kind !== 'started' && entry.path.startsWith('/etc/nginx/'));
  const reloadNginx = withPrivilege(ctx, 'root', ctx.platform.nginxReload);
  const commands = [...planUndo(ctx, entries).map((action) => action.command), ...(touchesNginx ? [reloadNginx] : [])];
  s.stdout.write(
    `${l.undoTitle}\n${[...entries]
      .reverse()
      .map((entry) => `  - ${describeEntry(entry)}`)
      .join('\n')}\n\n${l.undoCommands}\n${commands.map((c) => `  $ ${c}`).join('\n')}\n\n`,
  );
  if (!flags.yes) {
    if (!s.stdinIsTTY) {
      s.stderr.write(`${l.undoNeedsYes}\n`);
      return EXIT.badInput;
    }
    // Declining is an answer, not an interruption: nothing to undo was asked for, and nothing failed.
    if (!(await s.prompts.confirm({ message: l.undoConfirm, default: false }))) {
      s.stdout.write(`${l.undoDeclined}\n`);
      return EXIT.ok;
    }
  }
  if (!ctx.privilege.isRoot) await obtainSudo(s, lang);
  if (!ctx.privilege.isRoot) await takeMachineLock(s, lang);

  // One entry at a time, so that what could not be taken back stays in the record.
  let remaining = [...entries];
  let failures = 0;
  for (const entry of [...entries].reverse()) {
    const [undo] = planUndo(ctx, [entry]);
    const outcome = await runVisibly(s, undo!.command);
    if (outcome === 0) remaining = remaining.filter((e) => e !== entry);
    else {
      failures += 1;
      s.stdout.write(`  ✗ ${l.undoKept} ${describeEntry(entry)}\n`);
    }
  }
  if (touchesNginx) {
    // A reload returns as soon as nginx has been told; its old workers go on serving the removed
    // site until they finish. Undo is over only when they have, so that the page is really gone
    // when it says so (at most 10 s: a worker held by a slow client is left to finish on its own).
    const oldWorkers = await machine.processesNamed('nginx: worker process');
    if ((await runVisibly(s, reloadNginx)) === 0) await machine.processesEnded(oldWorkers, 10_000);
    else failures += 1;
  }
  const updatedAt = s.now().toISOString();
  await machine.store.write({ ...record!, steps: {}, journal: remaining, updatedAt }, recordPath);
  s.stdout.write(`\n${failures === 0 ? l.undoDone : l.undoPartly}\n`);
  return failures === 0 ? EXIT.ok : EXIT.stepFailed;
}

/** Run one command with its output shown as plain lines; resolves with its exit code. */
async function runVisibly(s: Surroundings, commandLine: string): Promise<number | null> {
  s.stdout.write(`$ ${commandLine}\n`);
  const output = lineSplitter();
  const outcome = await s.machine.system.start(
    { kind: 'command', id: 'undo', command: commandLine, explain: { en: '', ja: '' }, timeoutSec: 120 },
    (text) => {
      for (const line of output.push(text)) s.stdout.write(`  | ${line}\n`);
    },
  ).done;
  const rest = output.flush();
  if (rest !== undefined) s.stdout.write(`  | ${rest}\n`);
  return outcome.exitCode;
}
