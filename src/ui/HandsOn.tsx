// Hands-on mode's screen (issue 7): what the student types in their own shell, the hints asked
// so far, the wrong moves recognised, and what the wizard watches for. It only draws.
import { Box, Text } from 'ink';
import { handsOnStages } from '../engine/hands-on.js';
import { octal, say } from '../engine/plan.js';
import type { Lang, PlannedStep } from '../engine/types.js';
import type { WizardState } from '../engine/wizard.js';
import type { Labels } from './labels.js';
import { DiffLines } from './DiffLines.js';
import { sameKind } from './marks.js';
import { diffLines, foundText } from './probe-text.js';

export function HandsOnView({
  state,
  step,
  l,
  lang,
}: {
  state: WizardState;
  step: PlannedStep;
  l: Labels;
  lang: Lang;
}) {
  const { phase } = state;
  const handsOn = step.handsOn;
  if (phase.kind !== 'hands-on' || !handsOn) return null;
  const level = state.hints[step.id] ?? 0;
  const stages = handsOnStages(step);
  const watched = stages[phase.stage] ?? [];
  return (
    <Box flexDirection="column">
      {step.actions.map((action, i) => {
        const typed = handsOn.typed[i]!;
        const kind = action.kind === 'command' ? l.command : l.file;
        const same = sameKind(step, i);
        const heading = `${kind} ${same.indexOf(action) + 1} ${l.of} ${same.length} — ${say(action.explain, lang)}`;
        return (
          <Box
            key={action.id}
            flexDirection="column"
            marginTop={1}
            borderStyle="single"
            borderColor="blue"
            paddingX={1}
          >
            <Text dimColor>{heading}</Text>
            {action.kind === 'command' ? (
              <>
                <Text dimColor>
                  {l.handsOn.typeThis} ({l.handsOn.as} {typed.as}
                  {typed.cwd ? `, ${l.in}: ${typed.cwd}` : ''}):
                </Text>
                <Text bold>$ {typed.line}</Text>
              </>
            ) : (
              <>
                <Text dimColor>
                  {l.handsOn.writeFile} ({l.handsOn.as} {typed.as}):
                </Text>
                <Text bold>
                  {action.path}{' '}
                  <Text dimColor>
                    ({l.owner} {action.owner}:{action.group}, {l.mode} {octal(action.mode)})
                  </Text>
                </Text>
                <Text color="green">{action.content.replace(/\n$/, '')}</Text>
              </>
            )}
          </Box>
        );
      })}
      {level >= 1 ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color="cyan" bold>
            {l.handsOn.hintWords}
          </Text>
          <Text>{say(handsOn.whatToDo, lang)}</Text>
        </Box>
      ) : null}
      {level >= 2 ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color="cyan" bold>
            {l.handsOn.hintExact} {handsOn.exactAs}:
          </Text>
          {handsOn.exactCommands.map((line, i) => (
            <Text key={i}>{line}</Text>
          ))}
        </Box>
      ) : null}
      {state.wrongMoves.map((seen) => {
        const move = handsOn.wrongMoves.find((m) => m.id === seen.id);
        return move ? (
          <Box key={seen.id} flexDirection="column" marginTop={1}>
            <Text color="yellow" bold>
              ! {l.handsOn.wrongMove}: {say(move.hint, lang)}
            </Text>
            <Text color="yellow">
              {'  '}
              {l.handsOn.seen}: {seen.found}
            </Text>
          </Box>
        ) : null;
      })}
      {phase.stage > 0 ? (
        <Box marginTop={1}>
          <Text color="green" bold>
            ✓ {l.handsOn.pageSeen}
          </Text>
        </Box>
      ) : null}
      <Box flexDirection="column" marginTop={1}>
        {watched.map((check) => {
          const result = state.checkResults.find((r) => r.checkId === check.id);
          return (
            <Box key={check.id} flexDirection="column">
              <Text color={result?.ok ? 'green' : undefined} dimColor={!result?.ok}>
                {result?.ok ? '✓' : '·'} {say(check.title, lang)}
                {result && !result.ok ? ` — ${l.handsOn.notYet}: ${foundText(result.observed, lang, check.probe)}` : ''}
              </Text>
              {result && !result.ok ? <DiffLines lines={diffLines(result.observed, lang)} /> : null}
            </Box>
          );
        })}
      </Box>
    </Box>
  );
}
