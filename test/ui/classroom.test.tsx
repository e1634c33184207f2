// Quizzes and the glossary on the screen (issue 7), driven by keys as a student would.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { GlossaryEntry } from '../../src/engine/glossary.js';
import { emptyProgress, recordRun, type Progress } from '../../src/engine/progress.js';
import { quizScore, type QuizQuestion } from '../../src/engine/quiz.js';
import { WizardSession } from '../../src/engine/session.js';
import type { Plan } from '../../src/engine/types.js';
import type { QuizSetup } from '../../src/engine/wizard.js';
import { readProgress, writeProgress } from '../../src/exec/progress-store.js';
import { ANSWERS, check, commandAction, en, FakeSystem, planOf, step, waitFor } from '../helpers.js';
import { mountScreen } from './screen.js';
import { render } from 'ink-testing-library';
import { ResumeScreen } from '../../src/ui/Resume.js';
import { plain, sleep } from '../helpers.js';

const QUESTION: QuizQuestion = {
  id: 'names-server',
  step: 'concepts',
  question: en('Which one runs your code?'),
  choices: [
    { text: en('WSGI'), correct: false, why: en('WSGI is only an agreement.') },
    { text: en('uWSGI'), correct: true, why: en('uWSGI is the application server.') },
    { text: en('uwsgi'), correct: false, why: en('uwsgi is the protocol.') },
  ],
};

const TERMS: GlossaryEntry[] = [
  { term: en('worker'), definition: en('A process that runs the app.'), mentions: /worker/ },
  { term: en('nginx'), definition: en('The web server in front.'), mentions: /nginx/ },
];

/** A lesson (quizzed), a step whose command runs until released, and the conclusion. */
const plan: Plan = planOf(
  step('concepts', { explain: en('Three names that sound alike.') }),
  step('packages', {
    actions: [commandAction('apt-install', 'apt-get install -y nginx', { explain: en('Install nginx.') })],
    checks: [check('installed')],
  }),
  step('conclusion'),
);

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const undo of cleanup) undo();
  cleanup = [];
});

function machine(): FakeSystem {
  return new FakeSystem({
    commands: { 'apt-install': { output: ['Reading package lists...\n', 'Setting up nginx ...\n'], held: true } },
  });
}

async function mount(fake: FakeSystem, quiz?: QuizSetup) {
  const mounted = await mountScreen(new WizardSession(plan, fake, { auto: false, pollMs: 2, quiz }), {
    glossary: TERMS,
  });
  cleanup.push(mounted.unmount);
  return mounted;
}

describe('the quiz on the screen', () => {
  it('a wrong answer shows why it is wrong and the question stays; the right one then is scored at the second try, in the progress file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiz-progress-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'progress.json');
    const fake = machine();
    const { session, until, press, screen } = await mount(fake, { questions: [QUESTION], answered: {} });
    // What the wizard records as the run goes, through the real progress store.
    let progress: Progress = emptyProgress(ANSWERS, '2026-11-21T20:00:00.000Z');
    let writing = Promise.resolve();
    session.subscribe((state) => {
      progress = recordRun(progress, state, new Date().toISOString());
      const snapshot = progress;
      writing = writing.then(() => writeProgress(snapshot, path));
    });

    await until('[Enter] continue');
    await press('\r', 'Quiz · question 1 of 1');
    assert.ok(screen().includes('Which one runs your code?'), screen());
    assert.ok(screen().includes('[1-3] or [↑/↓] + [Enter] answer'), screen());

    await press('1', 'Not quite. WSGI is only an agreement.');
    assert.ok(screen().includes('✗ 1. WSGI'), `the wrong pick is marked:\n${screen()}`);
    assert.equal(session.getState().stepIndex, 0, 'the question stays');

    await press('2', 'Right. uWSGI is the application server.');
    assert.ok(screen().includes('✓ 2. uWSGI'), screen());
    assert.ok(screen().includes('[Enter] continue'), screen());
    await press('\r', 'Step 2 of 3 · title packages');
    assert.deepEqual(fake.performed, [], 'going on from the quiz runs nothing by itself');

    await writing;
    const reading = await readProgress(path);
    assert.equal(reading.kind, 'ok');
    const score = quizScore(reading.kind === 'ok' ? reading.progress : undefined, [QUESTION]);
    assert.deepEqual(score, {
      firstTry: 0,
      answered: 1,
      total: 1,
      questions: [{ id: 'names-server', step: 'concepts', answered: true, firstTry: false, tries: 2 }],
    });
    assert.equal(reading.kind === 'ok' && reading.progress.steps.concepts?.state, 'done');
  });

  it('arrows and Enter answer too; the right answer at once scores a first try', async () => {
    const { session, until, press } = await mount(machine(), { questions: [QUESTION], answered: {} });
    await until('[Enter] continue');
    await press('\r', 'Quiz · question 1 of 1');
    await press('\u001B[B', '▶   1. WSGI');
    await press('\u001B[B', '▶   2. uWSGI');
    await press('\r', 'Right. uWSGI is the application server.');
    assert.deepEqual(session.getState().quizAnswers, {
      'names-server': { step: 'concepts', firstTry: true, tries: 1 },
    });
  });

  it('Enter at once chooses nothing: it says to choose first, no choice is marked and no try is counted', async () => {
    const { session, until, press, screen } = await mount(machine(), { questions: [QUESTION], answered: {} });
    await until('[Enter] continue');
    await press('\r', 'Quiz · question 1 of 1');
    assert.ok(!/▶ +\d\./.test(screen()), `no choice is highlighted yet:\n${screen()}`);
    await press('\r', 'Choose an answer first: type its number, or move to it with ↑/↓.');
    assert.ok(!/[✓✗] \d\./.test(screen()), `no choice is marked:\n${screen()}`);
    assert.deepEqual(session.getState().quizAnswers, {});
    await press('2', 'Right. uWSGI is the application server.');
    assert.ok(!screen().includes('Choose an answer first'), screen());
    assert.deepEqual(session.getState().quizAnswers, {
      'names-server': { step: 'concepts', firstTry: true, tries: 1 },
    });
  });

  it('without quiz questions (--no-quiz) the lesson goes straight on to the next step', async () => {
    const { until, press, screen } = await mount(machine());
    await until('[Enter] continue');
    await press('\r', 'Step 2 of 3 · title packages');
    assert.ok(!screen().includes('Quiz'), screen());
  });
});

describe('the glossary overlay', () => {
  it('g opens it over the step and closes it again; meanwhile Enter runs nothing', async () => {
    const fake = machine();
    const { until, press, type, screen } = await mount(fake);
    await until('[Enter] continue');
    assert.ok(screen().includes('[g] glossary'), `the key is shown:\n${screen()}`);
    await press('g', 'Glossary (1/2)');
    assert.ok(screen().includes('A process that runs the app.'), screen());
    assert.ok(!screen().includes('Three names that sound alike.'), 'the step is behind the overlay');
    await type('\r');
    await type('s');
    assert.equal(fake.performed.length, 0);
    assert.ok(screen().includes('Glossary'), 'Enter did not close it nor continue');
    await press('g', 'Three names that sound alike.');
    assert.ok(!screen().includes('Glossary'), screen());
    assert.ok(
      screen().includes('Step 1 of 3 · title concepts'),
      `still the lesson, neither continued nor skipped:\n${screen()}`,
    );
  });

  it('opened while a command runs, the command goes on and is not stopped; closed with Esc, its output is there', async () => {
    const fake = machine();
    const { session, until, press, screen } = await mount(fake);
    await until('[Enter] continue');
    await press('\r', '[Enter] run it');
    await press('\r', 'running');
    await press('g', 'Glossary');
    // The terms of this step (nginx is in its command) come first.
    const overlay = screen();
    assert.ok(overlay.includes('▶ nginx'), overlay);
    assert.ok(overlay.indexOf('nginx') < overlay.indexOf('worker') && !overlay.includes('▶ worker'), overlay);
    assert.ok(screen().includes('running'), `the command's spinner stays in sight:\n${screen()}`);
    await waitFor(
      () => session.getState().output.lines.includes('Setting up nginx ...'),
      'output arriving behind the overlay',
    );
    await press('\u001B', 'Setting up nginx ...');
    assert.deepEqual(fake.stopped, [], 'nothing was stopped');
    assert.equal(session.getState().phase.kind, 'running');
    fake.release('apt-install');
    await until('✓ title packages [packages] done');
  });

  it('arrows scroll it', async () => {
    const { until, press, screen } = await mount(machine());
    await until('[Enter] continue');
    await press('g', 'Glossary (1/2)');
    await press('\u001B[B', 'Glossary (2/2)');
    assert.ok(!screen().includes('A process that runs the app.'), screen());
    await press('\u001B[A', 'Glossary (1/2)');
  });
});

describe('the glossary on the resume screen', () => {
  it('g opens it there too; Enter then chooses nothing, even typed at once; Esc closes it and Enter continues', async () => {
    const chosen: (number | undefined)[] = [];
    const overview = plan.steps.map((s, i) => ({
      id: s.id,
      state: i === 0 ? ('done' as const) : ('todo' as const),
      probed: false,
    }));
    const instance = render(
      <ResumeScreen
        plan={plan}
        overview={overview}
        proposed={1}
        lang="en"
        onChoose={(i) => chosen.push(i)}
        glossary={TERMS}
      />,
    );
    cleanup.push(instance.unmount);
    const screen = () => plain(instance.lastFrame());
    await sleep(20);
    assert.ok(screen().includes('[g] glossary'), screen());
    // Enter at once after g: ink may still hold the key handlers of the render before the overlay.
    instance.stdin.write('g');
    instance.stdin.write('\r');
    await waitFor(() => screen().includes('Glossary (1/2)'), `the overlay:\n${screen()}`);
    // The step under the cursor (packages: its command installs nginx) gives the first terms.
    assert.ok(screen().includes('▶ nginx'), screen());
    await sleep(30);
    assert.deepEqual(chosen, [], 'Enter went to the overlay, not to the list behind it');
    instance.stdin.write('\u001B');
    await waitFor(() => screen().includes('Welcome back'), `the list again:\n${screen()}`);
    instance.stdin.write('\r');
    await waitFor(() => chosen.length === 1, 'a choice');
    assert.deepEqual(chosen, [1]);
  });
});

describe('the resume screen by arrow keys', () => {
  it('↑ moves ▶ to an earlier step, ↓ back, and Enter continues from where ▶ is', async () => {
    const chosen: (number | undefined)[] = [];
    const overview = plan.steps.map((s, i) => ({
      id: s.id,
      state: i === 0 ? ('done' as const) : ('todo' as const),
      probed: false,
    }));
    const instance = render(
      <ResumeScreen
        plan={plan}
        overview={overview}
        proposed={1}
        lang="en"
        onChoose={(i) => chosen.push(i)}
        glossary={TERMS}
        firstVisit
      />,
    );
    cleanup.push(instance.unmount);
    const screen = () => plain(instance.lastFrame());
    await sleep(20);
    assert.ok(
      screen().includes('Part of what the guide sets up is already on this machine:'),
      `a first visit is not welcomed back:\n${screen()}`,
    );
    const pointed = () =>
      screen()
        .split('\n')
        .find((line) => line.startsWith('▶'));
    assert.match(pointed() ?? '', new RegExp(plan.steps[1]!.id));
    instance.stdin.write('\u001B[A');
    await waitFor(() => new RegExp(plan.steps[0]!.id).test(pointed() ?? ''), `▶ on the first step:\n${screen()}`);
    instance.stdin.write('\u001B[B');
    await waitFor(() => new RegExp(plan.steps[1]!.id).test(pointed() ?? ''), `▶ back on the second:\n${screen()}`);
    instance.stdin.write('\u001B[A');
    await waitFor(() => new RegExp(plan.steps[0]!.id).test(pointed() ?? ''), `▶ on the first step again:\n${screen()}`);
    instance.stdin.write('\r');
    await waitFor(() => chosen.length === 1, 'a choice');
    assert.deepEqual(chosen, [0]);
  });
});
