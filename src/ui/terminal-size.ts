// The terminal's size for a component, drawn again when the terminal is resized: ink lays the
// screen out again on a resize but does not render the components again, and what they cut to
// the width (the output pane's lines) or fit to the height would stay as it was.
import { useStdout } from 'ink';
import { useCallback, useSyncExternalStore } from 'react';

export interface TerminalSize {
  columns: number;
  rows: number;
}

export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const subscribe = useCallback(
    (onResize: () => void) => {
      stdout.on('resize', onResize);
      return () => void stdout.off('resize', onResize);
    },
    [stdout],
  );
  // Two numbers rather than one object: useSyncExternalStore compares what it reads by identity.
  const columns = useSyncExternalStore(subscribe, () => stdout.columns || 80);
  const rows = useSyncExternalStore(subscribe, () => stdout.rows || 40);
  return { columns, rows };
}
