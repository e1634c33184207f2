import { join } from 'node:path';
import { curriculum } from '../../steps/index.js';
import { quizzes } from '../../steps/quizzes.js';
import { buildPlan } from '../engine/plan.js';
import type { Progress, ProgressReading } from '../engine/progress.js';
import { buildReport, quizText, reportMarkdown, summaryLine } from '../engine/report.js';
import type { Answers, PlannedStep } from '../engine/types.js';
import { ignoredBecauseSaid } from '../ui/ignored-record-text.js';
import { LABELS } from '../ui/labels.js';
import { givenAnswers } from './answers.js';
import { EXIT, type Flags, pickLang } from './common.js';
import type { Surroundings } from './surroundings.js';

/**
 * `report`: the teacher's report of this machine's record (issue 7): a Markdown page and the same
 * figures as JSON, named after the machine, the student and the app, so that a teacher can
 * collect them from every student's machine into one directory.
 */
export async function runReport(s: Surroundings, flags: Flags): Promise<number> {
  const lang = pickLang(flags.lang, s.locale);
  const w = LABELS[lang].report;
  const { reading, path, otherApp } = await recordToReport(s, flags);
  if (reading.kind === 'none') {
    const message = otherApp === undefined ? w.noRecord({ path }) : w.noRecordOfApp({ app: otherApp, dir: path });
    s.stderr.write(`uwsgi-nginx-guide: ${message}\n`);
    return EXIT.stepFailed;
  }
  if (reading.kind !== 'ok') {
    s.stderr.write(
      `uwsgi-nginx-guide: ${w.unusable({ path, reason: ignoredBecauseSaid(LABELS[lang], reading.because) })}\n`,
    );
    return EXIT.stepFailed;
  }
  const meta = { generatedAt: s.now().toISOString(), student: s.machine.invokingUser(), host: s.machine.hostname() };
  const report = buildReport(reading.progress, await plannedSteps(s, reading.progress), quizzes, lang, meta);
  const dir = flags.out ?? s.cwd;
  const name = `uwsgi-nginx-guide-report-${[meta.host, meta.student, report.app.name].join('-').replace(/[^A-Za-z0-9._-]/g, '_')}`;
  const base = join(dir, name);
  s.machine.writeReport(dir, {
    [`${name}.md`]: reportMarkdown(report, lang),
    [`${name}.json`]: `${JSON.stringify(report, null, 2)}\n`,
  });
  s.stdout.write(
    `${summaryLine(report, lang)} · ${quizText(report.quiz, lang)}\n${w.written}\n  ${base}.md\n  ${base}.json\n`,
  );
  return EXIT.ok;
}

/** The steps as the record's run planned them on this machine: the report tells a lesson by its plan. */
async function plannedSteps(s: Surroundings, progress: Progress): Promise<PlannedStep[]> {
  const { answers } = progress;
  // An account removed since: its own name stands for its group, which only names files' owners in the plan.
  const userGroup = (await s.machine.lookupAccount(answers.user))?.primaryGroup ?? answers.user;
  const ctx = { answers, platform: s.machine.detectPlatform(), privilege: s.privilege, userGroup };
  return buildPlan(curriculum, ctx).steps;
}

/**
 * The record a report is made of: the last run's (progress.json), or, when the app named before
 * `report` (--app-name, and --user if given) is another one, that app's record on the shelf.
 */
async function recordToReport(
  s: Surroundings,
  flags: Flags,
): Promise<{ reading: ProgressReading; path: string; otherApp?: string }> {
  const { store } = s.machine;
  const given = await givenAnswers(flags, s);
  const reading = await store.read();
  const last = reading.kind === 'ok' ? reading.progress.answers : undefined;
  // What was named must all match: the same app of another account or directory is another record.
  const named = (answers: Answers) =>
    answers.appName === given.appName &&
    (given.user === undefined || answers.user === given.user) &&
    (given.appDir === undefined || answers.appDir === given.appDir);
  if (given.appName === undefined || (last && named(last))) return { reading, path: store.path() };
  const answers = await store.shelvedAnswersOf(given.appName, given.user, given.appDir);
  const shelved = answers ? await store.readShelved(answers) : undefined;
  if (answers && shelved) return { reading: { kind: 'ok', progress: shelved }, path: store.shelvedPath(answers) };
  // The last run's record, if any, is of another installation, and the shelf has none of this one.
  if (reading.kind === 'ok')
    return { reading: { kind: 'none' }, path: join(store.dir(), 'apps'), otherApp: given.appName };
  return { reading, path: store.path() };
}
