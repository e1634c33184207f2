// Quizzes (issue 7): the quiz's own reducer, how the wizard asks it after a step, and how the
// answers are kept with the progress and scored.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyProgress, parseProgress, recordRun } from '../../src/engine/progress.js';
import {
  askQuizzes,
  isSolved,
  quizAnswersOf,
  quizScore,
  recordQuizAnswers,
  reduceQuiz,
  startQuiz,
  type QuizAnswer,
  type QuizEvent,
  type QuizQuestion,
  type QuizRun,
} from '../../src/engine/quiz.js';
import { WizardSession } from '../../src/engine/session.js';
import { initialState, reduce, type QuizSetup, type WizardEvent, type WizardState } from '../../src/engine/wizard.js';
import { ANSWERS, check, commandAction, commandSaw, en, FakeSystem, planOf, step } from '../helpers.js';

/** Three choices, the second right. */
function question(id: string, stepId: QuizQuestion['step'] = 'concepts'): QuizQuestion {
  return {
    id,
    step: stepId,
    question: en(`question ${id}`),
    choices: [
      { text: en('wrong A'), correct: false, why: en('A is wrong because') },
      { text: en('right B'), correct: true, why: en('B is right because') },
      { text: en('wrong C'), correct: false, why: en('C is wrong because') },
    ],
  };
}

function quiz(run: QuizRun, ...events: QuizEvent[]) {
  let step = { run, over: false } as ReturnType<typeof reduceQuiz>;
  const answered: NonNullable<ReturnType<typeof reduceQuiz>['answered']>[] = [];
  for (const event of events) {
    step = reduceQuiz(step.run, event);
    if (step.answered) answered.push(step.answered);
  }
  return { ...step, answered };
}

describe('the quiz reducer', () => {
  it('nothing is highlighted at first; arrows then move the highlighted choice, wrapping at both ends', () => {
    const run = startQuiz([question('q1')]);
    assert.equal(run.cursor, undefined);
    assert.equal(quiz(run, { type: 'quiz-move', by: 1 }).run.cursor, 0, 'down from nothing comes to the first');
    assert.equal(quiz(run, { type: 'quiz-move', by: -1 }).run.cursor, 2, 'up from nothing comes to the last');
    assert.equal(quiz(run, { type: 'quiz-move', by: 1 }, { type: 'quiz-move', by: 1 }).run.cursor, 1);
    assert.equal(
      quiz(run, { type: 'quiz-move', by: 1 }, { type: 'quiz-move', by: -1 }).run.cursor,
      2,
      'up from the first goes to the last',
    );
    assert.equal(
      quiz(run, ...Array.from({ length: 4 }, () => ({ type: 'quiz-move', by: 1 }) as QuizEvent)).run.cursor,
      0,
      'down from the last goes to the first',
    );
  });

  it('Enter at once chooses nothing: no try is counted, and the screen is asked to say to choose first', () => {
    const step = quiz(startQuiz([question('q1')]), { type: 'quiz-confirm' }, { type: 'quiz-confirm' });
    assert.deepEqual(step.run.picked, []);
    assert.deepEqual(step.answered, []);
    assert.equal(step.run.chooseFirst, true);
    const then = quiz(step.run, { type: 'quiz-move', by: 1 }, { type: 'quiz-move', by: 1 }, { type: 'quiz-confirm' });
    assert.equal(then.run.chooseFirst, false, 'once a choice is highlighted the request goes');
    assert.deepEqual(then.answered, [{ id: 'q1', answer: { step: 'concepts', firstTry: true, tries: 1 } }]);
  });

  it('a wrong pick is remembered and shown, the question stays open; the right one after it is answered at the second try', () => {
    const wrong = quiz(startQuiz([question('q1')]), { type: 'quiz-pick', choice: 0 });
    assert.deepEqual(wrong.run.picked, [0]);
    assert.equal(isSolved(wrong.run), false);
    assert.deepEqual(wrong.answered, []);
    const right = quiz(wrong.run, { type: 'quiz-pick', choice: 1 });
    assert.ok(isSolved(right.run));
    assert.deepEqual(right.answered, [{ id: 'q1', answer: { step: 'concepts', firstTry: false, tries: 2 } }]);
  });

  it('the right answer at the first pick counts as first try', () => {
    const { answered } = quiz(startQuiz([question('q1')]), { type: 'quiz-pick', choice: 1 });
    assert.deepEqual(answered, [{ id: 'q1', answer: { step: 'concepts', firstTry: true, tries: 1 } }]);
  });

  it('picking the same wrong choice again shows its explanation again but is not another try', () => {
    const { run, answered } = quiz(
      startQuiz([question('q1')]),
      { type: 'quiz-pick', choice: 0 },
      { type: 'quiz-pick', choice: 2 },
      { type: 'quiz-pick', choice: 0 },
      { type: 'quiz-pick', choice: 1 },
    );
    assert.deepEqual(run.picked, [2, 0, 1]);
    assert.equal(answered[0]!.answer.tries, 3);
  });

  it('Enter picks the choice moved to; once solved, Enter goes to the next question (nothing chosen again), and after the last the quiz is over', () => {
    let step = quiz(
      startQuiz([question('q1'), question('q2')]),
      { type: 'quiz-move', by: 1 },
      { type: 'quiz-move', by: 1 },
      { type: 'quiz-confirm' },
    );
    assert.ok(isSolved(step.run), 'Enter picked B');
    assert.deepEqual(step.answered, [{ id: 'q1', answer: { step: 'concepts', firstTry: true, tries: 1 } }]);
    step = quiz(step.run, { type: 'quiz-confirm' });
    assert.deepEqual(
      { index: step.run.index, cursor: step.run.cursor, picked: step.run.picked, over: step.over },
      { index: 1, cursor: undefined, picked: [], over: false },
    );
    step = quiz(step.run, { type: 'quiz-confirm' });
    assert.deepEqual(step.run.picked, [], 'Enter at once on the next question chooses nothing either');
    step = quiz(step.run, { type: 'quiz-pick', choice: 1 }, { type: 'quiz-confirm' });
    assert.equal(step.over, true);
  });

  it('a number beyond the choices, and any pick after the right answer, change nothing', () => {
    const run = startQuiz([question('q1')]);
    assert.equal(reduceQuiz(run, { type: 'quiz-pick', choice: 3 }).run, run);
    const solved = quiz(run, { type: 'quiz-pick', choice: 1 }).run;
    const after = reduceQuiz(solved, { type: 'quiz-pick', choice: 0 });
    assert.equal(after.run, solved);
    assert.equal(after.answered, undefined);
  });
});

describe('the wizard asks the quiz after its step', () => {
  const plan = planOf(
    step('concepts'),
    step('ini', { actions: [commandAction('write', 'true')], checks: [check('ini-file')] }),
    step('conclusion'),
  );
  const setup = (answered: Record<string, QuizAnswer> = {}): QuizSetup => ({
    questions: [question('lesson'), question('ini-a', 'ini'), question('ini-b', 'ini')],
    answered,
  });
  const play = (state: WizardState, ...events: WizardEvent[]) => events.reduce(reduce, state);
  const okCheck: WizardEvent = {
    type: 'checked',
    results: [{ checkId: 'ini-file', ok: true, observed: commandSaw(0) }],
  };

  it('a lesson read is done, then its question is asked before the next step', () => {
    const state = play(initialState(plan, undefined, setup()), { type: 'continue', at: 0 });
    assert.equal(state.statuses.concepts, 'done');
    assert.equal(state.stepIndex, 0, 'still on the lesson');
    assert.equal(state.phase.kind, 'quiz');
    assert.deepEqual(state.phase.kind === 'quiz' && state.phase.run.questions.map((q) => q.id), ['lesson']);
  });

  it('a step with commands is quizzed only after its checks pass, its questions in order, and its answers are kept', () => {
    let state = play(
      initialState(plan, { startAt: 1, statuses: {} }, setup()),
      { type: 'continue', at: 0 },
      { type: 'action-finished', ok: true },
    );
    assert.equal(state.phase.kind, 'checking');
    state = play(state, okCheck);
    assert.equal(state.phase.kind === 'quiz' && state.phase.run.questions.map((q) => q.id).join(), 'ini-a,ini-b');
    state = play(
      state,
      { type: 'quiz-pick', choice: 0 },
      { type: 'quiz-pick', choice: 1 },
      { type: 'quiz-confirm' },
      { type: 'quiz-pick', choice: 1 },
    );
    assert.deepEqual(state.quizAnswers, {
      'ini-a': { step: 'ini', firstTry: false, tries: 2 },
      'ini-b': { step: 'ini', firstTry: true, tries: 1 },
    });
    assert.equal(state.stepIndex, 1, 'the last explanation stays until Enter');
    state = play(state, { type: 'quiz-confirm' });
    assert.equal(state.stepIndex, 2);
    assert.deepEqual(state.phase, { kind: 'reading' });
  });

  it('a skipped step, a step found already done, and questions answered in an earlier run are not asked', () => {
    const skipped = play(initialState(plan, undefined, setup()), { type: 'skip' });
    assert.deepEqual(skipped.phase, { kind: 'confirm', action: 0 });
    const found = initialState(
      planOf(step('ini', { probeBeforeRun: true, checks: [check('ini-file')] }), step('conclusion')),
      undefined,
      setup(),
    );
    assert.equal(
      play(found, { type: 'probed', results: [{ checkId: 'ini-file', ok: true, observed: commandSaw(0) }] }).stepIndex,
      1,
    );
    const earlier = play(
      initialState(plan, undefined, setup({ lesson: { step: 'concepts', firstTry: true, tries: 1 } })),
      { type: 'continue', at: 0 },
    );
    assert.equal(earlier.stepIndex, 1);
  });

  it('without questions (--no-quiz, --yes) every step goes straight on', () => {
    assert.equal(play(initialState(plan), { type: 'continue', at: 0 }).stepIndex, 1);
  });

  it('q during the quiz quits; quiz keys outside a quiz change nothing', () => {
    const asked = play(initialState(plan, undefined, setup()), { type: 'continue', at: 0 });
    assert.deepEqual(play(asked, { type: 'quit' }).phase, { kind: 'quit', reason: 'user' });
    const reading = initialState(plan, undefined, setup());
    assert.equal(play(reading, { type: 'quiz-pick', choice: 1 }, { type: 'quiz-confirm' }), reading);
  });
});

describe('when quizzes are asked', () => {
  it('an unattended session (--yes) never stops for a quiz, even when given questions', async () => {
    const session = new WizardSession(planOf(step('concepts'), step('conclusion')), new FakeSystem(), {
      auto: true,
      quiz: { questions: [question('lesson')], answered: {} },
    });
    const phases: string[] = [];
    session.subscribe((state) => phases.push(state.phase.kind));
    const final = await session.run();
    assert.equal(final.phase.kind, 'finished');
    assert.ok(!phases.includes('quiz'), phases.join());
  });

  it('only at the screen, unattended never, and not with --no-quiz', () => {
    assert.equal(askQuizzes({ noQuiz: false, auto: false, screen: true }), true);
    assert.equal(askQuizzes({ noQuiz: true, auto: false, screen: true }), false, '--no-quiz');
    assert.equal(askQuizzes({ noQuiz: false, auto: true, screen: true }), false, '--yes');
    assert.equal(askQuizzes({ noQuiz: false, auto: false, screen: false }), false, 'plain output');
  });
});

describe('the score, kept with the progress', () => {
  const NOW = '2026-11-21T20:00:00.000Z';
  const questions = [question('a'), question('b'), question('c', 'ini')];

  it('a progress file from before quizzes loads, with no answers, and scores 0 of all', () => {
    const old = {
      version: 1,
      answers: ANSWERS,
      steps: { concepts: { state: 'done', at: NOW, by: 'wizard' } },
      journal: [],
      updatedAt: NOW,
    };
    const reading = parseProgress(JSON.stringify(old));
    assert.equal(reading.kind, 'ok');
    const progress = reading.kind === 'ok' ? reading.progress : undefined;
    assert.deepEqual(progress?.quiz, {});
    assert.deepEqual(quizScore(progress, questions), {
      firstTry: 0,
      answered: 0,
      total: 3,
      questions: questions.map((q) => ({ id: q.id, step: q.step, answered: false, firstTry: false, tries: 0 })),
    });
  });

  it('answers are recorded once, the first kept, and read back into the score per question', () => {
    let progress = emptyProgress(ANSWERS, NOW);
    progress = recordQuizAnswers(
      progress,
      { a: { step: 'concepts', firstTry: true, tries: 1 }, c: { step: 'ini', firstTry: false, tries: 3 } },
      NOW,
    );
    assert.equal(
      recordQuizAnswers(progress, { a: { step: 'concepts', firstTry: false, tries: 2 } }, 'later'),
      progress,
      'an answered question keeps its first answer',
    );
    const reread = parseProgress(JSON.stringify(progress));
    assert.equal(reread.kind, 'ok');
    const loaded = reread.kind === 'ok' ? reread.progress : undefined;
    assert.deepEqual(quizAnswersOf(loaded), {
      a: { step: 'concepts', firstTry: true, tries: 1 },
      c: { step: 'ini', firstTry: false, tries: 3 },
    });
    const score = quizScore(loaded, questions);
    assert.deepEqual([score.firstTry, score.answered, score.total], [1, 2, 3]);
    assert.deepEqual(
      score.questions.find((q) => q.id === 'c'),
      { id: 'c', step: 'ini', answered: true, firstTry: false, tries: 3 },
    );
  });

  it('recordRun keeps the statuses and the quiz answers of a run together', () => {
    const state = {
      statuses: { concepts: 'done' },
      quizAnswers: { a: { step: 'concepts', firstTry: true, tries: 1 } },
    } as unknown as Pick<WizardState, 'statuses' | 'quizAnswers'>;
    const progress = recordRun(emptyProgress(ANSWERS, NOW), state, NOW);
    assert.equal(progress.steps.concepts?.state, 'done');
    assert.deepEqual(progress.quiz.a, { step: 'concepts', firstTry: true, tries: 1, at: NOW });
  });

  it('a damaged quiz record makes the file ignored, as any damage does', () => {
    const damaged = {
      ...emptyProgress(ANSWERS, NOW),
      quiz: { a: { step: 'concepts', firstTry: 'yes', tries: 1, at: NOW } },
    };
    assert.equal(parseProgress(JSON.stringify(damaged)).kind, 'ignored');
  });
});
