// Mounting the wizard's screen in the ink test renderer, and typing on it as a person would.
import { render } from 'ink-testing-library';
import type { WizardSession } from '../../src/engine/session.js';
import { App, type AppProps } from '../../src/ui/App.js';
import { plain, sleep, waitFor } from '../helpers.js';

/** The test terminal at `columns` (ink-testing-library's is 100), as when a person resizes theirs. */
export function setColumns(stdout: NodeJS.EventEmitter, columns: number): void {
  Object.defineProperty(stdout, 'columns', { value: columns, configurable: true });
  stdout.emit('resize');
}

/**
 * Mount the screen over a session and start it (at `columns`, if given). `until` waits for text, `press` types one key and
 * waits for the screen to answer (then, if given, for `then`), `type` types a key that should
 * change nothing.
 */
export async function mountScreen(session: WizardSession, props: Partial<AppProps> = {}, columns?: number) {
  const instance = render(<App session={session} lang="en" auto={false} {...props} />);
  if (columns !== undefined) setColumns(instance.stdout, columns);
  const finished = session.run();
  const keys = typing(instance);
  // ink attaches its input listener after the first render.
  await sleep(20);
  return { session, finished, ...keys, unmount: instance.unmount, stdout: instance.stdout };
}

/** Reading a screen drawn by the test renderer, and typing on it (as mountScreen says). */
export function typing(instance: ReturnType<typeof render>) {
  const screen = () => plain(instance.lastFrame());
  const until = async (text: string) => waitFor(() => screen().includes(text), `"${text}" on screen:\n${screen()}`);
  const press = async (key: string, then?: string) => {
    const before = instance.frames.length;
    instance.stdin.write(key);
    await waitFor(() => instance.frames.length > before, `a frame after ${JSON.stringify(key)}`);
    if (then !== undefined) await until(then);
  };
  const type = async (key: string) => {
    instance.stdin.write(key);
    await sleep(30);
  };
  return { screen, until, press, type };
}
