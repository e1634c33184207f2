// The teacher's report (issue 7): from one machine's progress record, the steps done, the time
// spent on each, the hints asked, the steps the wizard did for the student and the quiz score
// (the quiz's own record, engine/quiz.ts);
// as JSON (to collect and compare) and as a short Markdown page (to read). Pure: `report` in
// src/commands.ts reads the record and writes the two files.
import type { Progress } from './progress.js';
import { quizScore, type QuizQuestion } from './quiz.js';
import type { Lang, StepId, Text } from './types.js';
import { LABELS } from '../ui/labels.js';

/** The quiz as the report gives it: right at the first try, out of all the questions; how many were answered. */
export type ReportQuiz = { kind: 'none' } | { kind: 'score'; firstTry: number; answered: number; total: number };

export interface ReportStep {
  id: StepId;
  title: string;
  /** `done` (by the student, by the wizard, found in place, or read: a lesson), `skipped`, or `not done` yet. */
  state: 'done' | 'skipped' | 'not done';
  doneBy?: 'student' | 'wizard' | 'found' | 'read';
  /** Seconds spent on the step over all runs; undefined when it was never begun. */
  spentSec?: number;
  startedAt?: string;
  finishedAt?: string;
  /** The highest hint asked for: 0 none, 1 what to do, 2 the exact command, 3 do it for me. */
  hintLevel: number;
  /** The wizard did this step for the student ("do it for me"). */
  doneForStudent: boolean;
}

export interface TeacherReport {
  generatedAt: string;
  /** Who ran the wizard, where: the account and the machine's name. */
  student: string;
  host: string;
  app: { name: string; user: string; dir: string };
  steps: ReportStep[];
  totals: {
    stepsDone: number;
    steps: number;
    spentSec: number;
    stepsWithHints: number;
    hintsAsked: number;
    stepsDoneForStudent: number;
  };
  quiz: ReportQuiz;
}

export interface ReportMeta {
  generatedAt: string;
  student: string;
  host: string;
}

/** The quiz score kept with the progress (engine/quiz.ts), or none when no question was answered. */
export function reportQuiz(progress: Progress, questions: readonly QuizQuestion[]): ReportQuiz {
  const { firstTry, answered, total } = quizScore(progress, questions);
  return answered === 0 ? { kind: 'none' } : { kind: 'score', firstTry, answered, total };
}

/**
 * The steps as planned for the record's answers: a step with nothing to run or write is a lesson,
 * which the student read (the record keeps who finished each step, and for a lesson that is the
 * wizard moving on, never something done by it).
 */
export function buildReport(
  progress: Progress,
  curriculum: readonly { id: StepId; title: Text; actions: readonly unknown[] }[],
  questions: readonly QuizQuestion[],
  lang: Lang,
  meta: ReportMeta,
): TeacherReport {
  const steps: ReportStep[] = curriculum.map(({ id, title, actions }) => {
    const record = progress.steps[id];
    const activity = progress.activity[id];
    const state = record?.state === 'done' ? 'done' : record?.state === 'skipped' ? 'skipped' : 'not done';
    const doneBy =
      state !== 'done'
        ? undefined
        : actions.length === 0
          ? 'read'
          : (activity?.doneBy ?? (record?.by === 'found' ? 'found' : 'wizard'));
    return {
      id,
      title: title[lang],
      state,
      doneBy,
      spentSec: activity?.startedAt ? activity.spentSec : undefined,
      startedAt: activity?.startedAt,
      finishedAt: activity?.finishedAt,
      hintLevel: activity?.hintLevel ?? 0,
      doneForStudent: state === 'done' && (activity?.doneByWizard ?? false),
    };
  });
  return {
    ...meta,
    app: { name: progress.answers.appName, user: progress.answers.user, dir: progress.answers.appDir },
    steps,
    totals: {
      stepsDone: steps.filter((s) => s.state === 'done').length,
      steps: steps.length,
      spentSec: Math.round(steps.reduce((sum, s) => sum + (s.spentSec ?? 0), 0) * 10) / 10,
      stepsWithHints: steps.filter((s) => s.hintLevel > 0).length,
      hintsAsked: steps.reduce((sum, s) => sum + s.hintLevel, 0),
      stepsDoneForStudent: steps.filter((s) => s.doneForStudent).length,
    },
    quiz: reportQuiz(progress, questions),
  };
}

/** The report's words in one language (the catalogue's, src/ui/labels.ts). */
function wordsIn(lang: Lang) {
  return LABELS[lang].report;
}

/** Seconds as `m:ss` (or `h:mm:ss`), the way a teacher compares durations at a glance. */
export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The totals in one line: at the top of the Markdown page, and what `report` prints. */
export function summaryLine(report: TeacherReport, lang: Lang): string {
  const t = report.totals;
  return wordsIn(lang).summary({
    done: t.stepsDone,
    all: t.steps,
    time: formatDuration(t.spentSec),
    hints: t.hintsAsked,
    hinted: t.stepsWithHints,
    forStudent: t.stepsDoneForStudent,
  });
}

export function quizText(quiz: ReportQuiz, lang: Lang): string {
  const w = wordsIn(lang);
  if (quiz.kind === 'none') return w.noQuiz;
  return w.quizScore(quiz);
}

export function reportMarkdown(report: TeacherReport, lang: Lang): string {
  const w = wordsIn(lang);
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = report.steps.map((s, i) =>
    [
      String(i + 1),
      `${cell(s.title)} (${s.id})`,
      w.state[s.state],
      s.doneBy ? w.by[s.doneBy] : '',
      // A step found done before this record began has no time of its own: not "not begun".
      s.spentSec !== undefined ? formatDuration(s.spentSec) : s.state === 'done' ? '—' : w.notBegun,
      w.hint[s.hintLevel] ?? String(s.hintLevel),
      s.doneForStudent ? w.yes : '',
    ].join(' | '),
  );
  return [
    `# ${w.title}`,
    '',
    `- ${w.student}: ${report.student}`,
    `- ${w.machine}: ${report.host}`,
    `- ${w.app}: ${report.app.name} (${report.app.user}, ${report.app.dir})`,
    `- ${w.made}: ${report.generatedAt}`,
    `- ${w.quiz}: ${quizText(report.quiz, lang)}`,
    '',
    summaryLine(report, lang),
    '',
    `| ${w.columns.join(' | ')} |`,
    `|${w.columns.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row} |`),
    '',
  ].join('\n');
}
