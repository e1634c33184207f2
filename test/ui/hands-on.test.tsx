// Hands-on mode on the screen (issue 7): what to type and where, the hints one key at a time up
// to "do it for me", a recognised wrong move with what was seen, and the step moving on by itself
// once the student's work passes its checks.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import type { JournalEntry } from '../../src/engine/journal.js';
import { WizardSession } from '../../src/engine/session.js';
import { App } from '../../src/ui/App.js';
import {
  check,
  commandAction,
  commandSaw,
  en,
  FakeSystem,
  named,
  planFor,
  planOf,
  plain,
  sleep,
  step,
  waitFor,
} from '../helpers.js';
import { mountScreen } from './screen.js';

const plan = planOf(
  step('virtualenv', {
    actions: [
      commandAction('create-venv', 'runuser -u demo -- /usr/bin/python3 -m venv /home/demo/myapp/myappenv', {
        explain: en('Create the virtual environment.'),
      }),
    ],
    checks: [check('venv', { title: en('the venv python runs') })],
    handsOn: {
      typed: [{ as: 'demo', cwd: '/home/demo/myapp', line: '/usr/bin/python3 -m venv /home/demo/myapp/myappenv' }],
      whatToDo: en('Become demo, cd to the app directory, make the venv there.'),
      exactCommands: ['cd /home/demo/myapp && runuser -u demo -- /usr/bin/python3 -m venv /home/demo/myapp/myappenv'],
      exactAs: 'root',
      wrongMoves: [
        {
          id: 'venv-elsewhere',
          probe: named('venv-elsewhere'),
          hint: en('The venv is in another directory: cd first.'),
        },
      ],
    },
  }),
  step('conclusion', {}),
);

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

async function mount(fake: FakeSystem, lang: 'en' | 'ja' = 'en') {
  const session = new WizardSession(plan, fake, { auto: false, handsOn: true, watchMs: 5 });
  const instance = render(<App session={session} lang={lang} auto={false} />);
  unmount = instance.unmount;
  const finished = session.run();
  const screen = () => plain(instance.lastFrame());
  const until = async (text: string) => waitFor(() => screen().includes(text), `"${text}" on screen:\n${screen()}`);
  const press = async (key: string, then: string) => {
    instance.stdin.write(key);
    await until(then);
  };
  await sleep(20);
  return { session, finished, screen, until, press };
}

describe('hands-on screen', () => {
  it('shows what to type, as whom and where; h gives the words, then the exact line, then offers to do it', async () => {
    const fake = new FakeSystem({
      probe: (name) => (name === 'venv' ? fake.performed.includes('create-venv') : false),
    });
    const { until, press, screen, finished } = await mount(fake);
    await until('Type in your shell (as demo, in: /home/demo/myapp):');
    assert.ok(screen().includes('$ /usr/bin/python3 -m venv /home/demo/myapp/myappenv'), screen());
    assert.ok(screen().includes('[h] hint (1 of 3)'), screen());
    assert.ok(!screen().includes('Hint 1'), 'no hint before it is asked');
    await press('h', 'Hint 1 — what to do:');
    assert.ok(screen().includes('Become demo, cd to the app directory, make the venv there.'), screen());
    await press('h', 'Hint 2 — exactly this, pasted into a shell of root:');
    assert.ok(
      screen().includes('cd /home/demo/myapp && runuser -u demo -- /usr/bin/python3 -m venv /home/demo/myapp/myappenv'),
      screen(),
    );
    assert.ok(screen().includes('[h] let the wizard do it for you'), screen());
    await press('h', 'The wizard does this step for you');
    assert.ok(screen().includes('[b] back: I do it myself'), screen());
    await press('\r', 'title virtualenv [virtualenv] done');
    assert.deepEqual(fake.performed, ['create-venv']);
    await until('[Enter] continue');
    await press('\r', '');
    const final = await finished;
    assert.equal(final.doneForStudent.virtualenv, true);
  });

  it('a wrong move is answered with its hint and what was seen; the step moves on by itself when the student gets it right', async () => {
    let fixed = false;
    const fake = new FakeSystem({
      probe: (name) => {
        if (name === 'venv') return fixed;
        if (name === 'venv-elsewhere') return fixed ? false : { ok: true, observed: commandSaw(0, '/root/myappenv') };
        return false;
      },
    });
    const { until, screen } = await mount(fake);
    await until('! Looks like a wrong move: The venv is in another directory: cd first.');
    assert.ok(screen().includes('seen: /root/myappenv'), screen());
    assert.ok(screen().includes('· the venv python runs — not yet: exit 1: (no output)'), screen());
    fixed = true;
    await until('✓ title virtualenv [virtualenv] done');
    assert.deepEqual(fake.performed, [], 'the wizard ran nothing');
  });

  it('speaks Japanese too: what to type, the hint key, the first hint', async () => {
    const fake = new FakeSystem({ probe: () => false });
    const { until, press, screen, session, finished } = await mount(fake, 'ja');
    await until('シェルで入力 (ユーザー demo, 場所: /home/demo/myapp):');
    assert.ok(screen().includes('[h] ヒント (1 / 3)'), screen());
    assert.ok(screen().includes('ハンズオン:'), screen());
    await press('h', 'ヒント 1 — やること:');
    assert.ok(screen().includes('Become demo, cd to the app directory, make the venv there.(日本語)'), screen());
    // The student never gets it right here: quitting ends the watch.
    session.dispatch({ type: 'quit' });
    assert.equal((await finished).phase.kind, 'quit');
  });

  // Issue 15, item 5: in hands-on the student started uWSGI in their own shell; the wizard cannot stop it on Enter.
  for (const [lang, ownShell, enterStops] of [
    ['en', 'then stop uWSGI in your own shell, where you started it, with Ctrl-C', /press Enter|Enter stops/],
    [
      'ja',
      'uWSGI を起動した自分のシェルで、ガイドと同じく Ctrl-C を押して止めてください',
      /Enter を押して|Enter で止め/,
    ],
  ] as const) {
    it(`the test run tells the student to stop uWSGI in their own shell, not with Enter (${lang})`, async () => {
      const testRun = planFor().steps.find((s) => s.id === 'test-run')!;
      const session = new WizardSession(
        planOf({ ...testRun, preflight: [] }, step('conclusion', {})),
        new FakeSystem(),
        {
          auto: false,
          handsOn: true,
          watchMs: 5,
        },
      );
      const instance = render(<App session={session} lang={lang} auto={false} />);
      unmount = instance.unmount;
      const finished = session.run();
      const screen = () => plain(instance.lastFrame()).replace(/\s+/g, ' ');
      await waitFor(() => screen().includes(ownShell), `the hands-on words on screen:\n${screen()}`);
      assert.doesNotMatch(screen(), enterStops);
      session.dispatch({ type: 'quit' });
      await finished;
    });
  }
});

// Issue 15, item 6: the student writes the site by hand, then hands the rest of the step to the wizard.
describe('hands-on: part by hand, then "do it for me"', () => {
  it('the keys a person presses record both parts in the journal, and undo would take back both', async () => {
    const nginx = { ...planFor().steps.find((s) => s.id === 'nginx')!, preflight: [] };
    const site = nginx.actions.find((action) => action.id === 'write-nginx-site')!;
    assert.ok(site.kind === 'file');
    const link = '/etc/nginx/sites-enabled/myapp';
    let handedOver = false;
    const fake = new FakeSystem({
      probe: () => handedOver && fake.performed.includes('nginx-reload'),
      commands: { 'enable-site': { creates: { [link]: { kind: 'link', target: site.path } } } },
    });
    let journal: JournalEntry[] = [];
    const log: string[] = [];
    const session = new WizardSession(planOf(nginx), fake, {
      auto: false,
      handsOn: true,
      watchMs: 5,
      onJournal: (entries) => (journal = entries),
      transcript: { write: (text) => log.push(text) },
    });
    const { until, press, finished } = await mountScreen(session);
    await until('[h] hint (1 of 3)');
    // In their own shell, the student writes the site as the step shows it.
    fake.paths.set(site.path, { kind: 'file' });
    fake.files.set(site.path, site.content);
    await press('h', 'Hint 1 — what to do:');
    await press('h', 'Hint 2 — exactly this');
    handedOver = true;
    await press('h', 'The wizard does this step for you');
    for (const next of ['Command 1 of 3', 'Command 2 of 3', 'Command 3 of 3']) await press('\r', next);
    await press('\r', '[nginx] done');
    const final = await finished;
    assert.equal(final.doneForStudent.nginx, true);
    assert.deepEqual(
      journal.map((entry) => [entry.kind, 'path' in entry ? entry.path : '']),
      [
        ['file', site.path],
        ['created', link],
      ],
      "the student's site, then the wizard's link",
    );
    assert.match(log.join(''), /the student's work before "do it for me", for undo: .*sites-available\/myapp/);
  });
});
