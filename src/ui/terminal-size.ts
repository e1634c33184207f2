// The terminal's size for a component, drawn again when the terminal is resized: ink lays the
// screen out again on a resize but does not render the components again, and what they cut to
// the width (the output pane's lines) or fit to the height would stay as it was.
import { useStdout } from 'ink';
import { useCallback, useSyncExternalStore } from 'react';

export interface TerminalSize {
  columns: number;
  rows: number;
}

// One 'resize' listener per terminal, whatever the number of components that follow its size:
// node warns past ten listeners on one stream.
const followers = new WeakMap<NodeJS.WriteStream, Set<() => void>>();

function follow(stdout: NodeJS.WriteStream, onResize: () => void): () => void {
  let set = followers.get(stdout);
  if (!set) {
    const created = new Set<() => void>();
    stdout.on('resize', () => {
      for (const listener of created) listener();
    });
    followers.set(stdout, created);
    set = created;
  }
  set.add(onResize);
  return () => void set.delete(onResize);
}

export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const subscribe = useCallback((onResize: () => void) => follow(stdout, onResize), [stdout]);
  // Two numbers rather than one object: useSyncExternalStore compares what it reads by identity.
  const columns = useSyncExternalStore(subscribe, () => stdout.columns || 80);
  const rows = useSyncExternalStore(subscribe, () => stdout.rows || 40);
  return { columns, rows };
}
