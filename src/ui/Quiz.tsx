// A step's quiz: the question, its choices, and the explanation of the last one picked. Draws
// only; the flow is the wizard's reducer (phase 'quiz', src/engine/quiz.ts).
import { Box, Text } from 'ink';
import { say } from '../engine/plan.js';
import { currentQuestion, isSolved, type QuizRun } from '../engine/quiz.js';
import type { Lang } from '../engine/types.js';
import type { Labels } from './labels.js';
import { wrapHanging } from './prose.js';
import { useTerminalSize } from './terminal-size.js';

/** The keys that apply now: choose, go to the next question, or leave the quiz. */
export function quizKeys(run: QuizRun, l: Labels): string {
  if (!isSolved(run)) return l.quiz.keys({ n: currentQuestion(run).choices.length });
  return run.index + 1 < run.questions.length ? l.quiz.keysNext : l.quiz.keysDone;
}

export function QuizView({ run, l, lang }: { run: QuizRun; l: Labels; lang: Lang }) {
  const { columns } = useTerminalSize();
  // Inside the box: a border and a space of padding on each side. Each text is wrapped here, once,
  // so that a choice's later lines hang under its words, not under its number.
  const width = Math.max(20, columns - 4);
  const question = currentQuestion(run);
  const solved = isSolved(run);
  const last = run.picked.at(-1);
  const shown = last === undefined ? undefined : question.choices[last];
  // Japanese runs on after 。 without a space.
  const why = shown
    ? `${shown.correct ? l.quiz.right : l.quiz.wrong}${lang === 'ja' ? '' : ' '}${say(shown.why, lang)}`
    : '';
  return (
    <Box flexDirection="column" marginTop={1} borderStyle="round" borderColor="magenta" paddingX={1}>
      <Text bold color="magenta">
        {l.quiz.title} · {l.quiz.question} {run.index + 1} {l.of} {run.questions.length}
      </Text>
      <Text bold>{wrapHanging(say(question.question, lang), width).join('\n')}</Text>
      {question.choices.map((choice, i) => {
        const picked = run.picked.includes(i);
        const pointed = i === run.cursor && !solved;
        const lead = `${pointed ? '▶' : ' '} ${picked ? (choice.correct ? '✓' : '✗') : ' '} ${i + 1}. `;
        return (
          <Text
            key={i}
            color={picked ? (choice.correct ? 'green' : 'red') : pointed ? 'cyan' : undefined}
            dimColor={solved && !picked}
          >
            {wrapHanging(say(choice.text, lang), width, lead).join('\n')}
          </Text>
        );
      })}
      {shown ? (
        <Box marginTop={1}>
          <Text color={shown.correct ? 'green' : 'yellow'}>{wrapHanging(why, width).join('\n')}</Text>
        </Box>
      ) : run.chooseFirst ? (
        <Box marginTop={1}>
          <Text color="yellow">{wrapHanging(l.quiz.chooseFirst, width).join('\n')}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
