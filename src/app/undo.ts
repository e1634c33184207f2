// `undo`: take back what the wizard did for this app.
import { withPrivilege } from '../engine/commands.js';
import { describeEntry, planUndo, type JournalEntry } from '../engine/journal.js';
import { writeProgress } from '../exec/progress-store.js';
import { acquireRunLock } from '../exec/run-lock.js';
import { processesEnded, processesNamed, realSystem } from '../exec/system.js';
import { LABELS } from '../ui/labels.js';
import { lineSplitter } from '../ui/plain.js';
import { prepare } from './answers.js';
import { EXIT, type Flags, pickLang } from './common.js';
import { obtainSudo, orphanStopped, takeMachineLock } from './privilege.js';

/**
 * `undo`: take back what the wizard created or changed for this app (files restored from their
 * backups or removed, links, the directories it made, uWSGI stopped), newest first, and nothing
 * else. Packages stay installed.
 */
export async function runUndo(flags: Flags): Promise<number> {
  // Taken before the record is read: a wizard run for another app could otherwise shelve it
  // between the reading and the writing back, and the person would confirm only to hear "busy".
  const lock = acquireRunLock(undefined, orphanStopped(pickLang(flags.lang)));
  process.on('exit', lock.release);
  const { ctx, lang, record, recordPath } = await prepare(flags, false, 'inspect');
  const l = LABELS[lang];
  const entries = (record?.journal ?? []) as JournalEntry[];
  if (entries.length === 0) {
    process.stdout.write(`${l.undoNothing.replace('{app}', ctx.answers.appName)}\n`);
    return EXIT.ok;
  }
  const touchesNginx = entries.some((entry) => entry.kind !== 'started' && entry.path.startsWith('/etc/nginx/'));
  const reloadNginx = withPrivilege(ctx, 'root', ctx.platform.nginxReload);
  const commands = [...planUndo(ctx, entries).map((action) => action.command), ...(touchesNginx ? [reloadNginx] : [])];
  process.stdout.write(
    `${l.undoTitle}\n${[...entries]
      .reverse()
      .map((entry) => `  - ${describeEntry(entry)}`)
      .join('\n')}\n\n${l.undoCommands}\n${commands.map((c) => `  $ ${c}`).join('\n')}\n\n`,
  );
  if (!flags.yes) {
    if (!process.stdin.isTTY) {
      process.stderr.write(`${l.undoNeedsYes}\n`);
      return EXIT.badInput;
    }
    const { confirm } = await import('@inquirer/prompts');
    // Declining is an answer, not an interruption: nothing to undo was asked for, and nothing failed.
    if (!(await confirm({ message: l.undoConfirm, default: false }))) {
      process.stdout.write(`${l.undoDeclined}\n`);
      return EXIT.ok;
    }
  }
  if (!ctx.privilege.isRoot && !(await obtainSudo(lang))) return EXIT.badInput;
  if (!ctx.privilege.isRoot) await takeMachineLock(lang);

  // One entry at a time, so that what could not be taken back stays in the record.
  let remaining = [...entries];
  let failures = 0;
  for (const entry of [...entries].reverse()) {
    const [undo] = planUndo(ctx, [entry]);
    const outcome = await runVisibly(undo!.command);
    if (outcome === 0) remaining = remaining.filter((e) => e !== entry);
    else {
      failures += 1;
      process.stdout.write(`  ✗ ${l.undoKept} ${describeEntry(entry)}\n`);
    }
  }
  if (touchesNginx) {
    // A reload returns as soon as nginx has been told; its old workers go on serving the removed
    // site until they finish. Undo is over only when they have, so that the page is really gone
    // when it says so (at most 10 s: a worker held by a slow client is left to finish on its own).
    const oldWorkers = await processesNamed('nginx: worker process');
    if ((await runVisibly(reloadNginx)) === 0) await processesEnded(oldWorkers, 10_000);
    else failures += 1;
  }
  await writeProgress({ ...record!, steps: {}, journal: remaining, updatedAt: new Date().toISOString() }, recordPath);
  process.stdout.write(`\n${failures === 0 ? l.undoDone : l.undoPartly}\n`);
  return failures === 0 ? EXIT.ok : EXIT.stepFailed;
}

/** Run one command with its output shown as plain lines; resolves with its exit code. */
async function runVisibly(commandLine: string): Promise<number | null> {
  process.stdout.write(`$ ${commandLine}\n`);
  const output = lineSplitter();
  const outcome = await realSystem.start(
    { kind: 'command', id: 'undo', command: commandLine, explain: { en: '', ja: '' }, timeoutSec: 120 },
    (text) => {
      for (const line of output.push(text)) process.stdout.write(`  | ${line}\n`);
    },
  ).done;
  const rest = output.flush();
  if (rest !== undefined) process.stdout.write(`  | ${rest}\n`);
  return outcome.exitCode;
}
