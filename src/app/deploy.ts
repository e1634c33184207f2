// `deploy`: a person's own project, already served by the wizard, brought up to date after they
// changed it (issue 17). The same session, executor, journal and checks as the wizard's steps,
// over the two steps of steps/deploy.ts; what they leave is recorded for `undo` like the rest.
import { deployCurriculum } from '../../steps/index.js';
import { serviceManagement } from '../../steps/service.js';
import { journalOf } from '../engine/journal.js';
import { buildPlan, formatPlan } from '../engine/plan.js';
import { emptyProgress } from '../engine/progress.js';
import { WizardSession } from '../engine/session.js';
import { LABELS } from '../ui/labels.js';
import { rollbackLines } from '../ui/plain.js';
import { prepare, recordOf } from './answers.js';
import { EXIT, type Flags, pickLang } from './common.js';
import { exitCodeOf, presentRun, printSummary, summaryLines } from './present.js';
import { obtainSudo, orphanStopped, takeMachineLock } from './privilege.js';
import type { Surroundings } from './surroundings.js';
import { UserError } from './user-error.js';
import { progressRecorder } from './wizard.js';

/** The wizard's steps a project must have gone through before it can be deployed again: it is served. */
const SERVED_BY = ['app-code', 'service', 'nginx'] as const;

export async function runDeploy(s: Surroundings, flags: Flags): Promise<number> {
  const auto = Boolean(flags.yes);
  if (!flags.dryRun && !auto && !(s.stdinIsTTY && s.stdout.isTTY)) throw UserError.of((l) => l.cli.noTerminal());
  if (!flags.dryRun && !s.privilege.isRoot) await obtainSudo(s, pickLang(flags.lang, s.locale));
  // The app as the record names it (its source included), unless the flags say otherwise; nothing is asked.
  const { ctx, lang, record } = await prepare(s, flags, false, flags.dryRun ? 'plan' : 'run');
  const { appName } = ctx.answers;
  if (!ctx.ownApp) throw UserError.of((l) => l.deploy.notOwnApp({ app: appName }));
  const plan = buildPlan(deployCurriculum, ctx);
  if (flags.dryRun) {
    s.stdout.write(formatPlan(plan, lang));
    return EXIT.ok;
  }
  const notServed = SERVED_BY.filter((id) => record?.steps[id]?.state !== 'done');
  if (notServed.length > 0)
    throw UserError.of((l) => l.deploy.notServed({ app: appName, steps: notServed.join(', ') }));

  const lock = s.machine.acquireRunLock(orphanStopped(s, lang));
  s.onExit(lock.release);
  if (!ctx.privilege.isRoot) await takeMachineLock(s, lang);
  // Read again under the lock: the journal deploy adds to must be the latest.
  const { record: now } = await recordOf(s, ctx.answers);
  const system = s.machine.watchedSystem({
    started: (group) => lock.noteCommand(group),
    ended: () => lock.noteCommand(undefined),
  });
  const transcript = s.machine.openTranscript();
  const recorder = progressRecorder(s, lang, now ?? emptyProgress(ctx.answers, s.now().toISOString()));
  const session = new WizardSession(plan, system, {
    auto,
    transcript,
    journal: journalOf(plan, now?.journal ?? []),
    onJournal: recorder.journal,
    undoContext: ctx,
  });
  session.subscribe(recorder.listener);
  recorder.listener(session.getState());
  const end = await presentRun(s, session, system, lang, auto);
  recorder.listener(end.final);
  const notTakenBack = session.notRolledBack();
  const summary = summaryLines(end, lang, {
    closing: [
      ...rollbackLines(session.rolledBack(), notTakenBack, lang),
      ...(end.final.phase.kind === 'finished' ? [LABELS[lang].deploy.done({ app: appName })] : []),
      LABELS[lang].cli.log({ path: transcript.path }),
    ],
    manage: serviceManagement(ctx),
  });
  transcript.write(`${summary.join('\n')}\n`);
  await Promise.all([recorder.flushed(), transcript.close()]);
  printSummary(s, end, summary);
  return exitCodeOf(end.final, notTakenBack);
}
