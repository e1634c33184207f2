// The glossary overlay: every term, those the current step uses first. Draws only; its open /
// scrolled state is glossary-view.ts, its entries steps/glossary.ts.
import { Box, Text, useInput } from 'ink';
import { useRef, useState, type ReactNode } from 'react';
import { forStep, type GlossaryEntry } from '../engine/glossary.js';
import { say } from '../engine/plan.js';
import type { Lang, PlannedStep } from '../engine/types.js';
import {
  GLOSSARY_CLOSED,
  GLOSSARY_PAGE,
  reduceGlossaryView,
  type GlossaryView,
  type GlossaryViewEvent,
} from './glossary-view.js';
import type { Labels } from './labels.js';

/**
 * The overlay's state and keys: g opens and closes it; while it is open, arrows and page keys
 * scroll and Esc closes it. The screen's own keys must wait while `isOpen()`, and leave g and Esc
 * to it. `isOpen` reads a ref, not the rendered state: ink hands a key to the handlers of the last
 * effects that ran, and those may not have caught up with the latest render yet (an Enter typed
 * right after g would otherwise reach the step behind the overlay).
 */
export function useGlossaryOverlay(entries: number): { view: GlossaryView; isOpen: () => boolean } {
  const current = useRef(GLOSSARY_CLOSED);
  const [view, setView] = useState(GLOSSARY_CLOSED);
  const change = (event: GlossaryViewEvent) => {
    current.current = reduceGlossaryView(current.current, event);
    setView(current.current);
  };
  useInput((input, key) => {
    if (input === 'g' && !key.ctrl) return change({ type: 'toggle' });
    if (!current.current.open) return;
    if (key.escape) return change({ type: 'close' });
    if (key.upArrow || key.downArrow) return change({ type: 'scroll', by: key.upArrow ? -1 : 1, entries });
    if (key.pageUp || key.pageDown)
      return change({ type: 'scroll', by: key.pageUp ? -GLOSSARY_PAGE : GLOSSARY_PAGE, entries });
  });
  return { view, isOpen: () => current.current.open };
}

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
      <Box
        flexDirection="column"
        borderStyle="round"
        borderColor="cyan"
        paddingX={1}
        height={height + 2}
        overflow="hidden"
      >
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
