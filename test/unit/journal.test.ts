// The journal of what the wizard changed: recorded from declared effects, rolled back for an
// all-or-nothing step, and turned into `undo` commands (issue 6).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXIT, exitCodeOf } from '../../src/commands.js';
import { describeEntry, planUndo, type JournalEntry } from '../../src/engine/journal.js';
import { WizardSession } from '../../src/engine/session.js';
import type { Plan } from '../../src/engine/types.js';
import { initialState, reduce } from '../../src/engine/wizard.js';
import { plainPrinter, rollbackLines } from '../../src/ui/plain.js';
import { check, commandAction, FakeSystem, fileAction, makeContext, planFor, planOf, sleep, step } from '../helpers.js';

const SITE = '/etc/nginx/sites-available/myapp';
const LINK = '/etc/nginx/sites-enabled/myapp';

/** An nginx-like step: write the site, link it, test the whole configuration. */
function nginxStep(): Plan {
  return planOf(
    step('nginx', {
      transactional: true,
      actions: [
        fileAction('site', SITE),
        commandAction('link', `ln -sfn ${SITE} ${LINK}`, {
          effects: [{ kind: 'links', path: LINK, runAs: 'root' }],
        }),
        commandAction('configtest', 'nginx -t'),
      ],
      checks: [check('page')],
    }),
  );
}

const refused = { exitCode: 1, signal: null, timedOut: false, durationMs: 10 };

/** The commands that take the link and the site back, as root (the site's owner in fileAction is demo). */
const UNDO_LINK = `rm -f ${LINK}`;
const UNDO_SITE = `runuser -u demo -- rm -f ${SITE}`;

/** `failingUndo`: the rollback commands that exit 1, as an `rm` refused would. */
function runSession(
  plan: Plan,
  fake: FakeSystem,
  journal: JournalEntry[] = [],
  transcript?: string[],
  failingUndo: string[] = [],
  auto = true,
) {
  const undone: string[] = [];
  const recorded: JournalEntry[][] = [];
  const session = new WizardSession(plan, fake, {
    auto,
    pollMs: 2,
    journal,
    transcript: transcript && { write: (text) => void transcript.push(text) },
    onJournal: (entries) => recorded.push(entries),
    undoContext: makeContext(),
  });
  const originalStart = fake.start.bind(fake);
  fake.start = (action, onOutput) => {
    if (action.id.startsWith('undo-')) undone.push(action.command);
    if (failingUndo.includes(action.command)) {
      onOutput(`rm: cannot remove '${LINK}': Operation not permitted\n`);
      return { done: Promise.resolve(refused), stop: () => undefined };
    }
    return originalStart(action, onOutput);
  };
  return { session, finished: session.run(), undone, recorded };
}

describe('the journal', () => {
  it('records only what a command created, not what was there before', async () => {
    const fake = new FakeSystem({ commands: { link: { creates: { [LINK]: { kind: 'link', target: SITE } } } } });
    const { finished, recorded } = runSession(nginxStep(), fake);
    await finished;
    const last = recorded.at(-1) ?? [];
    assert.deepEqual(
      last.map((e) => e.kind),
      ['file', 'created'],
    );
    assert.deepEqual(last[1], {
      kind: 'created',
      step: 'nginx',
      action: 'link',
      path: LINK,
      made: 'file',
      runAs: 'root',
    });
  });

  it('a link that pointed elsewhere is recorded with its old target, to be put back', async () => {
    const fake = new FakeSystem({ commands: { link: { creates: { [LINK]: { kind: 'link', target: SITE } } } } });
    fake.paths.set(LINK, { kind: 'link', target: '/etc/nginx/sites-available/old' });
    const { finished, recorded } = runSession(nginxStep(), fake);
    await finished;
    assert.deepEqual(
      recorded.at(-1)?.find((e) => e.kind === 'relinked'),
      {
        kind: 'relinked',
        step: 'nginx',
        action: 'link',
        path: LINK,
        previousTarget: '/etc/nginx/sites-available/old',
        runAs: 'root',
      },
    );
  });

  it('a path that already existed is not recorded, so undo never removes it', async () => {
    const fake = new FakeSystem({ commands: { link: { creates: { [LINK]: { kind: 'link', target: SITE } } } } });
    fake.paths.set(LINK, { kind: 'link', target: SITE });
    const { finished, recorded } = runSession(nginxStep(), fake);
    await finished;
    assert.equal(
      recorded.at(-1)?.some((e) => e.kind !== 'file'),
      false,
    );
  });
});

describe('a transactional step', () => {
  it('when nginx -t fails, takes back the link and the site it wrote in this run, newest first', async () => {
    const fake = new FakeSystem({
      commands: { link: { creates: { [LINK]: { kind: 'link', target: SITE } } }, configtest: { exitCode: 1 } },
    });
    const { finished, undone, recorded } = runSession(nginxStep(), fake);
    const final = await finished;
    assert.equal(final.phase.kind, 'quit');
    assert.deepEqual(undone, [UNDO_LINK, UNDO_SITE]);
    assert.deepEqual(recorded.at(-1), [], 'what was rolled back is no longer in the journal');
  });

  it('the transcript records each rollback command with its exit code and duration, like any other command', async () => {
    const fake = new FakeSystem({
      commands: { link: { creates: { [LINK]: { kind: 'link', target: SITE } } }, configtest: { exitCode: 1 } },
    });
    const transcript: string[] = [];
    const { finished } = runSession(nginxStep(), fake, [], transcript);
    await finished;
    const text = transcript.join('');
    assert.match(text, /== \[nginx\] \$ nginx -t\n-- exit 1 after \d+\.\ds\n/);
    assert.match(
      text,
      new RegExp(
        `== \\[nginx\\] rolling back what this step changed\\n\\$ ${UNDO_LINK}\\n-- exit 0 after \\d+\\.\\ds\\n\\$ ${UNDO_SITE}\\n-- exit 0 after \\d+\\.\\ds\\n`,
      ),
    );
  });

  it('keeps entries of other steps and of earlier runs', async () => {
    const earlier: JournalEntry = {
      kind: 'created',
      step: 'virtualenv',
      action: 'mkdir-app',
      path: '/home/demo/myapp',
      made: 'directory',
      runAs: 'service-user',
    };
    const fake = new FakeSystem({ commands: { configtest: { exitCode: 1 } } });
    const { finished, recorded } = runSession(nginxStep(), fake, [earlier]);
    await finished;
    assert.deepEqual(recorded.at(-1), [earlier]);
  });

  it('stopped in the middle (quit after the link), it is rolled back before the run ends', async () => {
    const fake = new FakeSystem({
      commands: { link: { creates: { [LINK]: { kind: 'link', target: SITE } } }, configtest: { held: true } },
    });
    const { session, finished, undone } = runSession(nginxStep(), fake);
    while (!fake.running.has('configtest')) await sleep(2);
    session.interrupt();
    await finished;
    assert.deepEqual(undone, [UNDO_LINK, UNDO_SITE]);
    assert.deepEqual(
      session.rolledBack().map(describeEntry),
      [`wrote ${SITE}`, `created ${LINK}`],
      'the session keeps what it took back, for the words after the screen is gone',
    );
  });

  it('a check failing after all its commands ran rolls nothing back: what is in place stays to be looked into', async () => {
    const fake = new FakeSystem({
      commands: { link: { creates: { [LINK]: { kind: 'link', target: SITE } } } },
      probe: (name) => name !== 'page',
    });
    const { finished, undone, recorded } = runSession(nginxStep(), fake);
    const final = await finished;
    assert.deepEqual(final.phase, { kind: 'quit', reason: 'failure' });
    assert.deepEqual(undone, []);
    assert.equal(recorded.at(-1)?.length, 2);
  });

  it('retry after a failure starts the step again from its first action', () => {
    const plan = nginxStep();
    let state = initialState(plan);
    state = reduce(state, { type: 'continue', at: 0 });
    state = reduce(state, { type: 'action-finished', ok: true });
    state = reduce(state, { type: 'continue', at: 0 });
    state = reduce(state, { type: 'action-finished', ok: true });
    state = reduce(state, { type: 'continue', at: 0 });
    state = reduce(state, {
      type: 'action-finished',
      ok: false,
      failure: { exitCode: 1, signal: null, timedOut: false },
    });
    assert.equal(state.phase.kind, 'action-failed');
    state = reduce(state, { type: 'retry', at: 1 });
    assert.deepEqual(state.phase, { kind: 'confirm', action: 0 });
  });
});

describe('a rollback that fails (issue 14)', () => {
  const linkKept = [UNDO_LINK];

  const linkThenFailingTest = () => ({
    link: { creates: { [LINK]: { kind: 'link' as const, target: SITE } } },
    configtest: { exitCode: 1 },
  });

  it('keeps in the journal what it could not take back, and stops there: the site it links to stays too', async () => {
    const fake = new FakeSystem({ commands: linkThenFailingTest() });
    const transcript: string[] = [];
    const { session, finished, undone, recorded } = runSession(nginxStep(), fake, [], transcript, linkKept);
    const printed: string[] = [];
    session.subscribe(plainPrinter((text) => void printed.push(text), 'ja', session.getState()));
    const final = await finished;
    assert.deepEqual(final.phase, { kind: 'quit', reason: 'failure' });
    assert.deepEqual(undone, [UNDO_LINK], 'the site is not removed under a link that stayed: nginx would fail');
    assert.deepEqual(recorded.at(-1)?.map(describeEntry), [`wrote ${SITE}`, `created ${LINK}`], 'undo knows of both');
    assert.deepEqual(session.rolledBack(), [], 'nothing is reported as taken back');
    assert.deepEqual(session.notRolledBack().map(describeEntry), [`wrote ${SITE}`, `created ${LINK}`]);
    assert.match(transcript.join(''), new RegExp(`-- exit 1 after 0\\.0s\\nrollback incomplete: .*created ${LINK}`));
    const out = printed.join('');
    assert.ok(out.includes(`元に戻すのに失敗しました。`), `the plain output says so:\n${out}`);
    assert.ok(out.includes(`  ✗ ${LINK} を作成\n  ✗ ${SITE} を書き込み\n`), `and lists both, in Japanese:\n${out}`);
  });

  it('what was taken back before the failure leaves the journal; only the rest stays', async () => {
    const fake = new FakeSystem({ commands: linkThenFailingTest() });
    const earlier: JournalEntry = {
      kind: 'created',
      step: 'virtualenv',
      path: '/home/demo/myapp',
      made: 'directory',
      runAs: 'service-user',
    };
    const run = runSession(nginxStep(), fake, [earlier], undefined, [UNDO_SITE]);
    const { session, finished, undone, recorded } = run;
    await finished;
    assert.deepEqual(undone, [UNDO_LINK, UNDO_SITE]);
    assert.deepEqual(recorded.at(-1)?.map(describeEntry), ['created /home/demo/myapp', `wrote ${SITE}`]);
    assert.deepEqual(session.rolledBack().map(describeEntry), [`created ${LINK}`]);
    assert.deepEqual(session.notRolledBack().map(describeEntry), [`wrote ${SITE}`]);
  });

  it('stopped in the middle, what could not be taken back is kept and reported too', async () => {
    const fake = new FakeSystem({ commands: { ...linkThenFailingTest(), configtest: { held: true } } });
    const { session, finished, recorded } = runSession(nginxStep(), fake, [], undefined, linkKept);
    while (!fake.running.has('configtest')) await sleep(2);
    session.interrupt();
    const final = await finished;
    assert.deepEqual(final.phase, { kind: 'quit', reason: 'user' });
    assert.equal(recorded.at(-1)?.length, 2);
    assert.deepEqual(session.notRolledBack().map(describeEntry), [`wrote ${SITE}`, `created ${LINK}`]);
    assert.equal(exitCodeOf(final, session.notRolledBack()), EXIT.stepFailed, 'not 130: something is left behind');
    assert.equal(exitCodeOf(final, []), EXIT.interrupted, 'a quit whose rollback succeeded is a quit');
  });

  it('with a person, the failure shows what stayed; a retry that then succeeds leaves nothing to report', async () => {
    let failing = true;
    const fake = new FakeSystem({ commands: { link: { creates: { [LINK]: { kind: 'link', target: SITE } } } } });
    const original = fake.start.bind(fake);
    fake.start = (action, onOutput) => {
      if (action.id !== 'configtest' || !failing) return original(action, onOutput);
      return { done: Promise.resolve(refused), stop: () => undefined };
    };
    const { session, finished } = runSession(nginxStep(), fake, [], undefined, linkKept, false);
    for (let i = 0; i < 3; i++) {
      while (session.getState().phase.kind !== 'confirm') await sleep(2);
      session.dispatch({ type: 'continue', at: 0 });
    }
    while (session.getState().phase.kind !== 'action-failed') await sleep(2);
    assert.deepEqual(session.getState().notTakenBack.map(describeEntry), [`wrote ${SITE}`, `created ${LINK}`]);
    failing = false;
    session.dispatch({ type: 'retry', at: 1 });
    for (let i = 0; i < 3; i++) {
      while (session.getState().phase.kind !== 'confirm') await sleep(2);
      session.dispatch({ type: 'continue', at: 2 });
    }
    const final = await finished;
    assert.equal(final.statuses.nginx, 'done');
    assert.deepEqual(session.notRolledBack(), [], "the link that stayed is now the done step's own");
  });

  it('the words after the run: taken back, not taken back (newest first) and what to try, in both languages', () => {
    const site: JournalEntry = { kind: 'file', step: 'nginx', path: SITE, owner: 'root' };
    const link: JournalEntry = { kind: 'created', step: 'nginx', path: LINK, made: 'file', runAs: 'root' };
    assert.deepEqual(rollbackLines([], [site, link], 'en'), [
      'The step is all or nothing, but taking it back failed. Still on this machine, and still recorded for undo ' +
        '(newest first):',
      `  ✗ created ${LINK}`,
      `  ✗ wrote ${SITE}`,
      'Try: read in the log why the command failed (after "rolling back"), fix that, then run uwsgi-nginx-guide undo ' +
        'to take these back, or run the wizard again to do the step.',
    ]);
    const ja = rollbackLines([link], [site], 'ja');
    assert.equal(ja.length, 5);
    assert.match(ja[0]!, /^このステップは.*元に戻しました/);
    assert.equal(ja[1], `  ↶ ${LINK} を作成`);
    assert.match(ja[2]!, /元に戻すのに失敗しました/);
    assert.match(ja[4]!, /^次を試してください: .*uwsgi-nginx-guide undo/);
    assert.deepEqual(rollbackLines([], [], 'ja'), []);
  });
});

describe('undo', () => {
  const ctx = makeContext();

  it('takes entries back newest first, each with the privileges of this machine', () => {
    const entries: JournalEntry[] = [
      { kind: 'created', step: 'virtualenv', path: '/home/demo/myapp', made: 'directory', runAs: 'service-user' },
      { kind: 'file', step: 'wsgi-app', path: '/home/demo/myapp/wsgi.py', owner: 'demo' },
      { kind: 'file', step: 'nginx', path: SITE, owner: 'root', backup: `${SITE}.bak-20261121T100000` },
      { kind: 'relinked', step: 'nginx', path: LINK, previousTarget: '/etc/nginx/sites-available/old', runAs: 'root' },
    ];
    assert.deepEqual(
      planUndo(ctx, entries).map((a) => a.command),
      [
        `ln -sfn /etc/nginx/sites-available/old ${LINK}`,
        `mv -f ${SITE}.bak-20261121T100000 ${SITE}`,
        'runuser -u demo -- rm -f /home/demo/myapp/wsgi.py',
        'runuser -u demo -- rmdir /home/demo/myapp',
      ],
    );
    const asUser = makeContext({ runningAs: 'admin' });
    assert.equal(planUndo(asUser, [entries[2]!])[0]?.command, `sudo mv -f ${SITE}.bak-20261121T100000 ${SITE}`);
  });

  it('the curriculum declares an undo for every directory, link and process it leaves', () => {
    for (const serviceManager of ['none', 'systemd', 'upstart'] as const) {
      const plan = planFor({ platform: { ...planFor().platform, serviceManager } });
      const effects = plan.steps.flatMap((s) =>
        s.actions.flatMap((a) => (a.kind === 'command' ? (a.effects ?? []) : [])),
      );
      assert.ok(
        effects.some((e) => e.kind === 'starts'),
        `${serviceManager}: the service start is undoable`,
      );
      assert.ok(
        effects.some((e) => e.kind === 'links'),
        `${serviceManager}: the site link is undoable`,
      );
      assert.ok(
        effects.some((e) => e.kind === 'creates' && e.path === '/home/demo/myapp'),
        `${serviceManager}: the app directory is undoable`,
      );
      // The app directory is removed with rmdir: files the person added there are never taken.
      assert.deepEqual(
        effects.find((e) => e.kind === 'creates' && e.path === '/home/demo/myapp'),
        { kind: 'creates', path: '/home/demo/myapp', made: 'directory', runAs: 'service-user' },
      );
    }
  });
});

describe('a file of the person that differs', () => {
  const WSGI = '/home/demo/myapp/wsgi.py';
  const plan = () => planOf(step('wsgi-app', { actions: [fileAction('wsgi', WSGI)], checks: [check('wsgi')] }));

  function interactive(fake: FakeSystem) {
    const session = new WizardSession(plan(), fake, { auto: false, pollMs: 2 });
    return { session, finished: session.run() };
  }

  it('is shown as a diff and not written until the person decides', async () => {
    const fake = new FakeSystem();
    fake.files.set(WSGI, 'edited by hand\n');
    const { session } = interactive(fake);
    session.dispatch({ type: 'continue', at: 0 });
    while (session.getState().phase.kind !== 'file-differs') await sleep(2);
    const phase = session.getState().phase;
    assert.match(phase.kind === 'file-differs' ? phase.diff : '', /-edited by hand\n\+content/);
    assert.deepEqual(fake.performed, [], 'nothing written yet');
    session.interrupt();
  });

  it("replace writes it (the backup is writeFile's business) and the step goes on", async () => {
    const fake = new FakeSystem();
    fake.files.set(WSGI, 'edited by hand\n');
    const { session, finished } = interactive(fake);
    session.dispatch({ type: 'continue', at: 0 });
    while (session.getState().phase.kind !== 'file-differs') await sleep(2);
    session.dispatch({ type: 'replace-file', at: 1 });
    const final = await finished;
    assert.deepEqual(fake.performed, ['wsgi']);
    assert.equal(final.statuses['wsgi-app'], 'done');
  });

  it('keep leaves their file alone and marks the step skipped, not done', async () => {
    const fake = new FakeSystem();
    fake.files.set(WSGI, 'edited by hand\n');
    const { session, finished } = interactive(fake);
    session.dispatch({ type: 'continue', at: 0 });
    while (session.getState().phase.kind !== 'file-differs') await sleep(2);
    session.dispatch({ type: 'keep-file' });
    const final = await finished;
    assert.deepEqual(fake.performed, []);
    assert.equal(final.statuses['wsgi-app'], 'skipped');
  });

  it('an identical file, or none, is not asked about', async () => {
    const fake = new FakeSystem();
    fake.files.set(WSGI, 'content\n');
    const { session, finished } = interactive(fake);
    session.dispatch({ type: 'continue', at: 0 });
    const final = await finished;
    assert.deepEqual(fake.performed, ['wsgi']);
    assert.equal(final.statuses['wsgi-app'], 'done');
  });
});
