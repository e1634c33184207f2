// Issue 18, the firewall step: planned only when chosen, kept only where ufw is active, and what undo
// takes back is exactly the rule the wizard added.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runWizard } from '../../src/app/wizard.js';
import { planUndo, type JournalEntry } from '../../src/engine/journal.js';
import { formatPlan } from '../../src/engine/plan.js';
import { WizardSession } from '../../src/engine/session.js';
import type { CommandAction, Plan } from '../../src/engine/types.js';
import { entryWords } from '../../src/ui/entry-text.js';
import { fakeSurroundings } from '../fake-surroundings.js';
import { FakeSystem, makeContext, planFor, planOf } from '../helpers.js';

const FLAGS = { appName: 'myapp', user: 'demo', serverName: 'example.com', lang: 'en' as const };

function firewallStep(chosen = { firewall: true }): Plan {
  const step = planFor({ chosen }).steps.find((s) => s.id === 'firewall');
  assert.ok(step, 'the firewall step is planned');
  return planOf(step);
}

/**
 * Run the firewall step alone on a fake machine where the rule is there before its command (`before`) or not.
 * Asked ahead, the step's check says "not yet" either way (a step chosen to be done again), so that its commands run.
 */
async function runFirewall(before: boolean): Promise<JournalEntry[]> {
  let added = false;
  const fake = new FakeSystem({ probe: (_name, asked) => asked > 0 && (before || added) });
  const start = fake.start.bind(fake);
  fake.start = (action: CommandAction, onOutput) => {
    if (action.id === 'ufw-allow-nginx') added = true;
    return start(action, onOutput);
  };
  const recorded: JournalEntry[][] = [];
  const session = new WizardSession(firewallStep(), fake, {
    auto: true,
    pollMs: 2,
    onJournal: (entries) => recorded.push(entries),
    undoContext: makeContext(),
  });
  await session.run();
  assert.deepEqual(fake.performed, ['ufw-status', 'ufw-allow-nginx'], 'ufw status shown, then the rule added');
  return recorded.at(-1) ?? [];
}

describe('the firewall step (issue 18)', () => {
  it('is not planned unless chosen: the guide path is unchanged', () => {
    assert.equal(
      planFor().steps.some((s) => s.id === 'firewall'),
      false,
    );
  });

  it("chosen, it shows ufw's status and allows nginx's HTTP profile; with HTTPS too, the full profile", () => {
    const commands = (plan: Plan) =>
      plan.steps[0]!.actions.map((a) => (a.kind === 'command' ? a.command : a.path)).join('\n');
    assert.equal(commands(firewallStep()), "ufw status verbose\nufw allow 'Nginx HTTP'");
    assert.equal(
      commands(firewallStep({ firewall: true, https: { email: 'a@example.com' } } as never)),
      "ufw status verbose\nufw allow 'Nginx Full'",
    );
    const text = formatPlan(firewallStep(), 'en');
    assert.match(text, /first asks: ufw lets ssh in/);
    assert.match(text, /check: ufw status: "Nginx HTTP" is allowed/);
  });

  it('records the rule it added, and undo deletes exactly that rule', async () => {
    const journal = await runFirewall(false);
    assert.deepEqual(journal, [{ kind: 'opened', step: 'firewall', action: 'ufw-allow-nginx', rule: 'Nginx HTTP' }]);
    assert.deepEqual(
      planUndo(makeContext({ runningAs: 'admin' }), journal).map((a) => a.command),
      ["sudo ufw delete allow 'Nginx HTTP'"],
    );
    assert.equal(entryWords(journal[0]!, 'ja'), 'ファイアウォール (ufw) で Nginx HTTP を許可');
  });

  it('a rule that was there before is not recorded: undo leaves it', async () => {
    assert.deepEqual(await runFirewall(true), []);
  });
});

describe('choosing the firewall step', () => {
  it('where ufw is active, --firewall plans it', async () => {
    const fake = fakeSurroundings();
    fake.s.machine.firewallState = async () => 'active';
    await runWizard(fake.s, { ...FLAGS, firewall: true, dryRun: true });
    assert.match(fake.stdout.text, /\[firewall\] Let nginx through the firewall \(ufw\)/);
  });

  for (const [state, said] of [
    ['absent', /ufw is not installed here/],
    ['inactive', /ufw is installed but not active, and the wizard never switches it on/],
  ] as const)
    it(`where ufw is ${state}, a run says so and leaves the step out`, async () => {
      const fake = fakeSurroundings();
      fake.s.machine.firewallState = async () => state;
      fake.s.machine.acquireRunLock = () => {
        throw new Error('stop before the run');
      };
      await assert.rejects(runWizard(fake.s, { ...FLAGS, firewall: true, yes: true }), /stop before the run/);
      assert.match(fake.stderr.text, said);
    });

  it('at the questions, it is asked only where ufw is active; No leaves it out', async () => {
    const fake = fakeSurroundings({
      stdinIsTTY: true,
      stdoutIsTTY: true,
      answers: { input: ['3'], confirm: [false, false, false] },
    });
    fake.s.machine.firewallState = async () => 'active';
    fake.s.machine.acquireRunLock = () => {
      throw new Error('stop before the run');
    };
    const given = { ...FLAGS, appDir: '/home/demo/myapp', webGroup: 'www-data', testPort: '8080' };
    await assert.rejects(runWizard(fake.s, given), /stop before the run/);
    assert.deepEqual(
      fake.asked.map((q) => q.message),
      [
        'uWSGI worker processes',
        "Deploy your own Flask or Django project instead of the guide's hello world?",
        "Get a certificate for HTTPS with certbot (Let's Encrypt) after the nginx step?",
        "The firewall (ufw) is on here and lets nobody reach nginx yet: allow nginx's ports (ufw allow 'Nginx HTTP')?",
      ],
    );
  });
});
