// `undo`: take back what the wizard did for this app.
import { withPrivilege } from '../engine/commands.js';
import { entryPath, exitLine, journalOf, planUndo, takeBack } from '../engine/journal.js';
import type { Transcript } from '../engine/ports.js';
import { LABELS } from '../ui/labels.js';
import { lineSplitter } from '../ui/plain.js';
import { prepare } from './answers.js';
import { EXIT, type Flags, pickLang } from './common.js';
import { obtainSudo, orphanStopped, takeMachineLock } from './privilege.js';
import type { Surroundings } from './surroundings.js';
import { entryWords } from '../ui/entry-text.js';

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
  const { ctx, plan, lang, record, recordPath } = await prepare(s, flags, false, 'inspect');
  const l = LABELS[lang];
  const entries = journalOf(plan, record?.journal ?? []);
  if (entries.length === 0) {
    s.stdout.write(`${l.undoNothing({ app: ctx.answers.appName })}\n`);
    return EXIT.ok;
  }
  const touchesNginx = entries.some((entry) => entryPath(entry)?.startsWith('/etc/nginx/'));
  const reloadNginx = withPrivilege(ctx, 'root', ctx.platform.nginxReload);
  const commands = [...planUndo(ctx, entries).map((action) => action.command), ...(touchesNginx ? [reloadNginx] : [])];
  s.stdout.write(
    `${l.undoTitle}\n${[...entries]
      .reverse()
      .map((entry) => `  - ${entryWords(entry, lang)}`)
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
  const transcript = machine.openTranscript();
  transcript.write(`\n== undo ${ctx.answers.appName}: taking back what the wizard created or changed\n`);
  const output = lineSplitter();
  const { takenBack, kept } = await takeBack(ctx, entries, machine.system, {
    afterFailure: 'go-on',
    transcript,
    view: {
      command: (line) => s.stdout.write(`$ ${line}\n`),
      output: (text) => {
        for (const line of output.push(text)) s.stdout.write(`  | ${line}\n`);
      },
      ended: (entry, ok) => {
        const rest = output.flush();
        if (rest !== undefined) s.stdout.write(`  | ${rest}\n`);
        if (!ok) s.stdout.write(`  ✗ ${l.undoKept} ${entryWords(entry, lang)}\n`);
      },
    },
  });
  const remaining = entries.filter((entry) => !takenBack.includes(entry));
  let failures = kept.length;
  if (touchesNginx) {
    // A reload returns as soon as nginx has been told; its old workers go on serving the removed
    // site until they finish. Undo is over only when they have, so that the page is really gone
    // when it says so (at most 10 s: a worker held by a slow client is left to finish on its own).
    const oldWorkers = await machine.processesNamed('nginx: worker process');
    if ((await runVisibly(s, reloadNginx, transcript)) === 0) await machine.processesEnded(oldWorkers, 10_000);
    else failures += 1;
  }
  const updatedAt = s.now().toISOString();
  await machine.store.write({ ...record!, steps: {}, journal: remaining, updatedAt }, recordPath);
  await transcript.close();
  s.stdout.write(`\n${failures === 0 ? l.undoDone : l.undoPartly}\n${l.cli.log({ path: transcript.path })}\n`);
  return failures === 0 ? EXIT.ok : EXIT.stepFailed;
}

/** Run one command, its output shown as plain lines and recorded in the transcript; resolves with its exit code. */
async function runVisibly(s: Surroundings, commandLine: string, transcript: Transcript): Promise<number | null> {
  s.stdout.write(`$ ${commandLine}\n`);
  transcript.write(`$ ${commandLine}\n`);
  const output = lineSplitter();
  const outcome = await s.machine.system.start(
    { kind: 'command', id: 'undo', command: commandLine, explain: { en: '', ja: '' }, timeoutSec: 120 },
    (text) => {
      transcript.write(text);
      for (const line of output.push(text)) s.stdout.write(`  | ${line}\n`);
    },
  ).done;
  const rest = output.flush();
  if (rest !== undefined) s.stdout.write(`  | ${rest}\n`);
  transcript.write(`${exitLine(outcome)}\n`);
  return outcome.exitCode;
}
