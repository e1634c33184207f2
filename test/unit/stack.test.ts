// The stack line's status: which probes the plan gives, how their answers read, when they are asked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProbeAnswer } from '../../src/engine/ports.js';
import { WizardSession } from '../../src/engine/session.js';
import { readStack, StackMonitor, stackProbes, type StackPartId } from '../../src/engine/stack.js';
import { formatStackLine } from '../../src/ui/stack-line.js';
import { buildPlan } from '../../src/engine/plan.js';
import { curriculum } from '../../steps/index.js';
import { check, commandAction, en, everyContext, FakeSystem, planFor, planOf, step, waitFor } from '../helpers.js';

const down: Record<StackPartId, ProbeAnswer> = {
  nginx: { ok: false, observed: { kind: 'processes', running: 0 } },
  socket: { ok: false, observed: { kind: 'socket', exists: false } },
  uwsgi: { ok: false, observed: { kind: 'processes', running: 0 } },
  app: { ok: false, observed: { kind: 'http', error: 'ECONNREFUSED' } },
};

describe('stack probes', () => {
  it('ask for the planned app: nginx master, its socket with the web group, the venv uwsgi of the user, the page through nginx', () => {
    const probes = stackProbes(planFor());
    assert.deepEqual(probes.socket, { kind: 'socket', path: '/run/myapp/myapp.sock', mode: 0o664, group: 'www-data' });
    assert.deepEqual(probes.uwsgi, {
      kind: 'processes',
      user: 'demo',
      match: '/home/demo/myapp/myappenv/bin/uwsgi',
      count: -1,
    });
    assert.deepEqual(probes.app, {
      kind: 'http',
      url: 'http://127.0.0.1/',
      host: 'example.com',
      expectBody: 'Hello There!',
    });
    assert.equal(probes.nginx.kind, 'processes');
  });

  it("are the steps' own: the socket of the service step's check, the page of the nginx and conclusion checks", () => {
    for (const { name, ctx } of everyContext()) {
      const plan = buildPlan(curriculum, ctx);
      const probes = stackProbes(plan);
      const checkProbe = (stepId: string, checkId: string) =>
        plan.steps.find((s) => s.id === stepId)?.checks.find((c) => c.id === checkId)?.probe;
      assert.deepEqual(checkProbe('service', 'service-socket'), probes.socket, name);
      assert.deepEqual(checkProbe('nginx', 'page-through-nginx'), probes.app, name);
      assert.deepEqual(checkProbe('conclusion', 'final-page'), probes.app, name);
    }
  });
});

describe('readStack', () => {
  it('reads nothing running as every part down', () => {
    assert.deepEqual(readStack(down), {
      nginx: { state: 'down' },
      socket: { state: 'down' },
      uwsgi: { state: 'down' },
      app: { state: 'down' },
    });
  });

  it('counts the workers besides the master, and reads the page status', () => {
    const alive = readStack({
      nginx: { ok: false, observed: { kind: 'processes', running: 1 } },
      socket: { ok: true, observed: { kind: 'socket', exists: true, isSocket: true, mode: 0o664, group: 'www-data' } },
      uwsgi: { ok: false, observed: { kind: 'processes', running: 6 } },
      app: { ok: true, observed: { kind: 'http', status: 200, body: 'Hello There!' } },
    });
    assert.deepEqual(alive, {
      nginx: { state: 'alive' },
      socket: { state: 'alive' },
      uwsgi: { state: 'alive', detail: '5' },
      app: { state: 'alive', detail: '200' },
    });
    assert.equal(
      formatStackLine(alive, 'en'),
      'stack: browser ─▶ nginx ● ─▶ socket ● ─▶ uWSGI ● 5 workers ─▶ app ● 200',
    );
    assert.equal(
      formatStackLine(alive, 'ja'),
      '構成: ブラウザー ─▶ nginx ● ─▶ ソケット ● ─▶ uWSGI ● ワーカー 5 ─▶ アプリ ● 200',
    );
  });

  it('marks a socket of the wrong group and a 502 as trouble, with what was found', () => {
    const broken = readStack({
      ...down,
      nginx: { ok: false, observed: { kind: 'processes', running: 1 } },
      socket: { ok: false, observed: { kind: 'socket', exists: true, isSocket: true, mode: 0o664, group: 'sammy' } },
      app: { ok: false, observed: { kind: 'http', status: 502, body: '502 Bad Gateway' } },
    });
    assert.deepEqual(broken.socket, { state: 'trouble', socket: { mode: 0o664, group: 'sammy' } });
    assert.deepEqual(broken.app, { state: 'trouble', detail: '502' });
    assert.match(formatStackLine(broken, 'en'), /socket ✗ mode 664, group sammy ─▶ uWSGI ○ ─▶ app ✗ 502$/);
    assert.match(formatStackLine(broken, 'ja'), /ソケット ✗ モード 664、グループ sammy ─▶ uWSGI ○ ─▶ アプリ ✗ 502$/);
  });

  it('reads a path that is there but not a socket as down, and another page than the app as down', () => {
    const other = readStack({
      ...down,
      socket: {
        ok: false,
        observed: { kind: 'socket', exists: true, isSocket: false, mode: 0o644, group: 'www-data' },
      },
      app: { ok: false, observed: { kind: 'http', status: 200, body: 'Welcome to nginx!' } },
    });
    assert.deepEqual(other.socket, { state: 'down' });
    assert.deepEqual(other.app, { state: 'down' });
  });
});

describe('StackMonitor', () => {
  it('asks at the start and after each step, not while a command runs', async () => {
    const plan = planOf(
      step('packages', {
        actions: [commandAction('a', 'apt-get install nginx'), commandAction('b', 'true')],
        checks: [check('ok')],
      }),
      step('conclusion', {}),
    );
    const machine = { nginxUp: false };
    const fake = new FakeSystem({
      probe: (name, _asked, probe) =>
        probe.kind === 'processes' && probe.user === 'root'
          ? { ok: false, observed: { kind: 'processes', running: machine.nginxUp ? 1 : 0 } }
          : name === 'ok',
      commands: { a: { output: ['Setting up nginx\n'] } },
    });
    const session = new WizardSession(plan, fake, { auto: true, pollMs: 1 });
    const monitor = new StackMonitor(plan, fake);
    const seen: string[] = [];
    monitor.subscribe(() => seen.push(monitor.getState().nginx.state));
    monitor.follow(session);
    session.subscribe((_state, event) => {
      if (event.type === 'action-finished') machine.nginxUp = true;
    });
    await session.run();
    await monitor.settled();
    await waitFor(() => seen.at(-1) === 'alive', 'nginx seen alive');
    assert.deepEqual(seen, ['down', 'alive']);
    // Start, packages done, conclusion done (finished): 3 rounds of 4 probes; none during the two commands.
    assert.equal(fake.timesAsked(JSON.stringify(stackProbes(plan).nginx)), 3);
  });

  it("is asked again once a step is done and its quiz holds the screen: the service's uWSGI shows alive under the quiz", async () => {
    const question = {
      id: 'q1',
      step: 'service' as const,
      question: en('?'),
      choices: [{ text: en('a'), correct: true, why: en('b') }],
    };
    const plan = planOf(step('service', { actions: [commandAction('start', 'start myapp')], checks: [check('ok')] }));
    const machine = { started: false };
    const fake = new FakeSystem({
      probe: (name, _asked, probe) =>
        probe.kind === 'processes' && probe.user !== 'root'
          ? { ok: false, observed: { kind: 'processes', running: machine.started ? 6 : 0 } }
          : name === 'ok',
    });
    const session = new WizardSession(plan, fake, {
      auto: false,
      pollMs: 1,
      quiz: { questions: [question], answered: {} },
    });
    const monitor = new StackMonitor(plan, fake);
    monitor.follow(session);
    session.subscribe((_state, event) => {
      if (event.type === 'action-finished') machine.started = true;
    });
    const done = session.run();
    await waitFor(() => session.getState().phase.kind === 'confirm', 'the command offered');
    session.dispatch({ type: 'continue', at: 0 });
    await waitFor(() => session.getState().phase.kind === 'quiz', 'the quiz');
    await monitor.settled();
    assert.deepEqual(monitor.getState().uwsgi, { state: 'alive', detail: '5' });
    session.interrupt();
    await done;
  });
});
