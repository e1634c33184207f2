// `deploy`: a person's own project, already served by the wizard, brought up to date after they
// changed it (issue 17). The same session, executor, journal and checks as the wizard's steps,
// over the two steps of steps/deploy.ts; what they leave is recorded for `undo` like the rest.
import { deployCurriculum, deployRollBackCurriculum } from '../../steps/index.js';
import { serviceManagement } from '../../steps/service.js';
import { type JournalEntry, journalOf } from '../engine/journal.js';
import { ownAppPaths } from '../engine/own-app/paths.js';
import { buildPlan, formatPlan } from '../engine/plan.js';
import { emptyProgress } from '../engine/progress.js';
import { WizardSession } from '../engine/session.js';
import { LABELS } from '../ui/labels.js';
import { rollbackLines } from '../ui/plain.js';
import { prepare, recordOf } from './answers.js';
import { EXIT, type Flags, pickLang } from './common.js';
import { exitCodeOf, presentRun, printSummary, type RunEnd, summaryLines } from './present.js';
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
  // The journal as the latest session left it: the roll-back's session goes on from there.
  let journal = journalOf(plan, now?.journal ?? []);
  const run = async (planned: typeof plan, unattended: boolean): Promise<{ session: WizardSession; end: RunEnd }> => {
    const session = new WizardSession(planned, system, {
      auto: unattended,
      transcript,
      journal,
      onJournal: (entries: JournalEntry[]) => {
        journal = entries;
        recorder.journal(entries);
      },
      undoContext: ctx,
    });
    session.subscribe(recorder.listener);
    recorder.listener(session.getState());
    const end = await presentRun(s, session, system, lang, unattended);
    recorder.listener(end.final);
    return { session, end };
  };
  const { session, end } = await run(plan, auto);
  // The new code took the running one's place and does not serve: the site is not left so, whoever is watching.
  const rollBack = switchedButNotServing(end)
    ? (await run(buildPlan(deployRollBackCurriculum, ctx), true)).end
    : undefined;
  const notTakenBack = session.notRolledBack();
  const summary = summaryLines(end, lang, {
    closing: [
      ...rollbackLines(session.rolledBack(), notTakenBack, lang),
      ...(end.final.phase.kind === 'finished' ? [LABELS[lang].deploy.done({ app: appName })] : []),
      ...(rollBack === undefined
        ? []
        : [
            rollBack.final.phase.kind === 'finished'
              ? LABELS[lang].deploy.rolledBack({ app: appName, kept: ownAppPaths(ctx, ctx.ownApp).codeNew })
              : LABELS[lang].deploy.rollBackFailed({ app: appName }),
          ]),
      LABELS[lang].cli.log({ path: transcript.path }),
    ],
    manage: serviceManagement(ctx),
  });
  transcript.write(`${summary.join('\n')}\n`);
  await Promise.all([recorder.flushed(), transcript.close()]);
  printSummary(s, end, summary);
  return exitCodeOf(end.final, notTakenBack);
}

/**
 * The new code took the running one's place (deploy-switch ran) and the run ended at deploy-reload's failure (uWSGI
 * did not come back, or the page does not answer): unattended, or the person quit there rather than retry or skip.
 * A failure before the switch leaves the previous code serving: nothing to put back.
 */
export function switchedButNotServing({ final, beforeEnd }: RunEnd): boolean {
  if (final.phase.kind !== 'quit') return false;
  if (beforeEnd.phase.kind !== 'check-failed' && beforeEnd.phase.kind !== 'action-failed') return false;
  const step = beforeEnd.plan.steps[beforeEnd.stepIndex];
  if (step?.id !== 'deploy-reload') return false;
  // completedActions counts the step's pitfall fixes first.
  const switchAt = beforeEnd.fixes.length + step.actions.findIndex((action) => action.id === 'deploy-switch');
  return beforeEnd.completedActions.some((done) => done.action === switchAt && !done.skipped);
}
