// Issue 15, item 13: a pitfall that was found is said in one sentence of its own ("the site `default` is nginx's
// default server: …"), not as its title read backwards ("no other enabled site is … — not so here") with the probe's
// "exit 1:" before what it printed; in both languages, in the plain output and on the screen.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { WizardSession } from '../../src/engine/session.js';
import type { Lang, PlannedStep } from '../../src/engine/types.js';
import { App } from '../../src/ui/App.js';
import { plainPrinter } from '../../src/ui/plain.js';
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
