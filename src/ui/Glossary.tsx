// The glossary overlay: every term, those the current step uses first. Draws only; its open /
// scrolled state is glossary-view.ts, its entries steps/glossary.ts.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { forStep, type GlossaryEntry } from '../engine/glossary.js';
import { say } from '../engine/plan.js';
import type { Lang, PlannedStep } from '../engine/types.js';
import type { Labels } from './labels.js';

export interface GlossaryOverlayProps {
  entries: readonly GlossaryEntry[];
  step: PlannedStep | undefined;
  top: number;
  /** Rows the list may take; what does not fit is reached by scrolling. */
  height: number;
  l: Labels;
  lang: Lang;
  /** Drawn under the list: what the wizard is doing meanwhile (a running command's spinner). */
  children?: ReactNode;
}

export function GlossaryOverlay({ entries, step, top, height, l, lang, children }: GlossaryOverlayProps) {
  const listed = forStep(entries, step);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold color="cyan">
        {l.glossary.title} ({Math.min(top + 1, listed.length)}/{listed.length}) <Text dimColor>{l.glossary.here}</Text>
      </Text>
      <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} height={height + 2} overflow="hidden">
        {listed.slice(top).map(({ entry, here }) => (
          <Box key={entry.term.en} flexDirection="column" flexShrink={0}>
            <Text bold color={here ? 'cyan' : undefined}>
              {here ? '▶ ' : '  '}
              {say(entry.term, lang)}
            </Text>
            <Box marginLeft={4}>
              <Text>{say(entry.definition, lang)}</Text>
            </Box>
          </Box>
        ))}
      </Box>
      <Text dimColor>{l.glossary.behind}</Text>
      {children}
      <Box marginTop={1}>
        <Text inverse> {l.glossary.keys} </Text>
      </Box>
    </Box>
  );
}
