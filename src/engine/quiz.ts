// Quizzes (issue 7): a few multiple-choice questions after a step, to check that the idea behind
// it was understood, not only that Enter was pressed. Pure: the questions are data (each step
// module's `quiz`), the run of one step's quiz is a small reducer embedded in the wizard's
// (wizard.ts, phase 'quiz'), and the answers are kept with the progress (progress.ts) for the score.
import type { Progress } from './progress.js';
import type { StepId, Text } from './types.js';

export interface QuizChoice {
  text: Text;
  correct: boolean;
  /** Shown when this choice is picked: why it is right, or what is wrong with it. */
  why: Text;
}

export interface QuizQuestion {
  /** Stable: the record keeps answers by id, so questions can be reworded or reordered. */
  id: string;
  /** Asked once this step is done (its checks passed, or a lesson was read). */
  step: StepId;
  question: Text;
  /** Exactly one is correct. */
  choices: QuizChoice[];
}

/** How a question went: right at the first pick, or after `tries - 1` wrong ones. */
export interface QuizAnswer {
  step: StepId;
  firstTry: boolean;
  tries: number;
}

/** The quiz of one step while it is asked. */
export interface QuizRun {
  questions: QuizQuestion[];
  index: number;
  /**
   * The highlighted choice (arrows move it, Enter picks it); none until the student moves or types
   * a number, so that an Enter meant for the screen before does not answer the question.
   */
  cursor?: number;
  /** Enter was pressed with nothing chosen: the screen says to choose first. */
  chooseFirst?: boolean;
  /** Choices picked for the current question, first to last; the last is shown with its explanation. */
  picked: number[];
}

export type QuizEvent =
  | { type: 'quiz-move'; by: number }
  /** A number key: that choice (0-based). */
  | { type: 'quiz-pick'; choice: number }
  /** Enter: pick the highlighted choice (none highlighted: nothing), or, once the right one is picked, go on. */
  | { type: 'quiz-confirm' };

export interface QuizStep {
  run: QuizRun;
  /** A question just answered right, with how it went. */
  answered?: { id: string; answer: QuizAnswer };
  /** The last question was answered and the person went on. */
  over: boolean;
}

/** Quizzes wait for a person at the screen: not with --no-quiz, never unattended (--yes), never in plain output. */
export function askQuizzes(run: { noQuiz: boolean; auto: boolean; screen: boolean }): boolean {
  return !run.noQuiz && !run.auto && run.screen;
}

export function startQuiz(questions: QuizQuestion[]): QuizRun {
  return { questions, index: 0, picked: [] };
}

export function currentQuestion(run: QuizRun): QuizQuestion {
  return run.questions[run.index]!;
}

/** The right answer of the current question has been picked: its explanation shows, Enter goes on. */
export function isSolved(run: QuizRun): boolean {
  const question = currentQuestion(run);
  return run.picked.some((choice) => question.choices[choice]?.correct);
}

export function reduceQuiz(run: QuizRun, event: QuizEvent): QuizStep {
  const question = currentQuestion(run);
  const count = question.choices.length;
  switch (event.type) {
    case 'quiz-move': {
      // From nothing chosen, down comes to the first choice and up to the last.
      const from = run.cursor ?? (event.by > 0 ? -1 : 0);
      return {
        run: { ...run, cursor: (((from + event.by) % count) + count) % count, chooseFirst: false },
        over: false,
      };
    }
    case 'quiz-pick':
      return pick(run, event.choice);
    case 'quiz-confirm':
      if (!isSolved(run))
        return run.cursor !== undefined
          ? pick(run, run.cursor)
          : { run: run.chooseFirst ? run : { ...run, chooseFirst: true }, over: false };
      if (run.index + 1 < run.questions.length)
        return { run: { questions: run.questions, index: run.index + 1, picked: [] }, over: false };
      return { run, over: true };
  }
}

function pick(run: QuizRun, choice: number): QuizStep {
  const question = currentQuestion(run);
  if (isSolved(run) || choice < 0 || choice >= question.choices.length) return { run, over: false };
  // A wrong choice picked again shows its explanation again; it is not a new try.
  if (run.picked.includes(choice))
    return {
      run: { ...run, cursor: choice, chooseFirst: false, picked: [...run.picked.filter((c) => c !== choice), choice] },
      over: false,
    };
  const next = { ...run, cursor: choice, chooseFirst: false, picked: [...run.picked, choice] };
  if (!question.choices[choice]!.correct) return { run: next, over: false };
  const tries = next.picked.length;
  return {
    run: next,
    answered: { id: question.id, answer: { step: question.step, firstTry: tries === 1, tries } },
    over: false,
  };
}

/** The questions of a step still to ask: those not answered in this run or an earlier one. */
export function unansweredFor(
  step: StepId,
  questions: readonly QuizQuestion[],
  answers: Readonly<Record<string, QuizAnswer>>,
): QuizQuestion[] {
  return questions.filter((q) => q.step === step && answers[q.id] === undefined);
}

export interface QuizScore {
  /** Questions answered right at the first pick. */
  firstTry: number;
  answered: number;
  /** Questions in the curriculum. */
  total: number;
  questions: { id: string; step: StepId; answered: boolean; firstTry: boolean; tries: number }[];
}

/**
 * The score kept in a loaded progress: first-try right out of all the questions, and how each
 * question went (a question never answered counts as not right, with 0 tries). Answers to
 * questions no longer in the curriculum are left out.
 */
export function quizScore(progress: Progress | undefined, questions: readonly QuizQuestion[]): QuizScore {
  const recorded = quizAnswersOf(progress);
  const rows = questions.map((q) => {
    const answer = recorded[q.id];
    return {
      id: q.id,
      step: q.step,
      answered: answer !== undefined,
      firstTry: answer?.firstTry ?? false,
      tries: answer?.tries ?? 0,
    };
  });
  return {
    firstTry: rows.filter((r) => r.firstTry).length,
    answered: rows.filter((r) => r.answered).length,
    total: rows.length,
    questions: rows,
  };
}

/** The answers a progress file holds (none in a file written before quizzes existed). */
export function quizAnswersOf(progress: Progress | undefined): Record<string, QuizAnswer> {
  const answers: Record<string, QuizAnswer> = {};
  for (const [id, record] of Object.entries(progress?.quiz ?? {}))
    answers[id] = { step: record.step as StepId, firstTry: record.firstTry, tries: record.tries };
  return answers;
}

/** The progress with the answers it does not have yet; the first answer to a question is the one kept. */
export function recordQuizAnswers(
  progress: Progress,
  answers: Readonly<Record<string, QuizAnswer>>,
  now: string,
): Progress {
  const added = Object.entries(answers).filter(([id]) => progress.quiz[id] === undefined);
  if (added.length === 0) return progress;
  const quiz = { ...progress.quiz };
  for (const [id, answer] of added) quiz[id] = { ...answer, at: now };
  return { ...progress, quiz, updatedAt: now };
}
