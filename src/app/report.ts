// `report`: the teacher's report of this machine's record.
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { curriculum } from '../../steps/index.js';
import { quizzes } from '../../steps/quizzes.js';
import { buildPlan } from '../engine/plan.js';
import type { Progress, ProgressReading } from '../engine/progress.js';
import { buildReport, quizText, reportMarkdown, reportWords, summaryLine } from '../engine/report.js';
import type { Answers, PlannedStep } from '../engine/types.js';
import { invokingUser, lookupAccount } from '../exec/accounts.js';
import { detectPlatform } from '../exec/platform.js';
import { progressPath, readProgress, readShelved, shelvedAnswersOf, shelvedPath } from '../exec/progress-store.js';
import { transcriptDir } from '../exec/transcript.js';
import { givenAnswers } from './answers.js';
import { EXIT, type Flags, pickLang } from './common.js';

/**
 * `report`: the teacher's report of this machine's record (issue 7): a Markdown page and the same
 * figures as JSON, named after the machine, the student and the app, so that a teacher can
 * collect them from every student's machine into one directory.
 */
export async function runReport(flags: Flags): Promise<number> {
  const lang = pickLang(flags.lang);
  const w = reportWords(lang);
  const { reading, path, otherApp } = await recordToReport(flags);
  if (reading.kind === 'none') {
    const message =
      otherApp === undefined
        ? w.noRecord.replace('{path}', path)
        : w.noRecordOfApp.replaceAll('{app}', otherApp).replace('{dir}', path);
    process.stderr.write(`uwsgi-nginx-guide: ${message}\n`);
    return EXIT.stepFailed;
  }
  if (reading.kind !== 'ok') {
    process.stderr.write(
      `uwsgi-nginx-guide: ${w.unusable.replace('{path}', path).replace('{reason}', reading.reason)}\n`,
    );
    return EXIT.stepFailed;
  }
  const meta = { generatedAt: new Date().toISOString(), student: invokingUser(), host: hostname() };
  const report = buildReport(reading.progress, await plannedSteps(reading.progress), quizzes, lang, meta);
  const dir = flags.out ?? process.cwd();
  const base = join(
    dir,
    `uwsgi-nginx-guide-report-${[meta.host, meta.student, report.app.name].join('-').replace(/[^A-Za-z0-9._-]/g, '_')}`,
  );
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${base}.md`, reportMarkdown(report, lang));
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(
    `${summaryLine(report, lang)} · ${quizText(report.quiz, lang)}\n${w.written}\n  ${base}.md\n  ${base}.json\n`,
  );
  return EXIT.ok;
}

/** The steps as the record's run planned them on this machine: the report tells a lesson by its plan. */
async function plannedSteps(progress: Progress): Promise<PlannedStep[]> {
  const { answers } = progress;
  // An account removed since: its own name stands for its group, which only names files' owners in the plan.
  const userGroup = (await lookupAccount(answers.user))?.primaryGroup ?? answers.user;
  const privilege = { isRoot: process.getuid?.() === 0, runningAs: userInfo().username };
  return buildPlan(curriculum, { answers, platform: detectPlatform(), privilege, userGroup }).steps;
}

/**
 * The record a report is made of: the last run's (progress.json), or, when the app named before
 * `report` (--app-name, and --user if given) is another one, that app's record on the shelf.
 */
async function recordToReport(flags: Flags): Promise<{ reading: ProgressReading; path: string; otherApp?: string }> {
  const given = await givenAnswers(flags);
  const reading = await readProgress();
  const last = reading.kind === 'ok' ? reading.progress.answers : undefined;
  // What was named must all match: the same app of another account or directory is another record.
  const named = (answers: Answers) =>
    answers.appName === given.appName &&
    (given.user === undefined || answers.user === given.user) &&
    (given.appDir === undefined || answers.appDir === given.appDir);
  if (given.appName === undefined || (last && named(last))) return { reading, path: progressPath() };
  const answers = await shelvedAnswersOf(given.appName, given.user, undefined, given.appDir);
  const shelved = answers ? await readShelved(answers) : undefined;
  if (answers && shelved) return { reading: { kind: 'ok', progress: shelved }, path: shelvedPath(answers) };
  // The last run's record, if any, is of another installation, and the shelf has none of this one.
  if (reading.kind === 'ok')
    return { reading: { kind: 'none' }, path: join(transcriptDir(), 'apps'), otherApp: given.appName };
  return { reading, path: progressPath() };
}
