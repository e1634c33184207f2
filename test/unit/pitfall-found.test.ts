// Issue 15, item 13: a pitfall that was found is said in one sentence of its own ("the site `default` is nginx's
// default server: …"), not as its title read backwards ("no other enabled site is … — not so here") with the probe's
// "exit 1:" before what it printed; in both languages, in the plain output and on the screen.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { WizardSession } from '../../src/engine/session.js';
import type { Lang, PlannedStep } from '../../src/engine/types.js';
import { App } from '../../src/ui/App.js';
import { plainPrinter } from '../../src/ui/plain.js';
import { warningText } from '../../src/ui/probe-text.js';
import { commandAction, commandSaw, everyContext, FakeSystem, planFor, planOf, plain, waitFor } from '../helpers.js';
import { buildPlan } from '../../src/engine/plan.js';
import { curriculum } from '../../steps/index.js';

const nginxStep = planFor().steps.find((s) => s.id === 'nginx')!;
const defaultSite = nginxStep.preflight!.find((c) => c.id === 'no-other-default-site')!;

/** The nginx step with only its default-site pitfall, found: the site `default` answers other names. */
function withDefaultSite(): { step: PlannedStep; fake: FakeSystem } {
  const step: PlannedStep = {
    ...nginxStep,
    preflight: [defaultSite],
    actions: [commandAction('enable-site', 'ln')],
    checks: [],
    probeBeforeRun: false,
  };
  const fake = new FakeSystem({
    probe: (_name, _asked, probe) =>
      probe === defaultSite.probe ? { ok: false, observed: commandSaw(1, 'default') } : true,
  });
  return { step, fake };
}

const SAID: Record<Lang, string> = {
  en: "⚠ warning: the site `default` is nginx's default server: requests for other names land there.",
  ja: '⚠ 注意: サイト `default` が nginx の既定サーバーです。他の名前へのリクエストはそこに届きます。',
};

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

describe('a found pitfall in one sentence', () => {
  for (const lang of ['en', 'ja'] as const) {
    it(`plain output (${lang}): what was found, without "exit 1:" or the title read backwards`, async () => {
      const { step, fake } = withDefaultSite();
      const session = new WizardSession(planOf(step), fake, { auto: true, pollMs: 2 });
      let out = '';
      session.subscribe(plainPrinter((text) => (out += text), lang, session.getState()));
      await session.run();
      assert.ok(out.includes(`  ${SAID[lang]}\n`), out);
      assert.doesNotMatch(out, /exit 1|not so here|そうなっていません/);
    });

    it(`the screen (${lang}) says the same`, async () => {
      const { step, fake } = withDefaultSite();
      const session = new WizardSession(planOf(step), fake, { auto: false, pollMs: 2 });
      const instance = render(createElement(App, { session, lang, auto: false }));
      unmount = instance.unmount;
      const finished = session.run();
      const screen = () => plain(instance.lastFrame());
      await waitFor(() => screen().includes(SAID[lang]), `the sentence on screen:\n${screen()}`);
      assert.doesNotMatch(screen(), /exit 1|not so here|そうなっていません/);
      session.dispatch({ type: 'quit' });
      await finished;
    });
  }

  it('every pitfall of every platform has a sentence of its own, in both languages', () => {
    for (const { name, ctx } of everyContext()) {
      for (const step of buildPlan(curriculum, ctx).steps) {
        for (const pitfall of step.preflight ?? []) {
          assert.ok(pitfall.found?.en && pitfall.found.ja, `${name}: ${step.id}/${pitfall.id} has no found sentence`);
          assert.notEqual(pitfall.found.en, pitfall.found.ja, `${name}: ${step.id}/${pitfall.id} in Japanese`);
        }
      }
    }
  });
});

// Tried in tmux: a test server left on the test port was named as ss prints it ("LISTEN 0 100 0.0.0.0:8312 0.0.0.0:*
// users:((…))"), columns and all, not as a sentence.
describe('a port held by another program is said by the program and its pids, not in ss columns', () => {
  const pitfall = (stepId: string, id: string) =>
    planFor()
      .steps.find((s) => s.id === stepId)!
      .preflight!.find((c) => c.id === id)!;
  // The lines of `ss -ltnp sport = :PORT` as this machine printed them, past the header.
  const ss = (port: number, ...users: string[]) =>
    commandSaw(1, `LISTEN 0      100          0.0.0.0:${port}      0.0.0.0:*    users:(${users.join(',')})`);

  it('the test run: each program once, with every pid it holds the port by, in both languages', () => {
    const check = pitfall('test-run', 'test-port-unused');
    const held = ss(8080, '("uwsgi",pid=2814,fd=4)', '("uwsgi",pid=2813,fd=4)');
    assert.equal(warningText(check, held, 'en'), 'a program already listens on port 8080: uwsgi (pid 2814, 2813)');
    assert.equal(warningText(check, held, 'ja'), 'ポート 8080 はすでに使われています: uwsgi (pid 2814, 2813)');
  });

  it("nginx's port 80: another program than nginx, by its name", () => {
    const check = pitfall('nginx', 'port-80-nginx-or-free');
    const said = warningText(check, ss(80, '("apache2",pid=812,fd=4)', '("apache2",pid=813,fd=4)'), 'en');
    assert.equal(said, 'another program than nginx holds port 80: apache2 (pid 812, 813)');
    assert.doesNotMatch(said, /LISTEN|users:/);
  });

  it('a line naming no program (ss not allowed to see it) is kept, its columns closed up', () => {
    const check = pitfall('test-run', 'test-port-unused');
    const unnamed = commandSaw(1, 'LISTEN 0      100          0.0.0.0:8080      0.0.0.0:*');
    assert.equal(
      warningText(check, unnamed, 'en'),
      'a program already listens on port 8080: LISTEN 0 100 0.0.0.0:8080 0.0.0.0:*',
    );
  });
});

// Tried in tmux: a test server left on the test port got the take-over's warning (Enter stops it) and a second one,
// "a program already listens on port 8312 … Stop it, or run the wizard again with another --test-port".
describe("the test port held by uWSGI is the take-over's alone; by another program, it is warned about", () => {
  const check = planFor()
    .steps.find((s) => s.id === 'test-run')!
    .preflight!.find((c) => c.id === 'test-port-unused')!;
  const bin = mkdtempSync(join(tmpdir(), 'uwsgi-guide-fake-ss-'));
  after(() => rmSync(bin, { recursive: true, force: true }));
  /** The pitfall's own command, run by sh with an `ss` that prints its header and this line. */
  function probeWith(holder: string) {
    const line = `LISTEN 0      100          0.0.0.0:8080      0.0.0.0:*    users:(${holder})`;
    writeFileSync(join(bin, 'ss'), `#!/bin/sh\necho 'State Recv-Q Send-Q Local Peer Process'\necho '${line}'\n`);
    chmodSync(join(bin, 'ss'), 0o755);
    assert.equal(check.probe.kind, 'command');
    const command = check.probe.kind === 'command' ? check.probe.command : '';
    return spawnSync('sh', ['-c', command], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:/usr/bin:/bin` },
    });
  }

  it('a uWSGI holding it (the test server left running): no second warning', () => {
    assert.equal(probeWith('("uwsgi",pid=2814,fd=4),("uwsgi",pid=2813,fd=4)').status, 0);
  });

  it('another program holding it: warned, naming it', () => {
    const run = probeWith('("python3",pid=812,fd=3)');
    assert.notEqual(run.status, 0);
    assert.match(run.stdout, /"python3",pid=812/);
  });
});
