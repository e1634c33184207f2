// What one step of the curriculum is: a single module (steps/<name>.ts) that holds everything
// about it — its plan (text, actions, checks), the pitfalls asked before it, what hands-on mode
// tells a student who does it by hand, the wrong moves to recognise, and its quiz. The machinery
// here reads those parts for every step alike: nothing has a case per step.
import type { QuizChoice, QuizQuestion } from '../src/engine/quiz.js';
import type {
  Check,
  CommandAction,
  PlanContext,
  PlannedStep,
  StepDefinition,
  StepId,
  Text,
  WrongMove,
} from '../src/engine/types.js';
import { handsOnFor } from './hands-on.js';

/** A pitfall of ../shared/notes/pitfalls.md that could break the step on some machines (steps/pitfalls.ts). */
export interface Pitfall {
  /** Whether it can happen with this plan on this platform. */
  applies?: (ctx: PlanContext) => boolean;
  check: (ctx: PlanContext) => Check;
  /** A command that puts it right, when there is one (Check.fix): offered only when the check finds the pitfall. */
  fix?: (ctx: PlanContext) => CommandAction;
}

/** A quiz question of a step: it is asked once that step is done, so it does not name the step. */
export type StepQuestion = Omit<QuizQuestion, 'step'>;

export interface StepModule<Id extends string = string> {
  /** Its identity: progress and quiz answers are stored by it. StepId is the union of the curriculum's ids. */
  id: Id;
  /** Section of the guide (1-based) this step teaches. */
  section: number;
  title: Text;
  /**
   * Whether the step is in this plan: the steps of a person's own project (`ctx.ownApp`) are planned only for it,
   * and the guide's hello world steps only without it. Absent: in every plan.
   */
  applies?: (ctx: PlanContext) => boolean;
  plan(ctx: PlanContext): Omit<PlannedStep, 'id' | 'section' | 'title' | 'preflight' | 'handsOn'>;
  /** Asked before the step's first action (PlannedStep.preflight), in this order. */
  pitfalls?: readonly Pitfall[];
  /**
   * Hint 1 of hands-on mode: the way there in words, without the command. A step with actions and
   * these words can be done by hand; what to type and the exact lines come from its actions.
   */
  whatToDo?: (ctx: PlanContext) => Text;
  /** The step's explanation for a student who types it, where it differs from the plan's (who stops a server). */
  explainByHand?: (ctx: PlanContext) => Text;
  /** Mistakes a student doing it by hand commonly makes, each found by a read-only probe (see steps/wrong-moves.ts). */
  wrongMoves?: readonly ((ctx: PlanContext) => WrongMove)[];
  /** Asked after the step is done; ids are stable, answers are recorded by them. */
  quiz?: readonly StepQuestion[];
  /** When its checks fail, the layers the doctor looks at (PlannedStep.doctor). */
  doctor?: PlannedStep['doctor'];
}

/** A step module, its id kept as the literal it declares (so that StepId can be derived from the curriculum). */
export function defineStep<const Id extends string>(step: StepModule<Id>): StepModule<Id> {
  return step;
}

/** The step as the engine plans it: its own plan, with its pitfall checks and its hands-on part added. */
export function definitionOf(step: StepModule<StepId>): StepDefinition {
  return {
    id: step.id,
    section: step.section,
    title: step.title,
    ...(step.applies ? { applies: step.applies } : {}),
    plan(ctx) {
      const planned = step.plan(ctx);
      const preflight = (step.pitfalls ?? [])
        .filter((p) => p.applies?.(ctx) ?? true)
        .map((p) => (p.fix ? { ...p.check(ctx), fix: p.fix(ctx) } : p.check(ctx)));
      const withDoctor = step.doctor ? { ...planned, doctor: step.doctor } : planned;
      const withPreflight = preflight.length > 0 ? { ...withDoctor, preflight } : withDoctor;
      const handsOn = handsOnFor(step, planned.actions, ctx);
      return handsOn ? { ...withPreflight, handsOn } : withPreflight;
    },
  };
}

/** Every step's quiz, in the curriculum's order, each question naming the step it follows. */
export function quizzesOf(steps: readonly StepModule<StepId>[]): QuizQuestion[] {
  return steps.flatMap((step) => (step.quiz ?? []).map(({ id, ...question }) => ({ id, step: step.id, ...question })));
}

/** A quiz choice that is right, with why. */
export function right(answer: Text, why: Text): QuizChoice {
  return { text: answer, correct: true, why };
}

/** A quiz choice that is wrong, with what is wrong with it: a wrong pick teaches too. */
export function wrong(answer: Text, why: Text): QuizChoice {
  return { text: answer, correct: false, why };
}
