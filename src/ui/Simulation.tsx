// What the screen adds in a simulation: the banner on every frame, and at the recorded failure
// what happened in the recorded run. Draw-only.
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { say } from '../engine/plan.js';
import type { Lang } from '../engine/types.js';
import { proseLines, wrapHanging } from './prose.js';
import { SIMULATION_MARK, simulationWords, type SimulationInfo } from './simulation-text.js';
import { useTerminalSize } from './terminal-size.js';

/** `oneRow`: on a terminal too small for the running screen, the mark and as much of the words as fit. */
export function SimulationBanner({
  info,
  lang,
  oneRow = false,
}: {
  info: SimulationInfo;
  lang: Lang;
  oneRow?: boolean;
}) {
  const { columns } = useTerminalSize();
  if (oneRow)
    return (
      <Text color="magenta" wrap="truncate">
        <Text bold>{SIMULATION_MARK}</Text> —{' '}
        {simulationWords(lang).screenBanner({ date: info.recordedAt.slice(0, 10) })}
      </Text>
    );
  // Wrapped here, once, inside the border and its padding: the mark stays whole on the first line.
  const [first = '', ...rest] = wrapHanging(
    `${SIMULATION_MARK} — ${simulationWords(lang).screenBanner({ date: info.recordedAt.slice(0, 10) })}`,
    Math.max(20, columns - 4),
  );
  return (
    <Box borderStyle="double" borderColor="magenta" paddingX={1}>
      <Text>
        <Text bold color="magenta">
          {SIMULATION_MARK}
        </Text>
        <Text color="magenta">{[first.slice(SIMULATION_MARK.length), ...rest].join('\n')}</Text>
      </Text>
    </Box>
  );
}

/**
 * At the recorded failure: first only the evidence nginx gave, so that a class can find the cause
 * itself; [e] then shows what was broken and how the recorded run fixed it. The toggle is the
 * view's own (what is shown), never an event of the run.
 */
export function IncidentNote({
  incident,
  lang,
  grown,
}: {
  incident: NonNullable<SimulationInfo['incident']>;
  lang: Lang;
  /** Told when [e] makes the note taller. */
  grown?: () => void;
}) {
  const [explained, setExplained] = useState(false);
  useInput((input) => {
    if (input !== 'e' || explained) return;
    setExplained(true);
    grown?.();
  });
  const words = simulationWords(lang);
  const { columns } = useTerminalSize();
  const width = Math.max(20, columns - 4);
  const wrap = (text: string) => proseLines(text, width).join('\n');
  return (
    <Box flexDirection="column" marginTop={1} borderStyle="round" borderColor="magenta" paddingX={1}>
      <Text bold color="magenta">
        {words.recordedRun}
      </Text>
      <Text>{wrap(explained ? say(incident.cause, lang) : words.evidence)}</Text>
      {incident.evidence.map((line, i) => (
        <Text key={i} dimColor>
          {wrapHanging(line, width, '  ').join('\n')}
        </Text>
      ))}
      {explained ? (
        <>
          <Text>{wrap(say(incident.fix, lang))}</Text>
          <Text color="yellow">{wrap(say(incident.next, lang))}</Text>
        </>
      ) : (
        <Text color="yellow">{wrap(words.findIt)}</Text>
      )}
    </Box>
  );
}
