// The concept diagram as one line, each part marked as it comes alive. It only draws: the
// status comes from the StackMonitor the session's run is followed by.
import { Text } from 'ink';
import { memo, useSyncExternalStore } from 'react';
import type { PartState, StackStatus } from '../engine/stack.js';
import type { Lang } from '../engine/types.js';
import { stackSegments, stackTitle } from './stack-line.js';

export interface StackView {
  getState(): StackStatus;
  subscribe(listener: () => void): () => void;
}

const TONE: Record<PartState, string> = { unknown: 'gray', down: 'gray', alive: 'green', trouble: 'red' };

// A memo component: it draws again when the stack's state changes, not on every frame of output.
export const StackLine = memo(function StackLine({ stack, lang }: { stack: StackView; lang: Lang }) {
  const status = useSyncExternalStore(stack.subscribe, stack.getState);
  const { title, browser } = stackTitle(lang);
  return (
    <Text wrap="truncate">
      <Text dimColor>{title} </Text>
      <Text>{browser}</Text>
      {stackSegments(status, lang).map((segment) => (
        <Text key={segment.part}>
          <Text dimColor> ─▶ </Text>
          <Text color={TONE[segment.state]} bold={segment.state !== 'down' && segment.state !== 'unknown'}>
            {segment.label} {segment.mark}
            {segment.detail ? ` ${segment.detail}` : ''}
          </Text>
        </Text>
      ))}
    </Text>
  );
});
