// The wizard itself: the plan (--dry-run), or the steps run, resumed where the machine stands.
import { diagnose } from '../engine/doctor/diagnose.js';
import type { Finding } from '../engine/doctor/model.js';
import { placeOf, surveyPrivilege } from './doctor.js';
import { quizzes } from '../../steps/quizzes.js';
import { serviceManagement } from '../../steps/service.js';
import { trackActivity, type StepVisit } from '../engine/activity.js';
import { journalOf, type JournalEntry } from '../engine/journal.js';
import { formatPlan } from '../engine/plan.js';
import {
  emptyProgress,
  firstStepToDo,
  reconcile,
  recordRun,
  type Progress,
  type StepOverview,
} from '../engine/progress.js';
import { askQuizzes, quizAnswersOf } from '../engine/quiz.js';
import { WizardSession } from '../engine/session.js';
import { surveyMachine } from '../engine/survey.js';
import { allPlatforms, describePlatform } from '../engine/platforms.js';
import type { Lang, Plan, PlanContext, StepId } from '../engine/types.js';
import type { ResumePoint, StepStatus, WizardEvent, WizardState } from '../engine/wizard.js';
import { LABELS } from '../ui/labels.js';
import { rollbackLines } from '../ui/plain.js';
import { keepScrollback } from '../ui/scrollback.js';
import { givenAnswers, prepare, recordOf, reportIgnoredProgress } from './answers.js';
import { EXIT, type Flags, pickLang } from './common.js';
import { exitCodeOf, presentRun, printSummary, scoreLine, summaryLines } from './present.js';
import { obtainSudo, orphanStopped, takeMachineLock } from './privilege.js';
import { runSimulation } from './simulate.js';
import type { Surroundings } from './surroundings.js';
import { UserError } from './user-error.js';

/** What is known of the steps before the one a resumed run begins with; a done step chosen is redone. */
function resumePoint(overview: StepOverview[], startAt: number): ResumePoint {
  const statuses: Partial<Record<StepId, StepStatus>> = {};
  overview.slice(0, startAt).forEach((step) => {
    statuses[step.id] = step.state === 'done' ? 'already-done' : step.state === 'skipped' ? 'skipped' : 'todo';
  });
  return { startAt, statuses, redo: overview[startAt]?.state === 'done' };
}

async function chooseWhereToContinue(
  s: Surroundings,
  plan: Plan,
  overview: StepOverview[],
  proposed: number,
  lang: Lang,
  firstVisit: boolean,
): Promise<number | undefined> {
  const [{ render }, { createElement }, { ResumeScreen }] = await Promise.all([
    s.loadInk(),
    import('react'),
    import('../ui/Resume.js'),
  ]);
  const restore = keepScrollback(s.stdout);
  return new Promise((resolve) => {
    const screen = render(
      createElement(ResumeScreen, {
        plan,
        overview,
        proposed,
        lang,
        firstVisit,
        onChoose: (index: number | undefined) => {
          // The list has served its purpose: it must not stay above the steps with its stale keys.
          screen.clear();
          screen.unmount();
          restore();
          resolve(index);
        },
      }),
      { exitOnCtrlC: false },
    );
  });
}

/** Record each step's outcome and each change to the machine as it happens, one atomic write at a time, in order. */
export function progressRecorder(s: Surroundings, lang: Lang, start: Progress) {
  let progress = start;
  // The step being timed for the teacher's report (engine/activity.ts).
  let visit: StepVisit | undefined;
  let writing = Promise.resolve();
  const save = (next: Progress) => {
    if (next === progress) return;
    progress = next;
    writing = writing
      .then(() => s.machine.store.write(next))
      .catch(
        (error: Error) => void s.stderr.write(`${LABELS[lang].cli.progressNotSaved({ reason: error.message })}\n`),
      );
  };
  return {
    listener: (state: WizardState, event?: WizardEvent) => {
      // Output changes nothing the record keeps; pip alone sends thousands of chunks.
      if (event?.type === 'output') return;
      const now = s.now();
      const tracked = trackActivity(recordRun(progress, state, now.toISOString()), visit, state, now.getTime());
      visit = tracked.visit;
      save(tracked.progress);
    },
    journal: (entries: JournalEntry[]) => save({ ...progress, journal: entries, updatedAt: s.now().toISOString() }),
    flushed: () => writing,
    current: () => progress,
  };
}

/** --yes, and --user (or the answers file) names root, without --allow-root: refused. */
async function refuseRootUnasked(s: Surroundings, flags: Flags): Promise<void> {
  const { user } = await givenAnswers(flags, s);
  if (user === undefined || (user !== 'root' && (await s.machine.lookupAccount(user))?.uid !== 0)) return;
  throw UserError.of((l) => l.appAccount.rootNotAllowed({ user }));
}

export async function runWizard(s: Surroundings, flags: Flags): Promise<number> {
  if (flags.listPlatforms) {
    s.stdout.write(`${allPlatforms().map(describePlatform).join('\n')}\n`);
    return EXIT.ok;
  }
  const interactiveTerminal = Boolean(s.stdinIsTTY && s.stdout.isTTY);
  const auto = Boolean(flags.yes);
  if (flags.handsOn && (auto || flags.simulate)) {
    // Hands-on watches the machine for what the student did: unattended there is nobody to do it,
    // and a simulation changes nothing there is to see.
    throw UserError.of((l) => l.cli.handsOnAlone({ other: auto ? '--yes' : '--simulate' }));
  }
  if (!flags.dryRun && !auto && !interactiveTerminal) {
    throw UserError.of((l) => l.cli.noTerminal());
  }
  if (flags.simulate) return runSimulation(s, flags, auto);
  // Root unattended needs --allow-root: refused first, before the machine's state is read.
  if (auto && !flags.dryRun && !flags.allowRoot) await refuseRootUnasked(s, flags);
  // sudo before the questions: an account that cannot use it must not answer them all only to hear
  // that nothing can be done.
  if (!flags.dryRun && !s.privilege.isRoot) await obtainSudo(s, pickLang(flags.lang, s.locale));
  const interactive = interactiveTerminal && !auto && !flags.dryRun;
  // The answers are checked and the questions asked without the run lock: they change nothing, and
  // a second person on the machine (a class) may answer them while another wizard runs.
  const { ctx, plan, lang } = await prepare(s, flags, interactive, flags.dryRun ? 'plan' : 'run');
  if (flags.dryRun) {
    s.stdout.write(formatPlan(plan, lang));
    return EXIT.ok;
  }
  // --platform is for planning another machine: running that plan here is allowed, but said.
  const here = flags.platform === undefined ? ctx.platform : s.machine.detectPlatform();
  if (here.id !== ctx.platform.id)
    s.stderr.write(
      `uwsgi-nginx-guide: ${LABELS[lang].cli.otherPlatform({ planned: ctx.platform.id, here: here.id })}\n`,
    );
  // Held from before the record is moved or the machine surveyed to the end of the run: what the
  // resume screen shows and what the run records must not change under it.
  const lock = s.machine.acquireRunLock(orphanStopped(s, lang));
  s.onExit(lock.release);
  if (!ctx.privilege.isRoot) await takeMachineLock(s, lang);
  // Read again under the lock: another wizard may have written or shelved a record meanwhile.
  const { reading, record } = await recordOf(s, ctx.answers);
  const system = s.machine.watchedSystem({
    started: (group) => lock.noteCommand(group),
    ended: () => lock.noteCommand(undefined),
  });

  reportIgnoredProgress(s, reading, lang);
  if (reading.kind === 'ignored') {
    const aside = s.machine.store.setAside();
    if (aside) s.stderr.write(`${LABELS[lang].progressSetAside({ aside })}\n`);
  }
  await s.machine.store.bringRecordForward(reading.kind === 'ok' ? reading.progress : undefined, ctx.answers);
  const overview = reconcile(plan, record, await surveyMachine(plan, system));
  let startAt = firstStepToDo(overview);
  const returning = overview.some((step) => step.state !== 'todo');
  if (returning && !auto) {
    const chosen = await chooseWhereToContinue(s, plan, overview, startAt, lang, record === undefined);
    if (chosen === undefined) {
      s.stderr.write(`${LABELS[lang].stoppedBeforeAnyStep}\n`);
      return EXIT.interrupted;
    }
    startAt = chosen;
  }

  const transcript = s.machine.openTranscript();
  // This run's answers, kept in the record: its project (issue 17), chosen or dropped since, among them.
  // And the optional steps it plans (issue 18), recorded ones included.
  const { chosen: _recorded, ...earlier } = record ?? emptyProgress(ctx.answers, s.now().toISOString());
  const start = { ...earlier, answers: ctx.answers, ...(ctx.chosen ? { chosen: ctx.chosen } : {}) };
  const recorder = progressRecorder(s, lang, start);
  const session = new WizardSession(plan, system, {
    auto,
    transcript,
    resume: resumePoint(overview, startAt),
    journal: journalOf(plan, record?.journal ?? []),
    onJournal: recorder.journal,
    undoContext: ctx,
    quiz: askQuizzes({ noQuiz: flags.quiz === false, auto, screen: Boolean(s.stdout.isTTY) })
      ? { questions: quizzes, answered: quizAnswersOf(record) }
      : undefined,
    handsOn: Boolean(flags.handsOn),
    diagnose: doctorFor(s, ctx, plan),
  });
  session.subscribe(recorder.listener);
  // The first step is timed from now, before its first event.
  recorder.listener(session.getState());
  const end = await presentRun(s, session, system, lang, auto);
  const { final } = end;
  recorder.listener(final);
  // The screen is gone when a rollback ends a quit: say what was taken back, and what could not be.
  const notTakenBack = session.notRolledBack();
  const rollbacks = rollbackLines(session.rolledBack(), notTakenBack, lang);
  const summary = summaryLines(end, lang, {
    closing: [...rollbacks, LABELS[lang].cli.log({ path: transcript.path })],
    known: overview,
    manage: serviceManagement(ctx),
  });
  // The log ends as the terminal does: a person reading it later learns the same.
  transcript.write(`${summary.join('\n')}\n`);
  await Promise.all([recorder.flushed(), transcript.close()]);
  printSummary(s, end, summary);
  if (Object.keys(final.quizAnswers).length > 0) s.stdout.write(`${scoreLine(recorder.current(), lang)}\n`);
  return exitCodeOf(final, notTakenBack);
}

/**
 * When a step's checks or one of its commands fail, the doctor looks at the layers that step names
 * (PlannedStep.doctor) and its first finding is shown with the failure; a step that names none gets
 * its own hints only.
 */
function doctorFor(
  s: Surroundings,
  ctx: PlanContext,
  plan: Plan,
): ((step: StepId) => Promise<Finding | undefined>) | undefined {
  const survey = s.machine.surveyForDoctor;
  if (!survey) return undefined;
  return async (id) => {
    const range = plan.steps.find((step) => step.id === id)?.doctor;
    if (!range) return undefined;
    return diagnose(await survey(placeOf(ctx, true), surveyPrivilege(ctx)), range).findings[0];
  };
}
