// The stack line on the screen: in every step, each part marked as it comes alive.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { WizardSession } from '../../src/engine/session.js';
import { UNKNOWN_STACK, type StackStatus } from '../../src/engine/stack.js';
import { App } from '../../src/ui/App.js';
import type { StackView } from '../../src/ui/StackLine.js';
import { commandAction, FakeSystem, plain, planOf, sleep, step, waitFor } from '../helpers.js';

/** A stack status the test sets by hand, as the StackMonitor would after its probes. */
function stackStore(): StackView & { set(status: StackStatus): void } {
  let status = UNKNOWN_STACK;
  const listeners = new Set<() => void>();
  return {
    getState: () => status,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      status = next;
      for (const listener of listeners) listener();
    },
  };
}

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

describe('the stack line', () => {
  it('is drawn in each step and changes as nginx, the socket, uWSGI and the app come alive', async () => {
    const plan = planOf(
      step('packages', { actions: [commandAction('apt-install', 'apt-get install -y nginx')] }),
      step('nginx', { actions: [commandAction('restart', 'nginx -s reload')] }),
    );
    const session = new WizardSession(plan, new FakeSystem(), { auto: false, pollMs: 2 });
    const stack = stackStore();
    const instance = render(<App session={session} lang="en" auto={false} stack={stack} />);
    unmount = instance.unmount;
    void session.run();
    const line = () =>
      plain(instance.lastFrame())
        .split('\n')
        .find((l) => l.startsWith('stack:')) ?? '(no stack line)';
    await waitFor(() => line().includes('browser'), 'the stack line');
    assert.equal(line(), 'stack: browser ─▶ nginx … ─▶ socket … ─▶ uWSGI … ─▶ app …');

    stack.set({
      nginx: { state: 'alive' },
      socket: { state: 'down' },
      uwsgi: { state: 'down' },
      app: { state: 'down' },
    });
    await waitFor(() => line().includes('nginx ●'), `nginx alive in: ${line()}`);
    assert.equal(line(), 'stack: browser ─▶ nginx ● ─▶ socket ○ ─▶ uWSGI ○ ─▶ app ○');

    // The next step: the line is still there, and shows the rest coming alive.
    await sleep(20);
    instance.stdin.write('\r');
    await waitFor(() => plain(instance.lastFrame()).includes('Step 2 of 2'), 'step 2');
    stack.set({
      nginx: { state: 'alive' },
      socket: { state: 'trouble', detail: 'mode 664, group sammy' },
      uwsgi: { state: 'alive', detail: '5' },
      app: { state: 'trouble', detail: '502' },
    });
    await waitFor(() => line().includes('502'), `the 502 in: ${line()}`);
    assert.equal(
      line(),
      'stack: browser ─▶ nginx ● ─▶ socket ✗ mode 664, group sammy ─▶ uWSGI ● 5 workers ─▶ app ✗ 502',
    );
    stack.set({
      nginx: { state: 'alive' },
      socket: { state: 'alive' },
      uwsgi: { state: 'alive', detail: '5' },
      app: { state: 'alive', detail: '200' },
    });
    await waitFor(() => line().includes('app ●'), `the app alive in: ${line()}`);
    assert.equal(line(), 'stack: browser ─▶ nginx ● ─▶ socket ● ─▶ uWSGI ● 5 workers ─▶ app ● 200');
  });

  it('speaks Japanese with --lang ja', async () => {
    const plan = planOf(step('packages', { actions: [commandAction('apt-install', 'apt-get install -y nginx')] }));
    const session = new WizardSession(plan, new FakeSystem(), { auto: false, pollMs: 2 });
    const stack = stackStore();
    const instance = render(<App session={session} lang="ja" auto={false} stack={stack} />);
    unmount = instance.unmount;
    void session.run();
    stack.set({
      nginx: { state: 'alive' },
      socket: { state: 'alive' },
      uwsgi: { state: 'alive', detail: '1' },
      app: { state: 'down' },
    });
    await waitFor(
      () =>
        plain(instance.lastFrame()).includes(
          '構成: ブラウザー ─▶ nginx ● ─▶ ソケット ● ─▶ uWSGI ● ワーカー 1 ─▶ アプリ ○',
        ),
      `the Japanese line in:\n${plain(instance.lastFrame())}`,
    );
  });
});
