// Pitfall checks before a step's first action: the reducer's transitions, the session asking
// them, what the plain output and the screen show, and which pitfalls each platform gets.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { buildPlan, formatPlan } from '../../src/engine/plan.js';
import { allPlatforms, platformByName } from '../../src/engine/platforms.js';
import { WizardSession } from '../../src/engine/session.js';
import type { CheckResult } from '../../src/engine/types.js';
import { initialState, reduce, type WizardEvent, type WizardState } from '../../src/engine/wizard.js';
import { App } from '../../src/ui/App.js';
import { plainPrinter } from '../../src/ui/plain.js';
import { curriculum } from '../../steps/index.js';
import {
  check,
  commandAction,
  commandSaw,
  en,
  FakeSystem,
  makeContext,
  planOf,
  plain,
  sleep,
  step,
  waitFor,
} from '../helpers.js';

const ok = (checkId: string): CheckResult => ({
  checkId,
  ok: true,
  observed: commandSaw(0),
});
const bad = (checkId: string): CheckResult => ({
  checkId,
  ok: false,
  observed: commandSaw(1),
});

function play(state: WizardState, ...events: WizardEvent[]): WizardState {
  return events.reduce(reduce, state);
}

const portTaken = check('port-80', {
  title: en('port 80 is free or held by nginx'),
  found: en('another program holds port 80: {output}'),
  tryThis: en('Stop that program before going on.'),
});

/** uwsgi: probed first, then a pitfall check, one command. nginx: a pitfall check, no probing. Then a lesson. */
const plan = planOf(
  step('uwsgi', {
    probeBeforeRun: true,
    preflight: [check('gcc')],
    actions: [commandAction('pip', 'pip install uwsgi')],
    checks: [check('version')],
  }),
  step('nginx', {
    preflight: [portTaken],
    actions: [commandAction('restart', 'service nginx restart')],
    checks: [check('page')],
  }),
  step('conclusion', { preflight: [check('never-asked')] }),
);

describe('reduce: pitfall checks', () => {
  it('a step not done yet asks its pitfalls after probing, then confirms its first action with the warnings kept', () => {
    let state = play(initialState(plan), { type: 'probed', results: [bad('version')] });
    assert.deepEqual(state.phase, { kind: 'preflight' });
    state = play(state, { type: 'preflighted', results: [bad('gcc')] });
    assert.deepEqual(state.phase, { kind: 'confirm', action: 0 });
    assert.deepEqual(state.preflightResults, [bad('gcc')]);
  });

  it('a step already done asks no pitfall: the next step begins with its own', () => {
    const state = play(initialState(plan), { type: 'probed', results: [ok('version')] });
    assert.equal(state.statuses.uwsgi, 'already-done');
    assert.equal(state.stepIndex, 1);
    assert.deepEqual(state.phase, { kind: 'preflight' });
  });

  it('a step that is not probed asks its pitfalls first', () => {
    const state = initialState(plan, { startAt: 1, statuses: {} });
    assert.deepEqual(state.phase, { kind: 'preflight' });
  });

  it('a failed pitfall never stops the step: continue runs the action', () => {
    const state = play(
      initialState(plan, { startAt: 1, statuses: {} }),
      { type: 'preflighted', results: [bad('port-80')] },
      { type: 'continue', at: 5 },
    );
    assert.deepEqual(state.phase, { kind: 'running', action: 0, startedAt: 5 });
  });

  it('the warnings belong to their step: the next step starts without them', () => {
    const state = play(
      initialState(plan, { startAt: 1, statuses: {} }),
      { type: 'preflighted', results: [bad('port-80')] },
      { type: 'continue', at: 1 },
      { type: 'action-finished', ok: true },
      { type: 'checked', results: [ok('page')] },
    );
    assert.equal(state.stepIndex, 2);
    assert.deepEqual(state.preflightResults, []);
  });

  it('a step without actions (a lesson) reads, it asks no pitfall', () => {
    const state = initialState(plan, { startAt: 2, statuses: {} });
    assert.deepEqual(state.phase, { kind: 'reading' });
  });

  it('quit while the pitfalls are asked ends the run; a late answer changes nothing', () => {
    const quit = play(initialState(plan, { startAt: 1, statuses: {} }), { type: 'quit' });
    assert.deepEqual(quit.phase, { kind: 'quit', reason: 'user' });
    assert.equal(play(quit, { type: 'preflighted', results: [] }), quit);
  });

  it('preflighted outside its phase is ignored', () => {
    const confirming = play(initialState(plan, { startAt: 1, statuses: {} }), { type: 'preflighted', results: [] });
    assert.equal(play(confirming, { type: 'preflighted', results: [bad('port-80')] }), confirming);
  });
});

describe('the session and the plain output', () => {
  it('asks the pitfalls before the first command, prints each, and goes on when one is found', async () => {
    const fake = new FakeSystem({
      probe: (name) =>
        name === 'port-80'
          ? { ok: false, observed: commandSaw(1, 'LISTEN 0 511 0.0.0.0:80 users:(("apache2",pid=812,fd=4))') }
          : true,
    });
    const nginxOnly = planOf(plan.steps[1]!);
    const printed: string[] = [];
    const log: string[] = [];
    const session = new WizardSession(nginxOnly, fake, {
      auto: true,
      pollMs: 2,
      transcript: { write: (text) => log.push(text) },
    });
    session.subscribe(plainPrinter((text) => printed.push(text), 'en', session.getState()));
    const state = await session.run();

    assert.equal(state.statuses.nginx, 'done');
    assert.deepEqual(fake.performed, ['restart']);
    assert.equal(fake.timesAsked('port-80'), 1);
    const out = printed.join('');
    const warning = out.indexOf(
      '  ⚠ warning: another program holds port 80: LISTEN 0 511 0.0.0.0:80 users:(("apache2",pid=812,fd=4))\n',
    );
    assert.ok(warning >= 0 && warning < out.indexOf('$ service nginx restart'), out);
    assert.ok(out.includes('      what happens: Stop that program before going on.'), out);
    assert.ok(
      log.join('').includes('before WARN port-80: {"kind":"command","exitCode":1,"output":["LISTEN 0 511'),
      'the transcript records it',
    );
  });

  it('prints a passed pitfall as one line', async () => {
    const session = new WizardSession(planOf(plan.steps[1]!), new FakeSystem(), { auto: true, pollMs: 2 });
    const printed: string[] = [];
    session.subscribe(plainPrinter((text) => printed.push(text), 'en', session.getState()));
    await session.run();
    assert.ok(printed.includes('  ✓ port 80 is free or held by nginx\n'), printed.join(''));
  });
});

describe('the screen', () => {
  let unmount: (() => void) | undefined;
  afterEach(() => unmount?.());

  it('shows a warning with what was found and what happens, above the first command', async () => {
    const fake = new FakeSystem({
      probe: (name) => (name === 'port-80' ? { ok: false, observed: commandSaw(1, 'apache2 holds it') } : true),
    });
    const session = new WizardSession(planOf(plan.steps[1]!), fake, { auto: false, pollMs: 2 });
    const instance = render(createElement(App, { session, lang: 'en', auto: false }));
    unmount = instance.unmount;
    void session.run();
    const screen = () => plain(instance.lastFrame());
    await waitFor(() => screen().includes('[Enter] run it'), `the first command:\n${screen()}`);
    const frame = screen();
    assert.ok(frame.includes('⚠ warning: another program holds port 80: apache2 holds it'), frame);
    assert.ok(frame.includes('what happens: Stop that program before going on.'), frame);
    assert.ok(frame.indexOf('⚠ warning') < frame.indexOf('$ service nginx restart'), frame);
    assert.ok(
      frame.includes('Machine: Debian GNU/Linux 12 (bookworm) · debian-12-noinit · no service manager · Python 3.11'),
      frame,
    );
    session.interrupt();
    await sleep(10);
  });
});

describe('the pitfalls of the curriculum', () => {
  const preflightIds = (id: string) => {
    const p = buildPlan(curriculum, makeContext({ platform: platformByName(id)! }));
    return Object.fromEntries(
      p.steps.filter((s) => s.preflight?.length).map((s) => [s.id, s.preflight!.map((c) => c.id)]),
    );
  };

  it('each is asked before the step it would break', () => {
    assert.deepEqual(preflightIds('debian-12'), {
      packages: ['dpkg-unfinished'],
      uwsgi: ['compiler-present', 'python-headers-present', 'no-apt-uwsgi-on-path'],
      'test-run': ['uwsgi-by-hand-before-test-run', 'test-port-unused', 'ufw-before-test-run'],
      service: ['uwsgi-by-hand-before-service'],
      nginx: ['no-other-default-site', 'server-name-free', 'port-80-nginx-or-free', 'ufw-before-nginx'],
    });
  });

  it('the home directory is looked at only where the socket goes there: the guide layout', () => {
    assert.deepEqual(preflightIds('ubuntu-14.04').service, [
      'uwsgi-by-hand-before-service',
      'app-dir-reachable-by-web',
    ]);
    for (const platform of allPlatforms().filter((p) => !p.socketInAppDir))
      assert.deepEqual(preflightIds(platform.id).service, ['uwsgi-by-hand-before-service'], platform.id);
  });

  it('they only read: no command that writes, removes or restarts', () => {
    for (const platform of allPlatforms()) {
      for (const s of buildPlan(curriculum, makeContext({ platform, runningAs: 'admin' })).steps) {
        for (const c of s.preflight ?? []) {
          // A uwsgi probe only reads /proc; the stop its take-over offers is the person's choice, shown first.
          assert.ok(c.probe.kind === 'command' || c.probe.kind === 'uwsgi', `${c.id}: ${c.probe.kind}`);
          if (c.probe.kind === 'command')
            assert.doesNotMatch(
              c.probe.command,
              /\b(rm|mv|chmod|setfacl|install|restart|reload|stop|start|allow)\b|[^2]>[^&]/,
              `${c.id}: ${c.probe.command}`,
            );
        }
      }
    }
  });

  it("--dry-run lists them before the step's actions", () => {
    const text = formatPlan(buildPlan(curriculum, makeContext({ platform: platformByName('debian-12')! })), 'en');
    const nginx = text.slice(text.indexOf('[nginx]'));
    assert.ok(
      nginx.indexOf("first asks: no other enabled site is nginx's default server") <
        nginx.indexOf('file: /etc/nginx/sites-available/myapp'),
      nginx,
    );
  });
});
