// `status`: which steps are done on this machine.
import { quizzes } from '../../steps/quizzes.js';
import { serviceManagement } from '../../steps/service.js';
import { say } from '../engine/plan.js';
import { firstStepToDo, isComplete, reconcile } from '../engine/progress.js';
import { quizScore } from '../engine/quiz.js';
import { surveyMachine } from '../engine/survey.js';
import { uwsgiRunningByHand } from '../engine/take-over.js';
import { LABELS } from '../ui/labels.js';
import { uwsgiInstanceText } from '../ui/probe-text.js';
import { prepare, reportIgnoredProgress } from './answers.js';
import { EXIT, type Flags } from './common.js';
import { scoreLine } from './present.js';
import { obtainSudo } from './privilege.js';
import type { Surroundings } from './surroundings.js';

/** `status`: the same list as the resume screen, changing nothing; exit 0 only when all is done. */
export async function runStatus(s: Surroundings, flags: Flags): Promise<number> {
  const { ctx, plan, lang, reading, record } = await prepare(s, flags, false, 'inspect');
  // Some checks need root (nginx -t, the socket as www-data): without sudo they would fail and a
  // finished step would look changed.
  if (!ctx.privilege.isRoot) await obtainSudo(s, lang);
  const [survey, byHand] = await Promise.all([
    surveyMachine(plan, s.machine.system),
    uwsgiRunningByHand(plan, s.machine.system),
  ]);
  const overview = reconcile(plan, record, survey);
  const complete = isComplete(overview);
  // On stderr in both forms: a script reading --json must still hear that its record was not used.
  reportIgnoredProgress(s, reading, lang);
  if (flags.json) {
    const steps = overview.map((step, i) => ({
      id: step.id,
      title: say(plan.steps[i]!.title, lang),
      state: step.state,
    }));
    const { firstTry, answered, total } = quizScore(record, quizzes);
    // The person's own project (issue 17), as recorded: which source a deploy again reads.
    const { appSource, appModule } = plan.answers;
    const ownApp = appSource === undefined ? {} : { appSource, ...(appModule ? { appModule } : {}) };
    const report = { complete, steps, quiz: { firstTry, answered, total }, uwsgiByHand: byHand.found, ...ownApp };
    s.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const l = LABELS[lang];
    const { RESUME_MARK, padColumns } = await import('../ui/marks.js');
    const lines = overview.map((step, i) => {
      const hint = step.state === 'changed' ? ` (${l.changedHint})` : '';
      const state = padColumns(l.resumeState[step.state], 8);
      return `  ${RESUME_MARK[step.state]} ${state} ${step.id.padEnd(11)} ${say(plan.steps[i]!.title, lang)}${hint}`;
    });
    const next = plan.steps[firstStepToDo(overview)];
    lines.push('', complete ? l.complete : `${l.nextStep} ${next ? `${next.id} · ${say(next.title, lang)}` : '-'}`);
    if (Object.keys(record?.quiz ?? {}).length > 0) lines.push(scoreLine(record, lang));
    // Without a service manager a reboot ends uWSGI for good: said while it is set up as a service.
    const service = overview.find((step) => step.id === 'service');
    if (plan.platform.serviceManager === 'none' && service?.state === 'done')
      lines.push(`⚠ ${l.afterwards.noServiceManager({ start: serviceManagement(ctx).start })}`);
    // Its own state: a uWSGI running by hand is not the service, whatever the steps say.
    if (byHand.found.length > 0)
      lines.push('', l.byHandFound, ...byHand.found.map((instance) => `  ⚠ ${uwsgiInstanceText(instance, lang)}`));
    const { appName, user, appDir, appSource } = plan.answers;
    const source = appSource ? ` · ${l.ownApp.statusSource({ path: appSource })}` : '';
    s.stdout.write(`${appName} (${user}, ${appDir})${source} · ${plan.platform.prettyName}\n${lines.join('\n')}\n`);
  }
  return complete ? EXIT.ok : EXIT.stepFailed;
}
