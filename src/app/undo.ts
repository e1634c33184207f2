// `undo`: take back what the wizard did for this app.
import { withPrivilege } from '../engine/commands.js';
import { createdEntry, entryPath, type JournalEntry, journalOf, planUndo, takeBack } from '../engine/journal.js';
import type { Plan } from '../engine/types.js';
import { stopCommand, uwsgiRunningByHand } from '../engine/take-over.js';
import { LABELS } from '../ui/labels.js';
import { uwsgiInstanceText } from '../ui/probe-text.js';
import { lineSplitter } from '../ui/plain.js';
import { prepare, recordOf, reportIgnoredProgress } from './answers.js';
import { EXIT, type Flags } from './common.js';
import { obtainSudo, orphanStopped, takeMachineLock } from './privilege.js';
import type { Surroundings } from './surroundings.js';
import { entryWords } from '../ui/entry-text.js';
import { runVisibly } from './run-visibly.js';

/** A unit's drop-in (/etc/systemd/system/NAME.service.d/FILE.conf): read by systemd only when told. */
const SYSTEMD_DROP_IN = /^\/etc\/systemd\/system\/[^/]+\.d\/[^/]+\.conf$/;

/**
 * `undo`: take back what the wizard created or changed for this app (files restored from their
 * backups or removed, links, the directories it made, uWSGI stopped), newest first, and nothing
 * else. Packages stay installed.
 */
export async function runUndo(s: Surroundings, flags: Flags): Promise<number> {
  const { machine } = s;
  // Read and shown without the run lock: only what changes the machine waits for another wizard.
  const { ctx, plan, lang, reading, record } = await prepare(s, flags, false, 'inspect');
  const l = LABELS[lang];
  // An ignored record (damaged, or a later wizard's) lists nothing: what the plan of its app would
  // have made is looked for on the machine instead, and offered the same way, shown and confirmed.
  const fromMachine = record === undefined && reading.kind === 'ignored';
  if (fromMachine) reportIgnoredProgress(s, reading, lang);
  const entries = fromMachine ? await foundOnMachine(s, plan) : journalOf(plan, record?.journal ?? []);
  if (fromMachine && entries.length > 0) s.stdout.write(`${l.undoFromMachine({ app: ctx.answers.appName })}\n`);
  // A uWSGI serving the app that the wizard did not start (by hand, following the guide): shown and
  // stopped too, first, so that nothing of the app is left serving.
  const byHand = await uwsgiRunningByHand(plan, machine.system);
  const stopByHand = byHand.found.length > 0 ? [stopCommand(byHand.check, byHand.found).command] : [];
  if (entries.length === 0 && stopByHand.length === 0) {
    s.stdout.write(`${l.undoNothing({ app: ctx.answers.appName })}\n`);
    return EXIT.ok;
  }
  const touchesNginx = entries.some((entry) => entryPath(entry)?.startsWith('/etc/nginx/'));
  const reloadNginx = withPrivilege(ctx, 'root', ctx.platform.nginxReload);
  // A drop-in removed (certbot.service's CA, issue 18) counts once systemd reads its units again.
  const touchesDropIn = entries.some((entry) => SYSTEMD_DROP_IN.test(entryPath(entry) ?? ''));
  const reloadSystemd = withPrivilege(ctx, 'root', 'systemctl daemon-reload');
  const commands = [
    ...stopByHand,
    ...planUndo(ctx, entries).map((action) => action.command),
    ...(touchesDropIn ? [reloadSystemd] : []),
    ...(touchesNginx ? [reloadNginx] : []),
  ];
  const found = byHand.found.map((instance) => `  - ${uwsgiInstanceText(instance, lang)}`);
  s.stdout.write(
    `${found.length > 0 ? `${l.undoByHand}\n${found.join('\n')}\n\n` : ''}${l.undoTitle}\n${[...entries]
      .reverse()
      .map((entry) => `  - ${entryWords(entry, lang)}`)
      .join('\n')}\n\n${l.undoCommands}\n${commands.map((c) => `  $ ${c}`).join('\n')}\n\n`,
  );
  let toTakeBack = entries;
  if (!flags.yes) {
    if (!s.stdinIsTTY) {
      s.stderr.write(`${l.undoNeedsYes}\n`);
      return EXIT.badInput;
    }
    // Declining is an answer, not an interruption: nothing to undo was asked for, and nothing failed.
    if (!(await s.prompts.confirm({ message: l.undoConfirm, default: false, lang }))) {
      s.stdout.write(`${l.undoDeclined}\n`);
      return EXIT.ok;
    }
    // A certificate is asked about on its own: got again, it counts against the authority's limits.
    const names = entries.flatMap((entry) => (entry.kind === 'certified' ? [entry.name] : []));
    if (
      names.length > 0 &&
      !(await s.prompts.confirm({ message: l.undoCertificate({ names: names.join(' ') }), default: false, lang }))
    ) {
      toTakeBack = entries.filter((entry) => entry.kind !== 'certified');
      s.stdout.write(`${l.certificateKept}\n`);
    }
  }
  // Root only when an undo command asks for it: a person's own files are taken back as that person.
  const needsRoot = !ctx.privilege.isRoot && commands.some(runsSudo);
  if (needsRoot) await obtainSudo(s, lang);
  // Confirmed: now the locks, and the record read again under them. Another wizard may have run
  // meanwhile; what it changed was not shown, so it is not taken back unseen.
  const lock = machine.acquireRunLock(orphanStopped(s, lang));
  s.onExit(lock.release);
  if (needsRoot) await takeMachineLock(s, lang);
  const { record: now, recordPath } = await recordOf(s, ctx.answers);
  if (fromMachine ? now !== undefined : JSON.stringify(now?.journal ?? []) !== JSON.stringify(record?.journal ?? [])) {
    s.stderr.write(`${l.undoRecordChanged}\n`);
    return EXIT.busy;
  }

  // One entry at a time, so that what could not be taken back stays in the record.
  const transcript = machine.openTranscript();
  transcript.write(`\n== undo ${ctx.answers.appName}: taking back what the wizard created or changed\n`);
  let stopFailures = 0;
  for (const stop of stopByHand) if ((await runVisibly(s, stop, transcript)) !== 0) stopFailures += 1;
  const output = lineSplitter();
  const { takenBack, kept } = await takeBack(ctx, toTakeBack, machine.system, {
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
  let failures = kept.length + stopFailures;
  if (touchesDropIn && (await runVisibly(s, reloadSystemd, transcript)) !== 0) failures += 1;
  if (touchesNginx) {
    // A reload returns as soon as nginx has been told; its old workers go on serving the removed
    // site until they finish. Undo is over only when they have, so that the page is really gone
    // when it says so (at most 10 s: a worker held by a slow client is left to finish on its own).
    const oldWorkers = await machine.processesNamed('nginx: worker process');
    if ((await runVisibly(s, reloadNginx, transcript)) === 0) await machine.processesEnded(oldWorkers, 10_000);
    else failures += 1;
  }
  // The ignored record is left as it is: it may be a later wizard's, and only it can read it whole.
  // Only a uWSGI started by hand may have been stopped: then there may be no record at all.
  if (!fromMachine && now) {
    const updatedAt = s.now().toISOString();
    await machine.store.write({ ...now, steps: {}, journal: remaining, updatedAt }, recordPath);
  }
  await transcript.close();
  s.stdout.write(`\n${failures === 0 ? l.undoDone : l.undoPartly}\n${l.cli.log({ path: transcript.path })}\n`);
  return failures === 0 ? EXIT.ok : EXIT.stepFailed;
}

/**
 * What the plan for this app writes or declares it makes (files, directories, links) and finds on
 * the machine, as journal entries in the plan's order; a step's services only when some of its
 * files are there. Files are removed, not restored: without the record, no backup is known.
 */
async function foundOnMachine(s: Surroundings, plan: Plan): Promise<JournalEntry[]> {
  const exists = async (path: string) => (await s.machine.system.probe({ kind: 'file', path })).ok;
  const found: JournalEntry[] = [];
  for (const step of plan.steps) {
    const ofStep: JournalEntry[] = [];
    const services: JournalEntry[] = [];
    for (const action of step.actions) {
      if (action.kind === 'file') {
        if (await exists(action.path))
          ofStep.push({ kind: 'file', step: step.id, action: action.id, path: action.path, owner: action.owner });
        continue;
      }
      for (const effect of action.effects ?? []) {
        if (effect.kind === 'starts')
          services.push({ kind: 'started', step: step.id, action: action.id, what: effect.what });
        // A rule is not the wizard's for sure without the record: the person may have added it.
        else if ((effect.kind === 'creates' || effect.kind === 'links') && (await exists(effect.path)))
          ofStep.push(createdEntry(step.id, action.id, effect));
      }
    }
    found.push(...ofStep, ...(ofStep.length > 0 ? services : []));
  }
  return found;
}

/** Whether a command line runs something through sudo (in any of its `&&`, `;` or `|` parts). */
function runsSudo(commandLine: string): boolean {
  return /(^|[;&|])\s*sudo\s/.test(commandLine);
}
