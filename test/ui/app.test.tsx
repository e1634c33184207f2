// The ink screen, driven by keys as a person would, over a session whose machine is a fake.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { WizardSession } from '../../src/engine/session.js';
import type { Plan, Probe } from '../../src/engine/types.js';
import {
  check,
  commandAction,
  en,
  FakeSystem,
  fileAction,
  makeContext,
  planOf,
  probeName,
  sleep,
  step,
  waitFor,
  type ProbeScript,
} from '../helpers.js';
import { FINDING } from '../doctor-surveys.js';
import { englishSentences } from './english-scan.js';
import { mountScreen } from './screen.js';

const INSTALL = 'DEBIAN_FRONTEND=noninteractive apt-get install -y nginx';
const PAGE: Probe = { kind: 'http', url: 'http://127.0.0.1/', expectBody: 'Hello There!' };

/** packages: probed ahead, one command, one check. nginx: one command, the page check. Then a lesson. */
const plan: Plan = planOf(
  step('packages', {
    probeBeforeRun: true,
    actions: [commandAction('apt-install', INSTALL, { explain: en('Install the nginx web server.') })],
    checks: [check('installed', { title: en('nginx is installed') })],
  }),
  step('nginx', {
    actions: [commandAction('restart', 'systemctl restart nginx')],
    checks: [
      check('page', {
        title: en('the page answers through nginx'),
        probe: PAGE,
        tryThis: en('Read /var/log/nginx/error.log.'),
      }),
    ],
  }),
  step('conclusion', {}),
);

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

/** Mount the screen over a running session; `until` waits for text, `press` types one key. */
async function mount(fake: FakeSystem, shown: Plan = plan) {
  const mounted = await mountScreen(new WizardSession(shown, fake, { auto: false, pollMs: 2 }));
  unmount = mounted.unmount;
  return mounted;
}

/** wsgi.py of the person's own differs from the wizard's: the screen shows how, and waits. */
async function showDifferingFile() {
  const fake = new FakeSystem();
  fake.files.set('/home/demo/myapp/wsgi.py', 'print("mine")\n');
  const mounted = await mount(
    fake,
    planOf(step('wsgi-app', { actions: [fileAction('wsgi', '/home/demo/myapp/wsgi.py')], checks: [check('wsgi')] })),
  );
  await mounted.until('[Enter] write it');
  await mounted.press('\r', 'This file exists and differs');
  return { fake, ...mounted };
}

/** packages is not installed until its command ran; the page answers as `page` says. */
function machine(page: () => boolean = () => true): FakeSystem {
  const fake: FakeSystem = new FakeSystem({
    commands: {
      'apt-install': { output: ['Reading package lists...\n', 'Setting up nginx (1.22.1-9) ...\n'], held: true },
    },
    probe: ((name) => {
      if (name === 'installed') return fake.performed.includes('apt-install');
      if (name === probeName(PAGE))
        return page() || { ok: false, observed: { kind: 'http', status: 502, body: '502 Bad Gateway' } };
      return true;
    }) satisfies ProbeScript,
  });
  return fake;
}

describe('the screen', () => {
  it('shows the exact command and its explanation; Enter runs it, streams its output, then shows the passed check', async () => {
    const fake = machine();
    const { until, press, screen } = await mount(fake);
    await until('[Enter] run it');
    assert.ok(screen().includes(`$ ${INSTALL}`), screen());
    assert.ok(screen().includes('Command 1 of 1 — Install the nginx web server.'), screen());
    assert.ok(screen().includes('Step 1 of 3 · title packages'), screen());

    await press('\r', 'Setting up nginx (1.22.1-9) ...');
    assert.ok(screen().includes('Reading package lists...'), 'earlier output stays in the pane');
    assert.ok(screen().includes('running'), screen());
    assert.deepEqual(fake.performed, ['apt-install']);

    fake.release('apt-install');
    await until('✓ title packages [packages] done');
    assert.ok(screen().includes('✓ nginx is installed — exit 0: (no output)'), `the proof is listed:\n${screen()}`);
    assert.ok(screen().includes('Step 2 of 3 · title nginx'), screen());
  });

  it("the output pane cuts a long line to the terminal's width, and again when the terminal is resized", async () => {
    const long = `${'x'.repeat(150)}CUT-OFF`;
    const fake: FakeSystem = new FakeSystem({
      commands: { 'apt-install': { output: [`${long}\n`, 'last line\n'], held: true } },
      probe: ((name) => name !== 'installed' || fake.performed.includes('apt-install')) satisfies ProbeScript,
    });
    const { until, press, screen, stdout } = await mount(fake);
    await until('[Enter] run it');
    await press('\r', 'last line');
    // The test terminal is 100 columns: the pane's box leaves 96 for a line, the last one "…".
    assert.ok(screen().includes(`${'x'.repeat(95)}…`), screen());
    assert.ok(!screen().includes('CUT-OFF'), `the cut part is not drawn (on a next row or anywhere):\n${screen()}`);
    assert.ok(screen().includes('last line'), 'the newest line stays in view');

    Object.defineProperty(stdout, 'columns', { value: 60, configurable: true });
    stdout.emit('resize');
    await waitFor(() => screen().includes(`${'x'.repeat(55)}…`), `the line cut to 56 columns:\n${screen()}`);
    assert.ok(!screen().includes('x'.repeat(56)), screen());
    assert.ok(screen().includes('last line'), screen());
    fake.release('apt-install');
  });

  it('s skips the command, which never runs, and the step is listed as skipped', async () => {
    const fake = machine();
    const { until, press, screen } = await mount(fake);
    await until('[Enter] run it');
    await press('s', '↷ title packages [packages] skipped');
    assert.deepEqual(fake.performed, []);
    assert.ok(screen().includes('Step 2 of 3 · title nginx'), screen());
  });

  it('a failing check shows expected, found and try this; r checks again and it passes', async () => {
    let pageAnswers = false;
    const fake = machine(() => pageAnswers);
    const { until, press, screen } = await mount(fake);
    await until('[Enter] run it');
    await press('s', 'Step 2 of 3 · title nginx');
    await press('\r', 'A check did not pass');
    const failed = screen();
    assert.ok(failed.includes('✗ the page answers through nginx'), failed);
    assert.ok(failed.includes('expected: HTTP 200 from http://127.0.0.1/ containing "Hello There!"'), failed);
    assert.ok(failed.includes('found: HTTP 502: 502 Bad Gateway'), failed);
    assert.ok(failed.includes('try this: Read /var/log/nginx/error.log.'), failed);
    assert.ok(failed.includes('[r] check again'), failed);

    pageAnswers = true;
    await press('r', '✓ title nginx [nginx] done');
    assert.deepEqual(fake.performed, ['restart'], 'checking again does not run the command again');
    assert.equal(fake.timesAsked(probeName(PAGE)), 2);
  });

  it('a rollback that failed: the failure says what is still on the machine and what to try (issue 14)', async () => {
    const site = '/etc/nginx/sites-available/myapp';
    const link = '/etc/nginx/sites-enabled/myapp';
    const fake = new FakeSystem({
      commands: {
        link: { creates: { [link]: { kind: 'link', target: site } } },
        configtest: { exitCode: 1 },
        'undo-1': { exitCode: 1 },
      },
    });
    const nginx = planOf(
      step('nginx', {
        transactional: true,
        actions: [
          commandAction('link', `ln -sfn ${site} ${link}`, { effects: [{ kind: 'links', path: link, runAs: 'root' }] }),
          commandAction('configtest', 'nginx -t'),
        ],
      }),
    );
    const session = new WizardSession(nginx, fake, { auto: false, pollMs: 2, undoContext: makeContext() });
    const mounted = await mountScreen(session);
    unmount = mounted.unmount;
    await mounted.until('[Enter] run it');
    await mounted.press('\r', '[Enter] run it');
    await mounted.press('\r', '[r] retry');
    const failed = mounted.screen();
    assert.ok(failed.includes('The step is all or nothing, but taking it back failed. Still on this machine'), failed);
    assert.ok(failed.includes(`✗ created ${link}`), failed);
    assert.ok(failed.includes('Try: find why in the output above and fix it, then [r] to do the step again;'), failed);
  });

  it('a failed command (nginx -t) shows the doctor’s finding with the failure (issue 16)', async () => {
    const fake = new FakeSystem({
      commands: { configtest: { output: ['nginx: [emerg] unknown directive\n'], exitCode: 1 } },
    });
    const nginx = planOf(step('nginx', { actions: [commandAction('configtest', 'nginx -t')] }));
    const session = new WizardSession(nginx, fake, { auto: false, pollMs: 2, diagnose: async () => FINDING });
    const mounted = await mountScreen(session);
    unmount = mounted.unmount;
    await mounted.until('[Enter] run it');
    await mounted.press('\r', 'The doctor looked at the chain:');
    const failed = mounted.screen();
    assert.ok(failed.includes('✗ The command failed (exit code 1)'), failed);
    assert.ok(failed.includes('nginx: [emerg] unknown directive'), failed);
    assert.ok(failed.includes('nginx (running as www-data) may not open the socket /run/myapp/myapp.sock.'), failed);
    assert.ok(failed.includes('[r] retry'), failed);
  });

  it('q quits: the session ends as quit by the person, and the keys are gone', async () => {
    const fake = machine();
    const { session, finished, until, press, screen } = await mount(fake);
    await until('[Enter] run it');
    await press('q');
    const state = await Promise.race([
      finished,
      sleep(1000).then(() => assert.fail(`not quit: ${session.getState().phase.kind}`)),
    ]);
    assert.deepEqual(state.phase, { kind: 'quit', reason: 'user' });
    assert.deepEqual(session.getState().phase, { kind: 'quit', reason: 'user' });
    await waitFor(() => !screen().includes('[Enter] run it'), 'the keys to leave the screen');
    assert.deepEqual(fake.performed, []);
  });

  it('q while apt installs: the screen says apt is finishing, explains again at a second q, and ends after it', async () => {
    const fake = new FakeSystem({
      commands: { 'apt-install': { output: ['Unpacking nginx (1.22.1-9) ...\n'], finishesAnyway: true } },
      probe: (name) => name !== 'installed',
    });
    const { session, finished, until, press, screen } = await mount(fake);
    await until('[Enter] run it');
    await press('\r', 'Unpacking nginx');
    await press('q', 'apt is finishing. It is never cut off');
    assert.match(
      screen(),
      /never cut off[\s\S]*as soon as it is done\. \d+\.\ds/,
      `the time since q is shown:\n${screen()}`,
    );
    assert.ok(!screen().includes('[q] stop and quit'), `no key offers to stop it:\n${screen()}`);
    assert.ok(!screen().includes('Still waiting for apt'), screen());
    await press('q', 'Still waiting for apt: Ctrl-C does not cut it off');
    assert.equal(session.getState().phase.kind, 'stopping', 'still waiting for apt');
    fake.release('apt-install');
    const state = await Promise.race([finished, sleep(1000).then(() => assert.fail('the run did not end after apt'))]);
    assert.deepEqual(state.phase, { kind: 'quit', reason: 'user' });
    assert.deepEqual(fake.stopped, ['apt-install'], 'stop was asked once, however often q was pressed');
  });

  it('the header lines of a diff with tabs keep the box whole at 110 columns', async () => {
    const { screen } = await showDifferingFile();
    const header = screen()
      .split('\n')
      .find((line) => line.includes('+++ /home/demo/myapp/wsgi.py'));
    assert.ok(header, screen());
    assert.ok(!header.includes('\t'), `tabs are expanded: ${JSON.stringify(header)}`);
    const border = screen()
      .split('\n')
      .find((line) => line.includes('┌'));
    assert.equal(
      header.trimEnd().length,
      border!.trimEnd().length,
      `the right border stays in its column:\n${screen()}`,
    );
  });

  it('a file of the person that differs: the diff is shown, v shows the new file, r replaces it', async () => {
    const { fake, press, screen } = await showDifferingFile();
    assert.ok(screen().includes('-print("mine")'), screen());
    assert.ok(screen().includes('+content'), screen());
    assert.deepEqual(fake.performed, [], 'nothing written before the person decides');
    await press('v');
    assert.ok(!screen().includes('-print("mine")'), `v shows the new file instead of the diff:\n${screen()}`);
    await press('r', '✓ title wsgi-app [wsgi-app] done');
    assert.deepEqual(fake.performed, ['wsgi']);
  });

  it('counts files and commands apart: a step of one file and two commands says File 1 of 1, then Command 1 of 2', async () => {
    const site = planOf(
      step('nginx', {
        actions: [
          fileAction('write-site', '/etc/nginx/sites-available/myapp'),
          commandAction('link', 'ln -s a b'),
          commandAction('restart', 'systemctl restart nginx'),
        ],
      }),
    );
    const { until, press, screen } = await mount(new FakeSystem(), site);
    await until('File 1 of 1 —');
    assert.doesNotMatch(screen(), /File 1 of 3/);
    await press('\r', 'Command 1 of 2 —');
    await press('\r', 'Command 2 of 2 —');
  });
});

describe('a file the system refuses to write, in Japanese (issue 15, item 11)', () => {
  it('is said in Japanese, once, with no English sentence on the screen', async () => {
    const path = '/etc/nginx/sites-available/myapp';
    const fake = new FakeSystem({ writeProblem: { kind: 'refused', path, code: 'EROFS' } });
    const shown = planOf(step('nginx', { actions: [fileAction('write-site', path)] }));
    const mounted = await mountScreen(new WizardSession(shown, fake, { auto: false, pollMs: 2 }), { lang: 'ja' });
    unmount = mounted.unmount;
    await mounted.until('[Enter] 書き込む');
    await mounted.press('\r', 'コマンドが失敗しました');
    const screen = mounted.screen();
    assert.match(screen, /システムが \/etc\/nginx\/sites-available\/myapp の書き込みを拒みました\s\(EROFS\)/);
    assert.doesNotMatch(screen, /最後の出力/, 'no empty output pane: the failure says it once');
    assert.deepEqual(englishSentences(screen, [path]), [], screen);
  });
});
