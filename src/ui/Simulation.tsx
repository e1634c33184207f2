// What the screen adds in a simulation: the banner on every frame, and at the recorded failure
// what happened in the recorded run. Draw-only.
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { say } from '../engine/plan.js';
import type { Lang } from '../engine/types.js';
import { SIMULATION_MARK, simulationWords, type SimulationInfo } from './simulation-text.js';

export function SimulationBanner({ info, lang }: { info: SimulationInfo; lang: Lang }) {
  return (
    <Box borderStyle="double" borderColor="magenta" paddingX={1}>
      <Text>
        <Text bold color="magenta">
          {SIMULATION_MARK}
        </Text>
        <Text color="magenta"> — {simulationWords(lang).screenBanner({ date: info.recordedAt.slice(0, 10) })}</Text>
      </Text>
    </Box>
  );
}

/**
 * At the recorded failure: first only the evidence nginx gave, so that a class can find the cause
 * itself; [e] then shows what was broken and how the recorded run fixed it. The toggle is the
 * view's own (what is shown), never an event of the run.
 */
export function IncidentNote({ incident, lang }: { incident: NonNullable<SimulationInfo['incident']>; lang: Lang }) {
  const [explained, setExplained] = useState(false);
  useInput((input) => {
    if (input === 'e') setExplained(true);
  });
  const words = simulationWords(lang);
  return (
    <Box flexDirection="column" marginTop={1} borderStyle="round" borderColor="magenta" paddingX={1}>
      <Text bold color="magenta">
        {words.recordedRun}
      </Text>
      {explained ? <Text>{say(incident.cause, lang)}</Text> : <Text>{words.evidence}</Text>}
      {incident.evidence.map((line, i) => (
        <Text key={i} dimColor>
          {'  '}
          {line}
        </Text>
      ))}
      {explained ? (
        <>
          <Text>{say(incident.fix, lang)}</Text>
          <Text color="yellow">{say(incident.next, lang)}</Text>
        </>
      ) : (
        <Text color="yellow">{words.findIt}</Text>
      )}
    </Box>
  );
}
