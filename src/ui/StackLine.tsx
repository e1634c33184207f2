// The concept diagram as one line, each part marked as it comes alive. It only draws: the
// status comes from the StackMonitor the session's run is followed by.
import { Box, Text } from 'ink';
import { memo, useSyncExternalStore } from 'react';
import type { PartState, StackStatus } from '../engine/stack.js';
import type { Lang } from '../engine/types.js';
import { packItems } from './prose.js';
import { stackSegments, stackTitle } from './stack-line.js';
import { useTerminalSize } from './terminal-size.js';

export interface StackView {
  getState(): StackStatus;
  subscribe(listener: () => void): () => void;
}

const TONE: Record<PartState, string> = { unknown: 'gray', down: 'gray', alive: 'green', trouble: 'red' };

// A memo component: it draws again when the stack's state changes, not on every frame of output.
// On a narrow terminal the line goes on below, broken before an arrow, never inside a part.
export const StackLine = memo(function StackLine({ stack, lang }: { stack: StackView; lang: Lang }) {
  const status = useSyncExternalStore(stack.subscribe, stack.getState);
  const { columns } = useTerminalSize();
  const { title, browser } = stackTitle(lang);
  const segments = stackSegments(status, lang);
  const texts = segments.map((s) => `─▶ ${s.label} ${s.mark}${s.detail ? ` ${s.detail}` : ''}`);
  // Later rows begin two columns in, under the line's first word.
  const rows = packItems([`${title} ${browser}`, ...texts], columns - 2, ' ');
  const firstOf = rows.map((_, r) => rows.slice(0, r).reduce((n, row) => n + row.length, 0));
  return (
    <Box flexDirection="column">
      {rows.map((row, r) => (
        <Text key={r}>
          {r > 0 ? '  ' : ''}
          {row.map((_, i) => {
            const index = firstOf[r]! + i;
            if (index === 0)
              return (
                <Text key="head">
                  <Text dimColor>{title} </Text>
                  <Text>{browser}</Text>
                </Text>
              );
            const segment = segments[index - 1]!;
            return (
              <Text key={segment.part}>
                <Text dimColor>{i > 0 ? ' ' : ''}─▶ </Text>
                <Text color={TONE[segment.state]} bold={segment.state !== 'down' && segment.state !== 'unknown'}>
                  {segment.label} {segment.mark}
                  {segment.detail ? ` ${segment.detail}` : ''}
                </Text>
              </Text>
            );
          })}
        </Text>
      ))}
    </Box>
  );
});
