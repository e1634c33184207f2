// The figures of the teacher's report (issue 7): each step timed as the run goes, hints and the
// steps done for the student kept in the progress record, older records still read, and the
// report built from them, with the quiz score read from whatever shape the quiz part records.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trackActivity, type StepVisit } from '../../src/engine/activity.js';
import { emptyProgress, parseProgress, recordStatuses, type Progress } from '../../src/engine/progress.js';
import { buildReport, formatDuration, reportMarkdown } from '../../src/engine/report.js';
import { quizzes } from '../../steps/quizzes.js';
import type { HandsOn } from '../../src/engine/types.js';
import { initialState, reduce, type WizardEvent, type WizardState } from '../../src/engine/wizard.js';
import { ANSWERS, check, commandAction, commandSaw, en, planOf, step } from '../helpers.js';

const T0 = Date.parse('2026-11-21T10:00:00Z');
const handsOn: HandsOn = {
  typed: [{ as: 'demo', line: 'x' }],
  whatToDo: en('do x'),
  exactCommands: ['x'],
  exactAs: 'root',
  wrongMoves: [],
};
const plan = planOf(
  step('packages', {
    probeBeforeRun: true,
    actions: [commandAction('apt', 'apt-get install -y nginx')],
    checks: [check('installed')],
    handsOn,
  }),
  step('virtualenv', { actions: [commandAction('venv', 'python3 -m venv x')], checks: [check('venv')], handsOn }),
  step('uwsgi', { actions: [commandAction('pip', 'pip install uwsgi')], checks: [check('uwsgi')], handsOn }),
  step('conclusion', {}),
);
const ok = (checkId: string) => ({ checkId, ok: true, observed: commandSaw(0) });

/** Play events at the given seconds after T0, the progress following each state as the CLI's recorder does. */
function record(
  start: WizardState,
  events: [number, WizardEvent][],
  progress: Progress = emptyProgress(ANSWERS, new Date(T0).toISOString()),
) {
  let state = start;
  let tracked: { progress: Progress; visit: StepVisit | undefined } = trackActivity(progress, undefined, state, T0);
  for (const [sec, event] of events) {
    state = reduce(state, event);
    const at = T0 + sec * 1000;
    tracked = trackActivity(
      recordStatuses(tracked.progress, state.statuses, new Date(at).toISOString()),
      tracked.visit,
      state,
      at,
    );
  }
  return { state, progress: tracked.progress };
}

describe('activity per step', () => {
  it('a normal run records when each step began and ended and the seconds it took; a found step is marked found', () => {
    const { progress } = record(initialState(plan), [
      [2, { type: 'probed', results: [ok('installed')] }],
      [3, { type: 'continue', at: 0 }],
      [50, { type: 'action-finished', ok: true, durationMs: 47_000 }],
      [51, { type: 'checked', results: [ok('venv')] }],
    ]);
    assert.deepEqual(progress.activity.packages, {
      startedAt: '2026-11-21T10:00:00.000Z',
      finishedAt: '2026-11-21T10:00:02.000Z',
      spentSec: 2,
      hintLevel: 0,
      doneByWizard: false,
      doneBy: 'found',
    });
    assert.deepEqual(progress.activity.virtualenv, {
      startedAt: '2026-11-21T10:00:02.000Z',
      finishedAt: '2026-11-21T10:00:51.000Z',
      spentSec: 49,
      hintLevel: 0,
      doneByWizard: false,
      doneBy: 'wizard',
    });
    assert.equal(progress.activity.uwsgi, undefined, 'the step now under way is recorded when it is left');
  });

  it('hands-on: the student\'s step is theirs; hints are kept as asked; "do it for me" is recorded as done for the student', () => {
    const { progress } = record(
      initialState(plan, { startAt: 1, statuses: { packages: 'already-done' } }, undefined, { handsOn: true }),
      [
        [10, { type: 'hint' }],
        [40, { type: 'watched', results: [ok('venv')], wrongMoves: [] }],
        [45, { type: 'hint' }],
        [46, { type: 'hint' }],
        [47, { type: 'hint' }],
        [48, { type: 'continue', at: 0 }],
        [100, { type: 'action-finished', ok: true, durationMs: 52_000 }],
        [101, { type: 'checked', results: [ok('uwsgi')] }],
      ],
    );
    assert.equal(progress.activity.virtualenv?.doneBy, 'student');
    assert.equal(progress.activity.virtualenv?.hintLevel, 1);
    assert.equal(progress.activity.virtualenv?.spentSec, 40);
    assert.equal(progress.activity.virtualenv?.doneByWizard, false);
    assert.equal(progress.activity.uwsgi?.doneBy, 'wizard');
    assert.equal(progress.activity.uwsgi?.hintLevel, 3);
    assert.equal(progress.activity.uwsgi?.doneByWizard, true);
    assert.equal(progress.activity.uwsgi?.spentSec, 61);
  });

  it('a run stopped in the middle of a step adds its time without finishing it, and the next run adds to it', () => {
    const first = record(initialState(plan, { startAt: 1, statuses: {} }, undefined, { handsOn: true }), [
      [5, { type: 'hint' }],
      [30, { type: 'quit' }],
    ]);
    assert.equal(first.progress.activity.virtualenv?.spentSec, 30);
    assert.equal(first.progress.activity.virtualenv?.finishedAt, undefined);
    assert.equal(first.progress.activity.virtualenv?.hintLevel, 1);
    const second = record(
      initialState(plan, { startAt: 1, statuses: {} }, undefined, { handsOn: true }),
      [[12, { type: 'watched', results: [ok('venv')], wrongMoves: [] }]],
      first.progress,
    );
    assert.equal(second.progress.activity.virtualenv?.spentSec, 42);
    assert.equal(second.progress.activity.virtualenv?.startedAt, '2026-11-21T10:00:00.000Z', 'begun in the first run');
    assert.equal(second.progress.activity.virtualenv?.hintLevel, 1, 'the hint of the first run stays');
  });

  it('a progress file written before activity was recorded still loads, with none recorded', () => {
    const older = {
      version: 1,
      answers: ANSWERS,
      steps: { packages: { state: 'done', at: '2026-11-20T10:00:00Z', by: 'wizard' } },
      journal: [],
      updatedAt: '2026-11-20T10:00:00Z',
    };
    const reading = parseProgress(JSON.stringify(older));
    assert.equal(reading.kind, 'ok');
    assert.deepEqual(reading.kind === 'ok' && reading.progress.activity, {});
  });
});

describe('the report', () => {
  const progress: Progress = {
    ...emptyProgress(ANSWERS, '2026-11-21T10:05:00Z'),
    steps: {
      packages: { state: 'done', at: '2026-11-21T10:00:02Z', by: 'found' },
      virtualenv: { state: 'done', at: '2026-11-21T10:00:40Z', by: 'wizard' },
      uwsgi: { state: 'done', at: '2026-11-21T10:01:41Z', by: 'wizard' },
    },
    activity: {
      packages: {
        startedAt: '2026-11-21T10:00:00Z',
        finishedAt: '2026-11-21T10:00:02Z',
        spentSec: 2,
        hintLevel: 0,
        doneByWizard: false,
        doneBy: 'found',
      },
      virtualenv: {
        startedAt: '2026-11-21T10:00:02Z',
        finishedAt: '2026-11-21T10:00:40Z',
        spentSec: 38,
        hintLevel: 1,
        doneByWizard: false,
        doneBy: 'student',
      },
      uwsgi: {
        startedAt: '2026-11-21T10:00:40Z',
        finishedAt: '2026-11-21T10:01:41Z',
        spentSec: 61,
        hintLevel: 3,
        doneByWizard: true,
        doneBy: 'wizard',
      },
    },
  };
  const curriculum = plan.steps.map((s) => ({ id: s.id, title: s.title, actions: s.actions }));
  const meta = { generatedAt: '2026-11-21T11:00:00Z', student: 'alice', host: 'lab-07' };

  it("holds each step's state, who did it, time, highest hint and whether the wizard did it for the student, with totals", () => {
    const report = buildReport(progress, curriculum, quizzes, 'en', meta);
    assert.deepEqual(
      report.steps.map((s) => [s.id, s.state, s.doneBy, s.spentSec, s.hintLevel, s.doneForStudent]),
      [
        ['packages', 'done', 'found', 2, 0, false],
        ['virtualenv', 'done', 'student', 38, 1, false],
        ['uwsgi', 'done', 'wizard', 61, 3, true],
        ['conclusion', 'not done', undefined, undefined, 0, false],
      ],
    );
    assert.deepEqual(report.totals, {
      stepsDone: 3,
      steps: 4,
      spentSec: 101,
      stepsWithHints: 2,
      hintsAsked: 4,
      stepsDoneForStudent: 1,
    });
    assert.deepEqual(report.quiz, { kind: 'none' });
  });

  it('the Markdown page names the student and machine and has one row per step, in either language', () => {
    const md = reportMarkdown(buildReport(progress, curriculum, quizzes, 'en', meta), 'en');
    assert.match(md, /- Student: alice/);
    assert.match(md, /- Machine: lab-07/);
    assert.match(md, /- Quiz: no quiz taken/);
    assert.match(
      md,
      /Steps done: 3 of 4 · time: 1:41 · hints asked: 4 \(in 2 steps\) · done by the wizard for the student: 1/,
    );
    assert.match(md, /\| 3 \| title uwsgi \(uwsgi\) \| done \| wizard \| 1:01 \| 3 do it for me \| yes \|/);
    assert.match(md, /\| 2 \| title virtualenv \(virtualenv\) \| done \| student \| 0:38 \| 1 what to do \| {2}\|/);
    const ja = reportMarkdown(buildReport(progress, curriculum, quizzes, 'ja', meta), 'ja');
    assert.match(ja, /- 学習者: alice/);
    assert.match(
      ja,
      /\| 3 \| title uwsgi\(日本語\) \(uwsgi\) \| 完了 \| ウィザード \| 1:01 \| 3 代わりに実行 \| はい \|/,
    );
  });

  it('a lesson the student read is reported as read, not as done by the wizard, in both languages', () => {
    const lessonFirst = planOf(
      step('concepts', {}),
      step('virtualenv', { actions: [commandAction('venv', 'python3 -m venv x')], checks: [check('venv')] }),
    );
    const run = record(initialState(lessonFirst), [
      [40, { type: 'continue', at: 0 }],
      [41, { type: 'continue', at: 0 }],
      [50, { type: 'action-finished', ok: true, durationMs: 9_000 }],
      [51, { type: 'checked', results: [ok('venv')] }],
    ]);
    const steps = lessonFirst.steps.map((s) => ({ id: s.id, title: s.title, actions: s.actions }));
    const report = buildReport(run.progress, steps, quizzes, 'en', meta);
    assert.deepEqual(
      report.steps.map((s) => [s.id, s.state, s.doneBy]),
      [
        ['concepts', 'done', 'read'],
        ['virtualenv', 'done', 'wizard'],
      ],
    );
    assert.match(reportMarkdown(report, 'en'), /\| 1 \| title concepts \(concepts\) \| done \| read \| 0:40 \|/);
    assert.match(
      reportMarkdown(buildReport(run.progress, steps, quizzes, 'ja', meta), 'ja'),
      /\| 1 \| title concepts\(日本語\) \(concepts\) \| 完了 \| 読んだ \| 0:40 \|/,
    );
  });

  it('the quiz score is the one kept with the progress: right at the first try, of all the questions', () => {
    const answered: Progress = {
      ...progress,
      quiz: {
        'names-server': { step: 'concepts', firstTry: true, tries: 1, at: '2026-11-21T10:00:01Z' },
        'names-protocol': { step: 'concepts', firstTry: false, tries: 2, at: '2026-11-21T10:00:02Z' },
      },
    };
    const report = buildReport(answered, curriculum, quizzes, 'en', meta);
    assert.deepEqual(report.quiz, { kind: 'score', firstTry: 1, answered: 2, total: quizzes.length });
    assert.match(
      reportMarkdown(report, 'en'),
      new RegExp(`- Quiz: 1 of ${quizzes.length} right at the first try \\(2 answered\\)`),
    );
    assert.match(
      reportMarkdown(report, 'ja'),
      new RegExp(`- クイズ: ${quizzes.length} 問中 1 問を一度で正解 \\(回答済み 2 問\\)`),
    );
  });

  it('durations read as minutes and seconds', () => {
    assert.equal(formatDuration(0), '0:00');
    assert.equal(formatDuration(61.4), '1:01');
    assert.equal(formatDuration(3725), '1:02:05');
  });
});
