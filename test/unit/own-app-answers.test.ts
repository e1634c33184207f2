// The person's own project as an answer (issue 17): --app-source and --app-module taken, read as
// the app's account, the app found put in the plan's context; every project that cannot be deployed
// refused before anything runs (exit 2) naming what was looked at; asked only after "my own app?";
// and a build without the own-app steps never deploying the hello world in its place.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prepare } from '../../src/app/answers.js';
import { runStatus } from '../../src/app/status.js';
import { runWizard } from '../../src/app/wizard.js';
import { UserError } from '../../src/app/user-error.js';
import type { SourceTree } from '../../src/engine/own-app/find.js';
import { fakeSurroundings } from '../fake-surroundings.js';
import { ANSWERS, FakeSystem } from '../helpers.js';
import { emptyProgress, parseProgress } from '../../src/engine/progress.js';

/** A project of these files' texts, as System.readSource gives it. */
function project(texts: Record<string, string>): SourceTree {
  const files = Object.keys(texts);
  const dirs = [...new Set(files.flatMap((file) => (file.includes('/') ? [file.split('/')[0]!] : [])))];
  return { files, dirs, texts };
}

const FLASK = project({ 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' });
const TWO = project({
  'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
  'admin/__init__.py': 'from flask import Flask\napplication = Flask("admin")\n',
});
const BASE = { user: 'demo', serverName: 'example.com' };

function machineWith(sources: Record<string, SourceTree>): FakeSystem {
  const system = new FakeSystem();
  for (const [root, tree] of Object.entries(sources)) system.sources.set(root, { kind: 'read', root, tree });
  return system;
}

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  assert.ok(error instanceof UserError, `refused as the person's mistake, not: ${String(error)}`);
  assert.equal(error.exitCode, 2);
  return error;
}

describe('--app-source', () => {
  it('reads the project as the app account (root runs the wizard), relative to the current directory', async () => {
    const system = machineWith({ '/work/site': FLASK });
    const { s } = fakeSurroundings({ system, cwd: '/work' });
    const { ctx } = await prepare(s, { ...BASE, appSource: 'site' }, false, 'inspect');
    assert.deepEqual(system.sourcesRead, [{ path: '/work/site', asUser: 'demo' }]);
    assert.equal(ctx.answers.appSource, '/work/site', 'kept absolute, for the record');
    assert.deepEqual([ctx.ownApp?.framework, ctx.ownApp?.module, ctx.ownApp?.callable], ['flask', 'app', 'app']);
  });

  it('from an answers file (app-source:, app-module:), a relative path read from the current directory', async () => {
    const system = machineWith({ '/work/two': TWO });
    const files = { '/work/answers.yaml': 'app-source: two\napp-module: admin:application\n' };
    const { s } = fakeSurroundings({ system, cwd: '/work', files });
    const { ctx } = await prepare(s, { ...BASE, answers: '/work/answers.yaml' }, false, 'inspect');
    assert.deepEqual(
      [ctx.answers.appSource, ctx.answers.appModule, ctx.ownApp?.module],
      ['/work/two', 'admin:application', 'admin'],
    );
  });

  it('as the account itself, when the wizard is not root', async () => {
    const system = machineWith({ '/work/site': FLASK });
    const { s } = fakeSurroundings({ system, isRoot: false });
    await prepare(s, { ...BASE, appSource: '/work/site' }, false, 'inspect');
    assert.deepEqual(system.sourcesRead, [{ path: '/work/site', asUser: undefined }]);
  });

  it('without it, nothing is read and the plan is the guide’s hello world', async () => {
    const system = machineWith({});
    const { s } = fakeSurroundings({ system });
    const { ctx } = await prepare(s, BASE, false, 'run');
    assert.deepEqual(system.sourcesRead, []);
    assert.equal(ctx.ownApp, undefined);
    assert.equal(ctx.answers.appSource, undefined);
  });

  it('a project found is never deployed as the hello world: the plan changes, or the run is refused', async () => {
    const withApp = fakeSurroundings({ system: machineWith({ '/work/site': FLASK }) });
    const without = fakeSurroundings({ system: machineWith({}) });
    const hello = (await prepare(without.s, BASE, false, 'run')).plan;
    for (const use of ['run', 'plan'] as const) {
      const outcome = await prepare(withApp.s, { ...BASE, appSource: '/work/site' }, false, use).then(
        (prepared) => prepared.plan,
        (error: unknown) => error,
      );
      if (outcome instanceof UserError) {
        assert.match(outcome.text('en'), /found app:app \(Flask\) in \/work\/site, but this build cannot deploy/);
        assert.match(outcome.text('ja'), /\/work\/site に app:app \(Flask\) を見つけましたが/);
      } else assert.notDeepEqual(outcome, hello);
    }
  });
});

describe('refused before anything runs (exit 2), naming what was looked at', () => {
  const refuse = (flags: Record<string, string>, sources: Record<string, SourceTree> = {}) =>
    refusal(prepare(fakeSurroundings({ system: machineWith(sources) }).s, { ...BASE, ...flags }, false, 'run'));

  it('a path that is not there', async () => {
    const error = await refuse({ appSource: '/srv/nope' });
    assert.match(
      error.text('en'),
      /^there is no directory \/srv\/nope \(--app-source\)\. Nothing was changed\.\nTry: /,
    );
    assert.match(error.text('ja'), /^ディレクトリ \/srv\/nope がありません/);
  });

  it('a directory the app account cannot read, naming the account and what the system said', async () => {
    const system = new FakeSystem();
    system.sources.set('/root/site', {
      kind: 'unreadable',
      path: '/root/site',
      error: "find: '/root/site': Permission denied",
    });
    const error = await refusal(
      prepare(fakeSurroundings({ system }).s, { ...BASE, appSource: '/root/site' }, false, 'run'),
    );
    assert.match(
      error.text('en'),
      /the account demo cannot read \/root\/site \(find: '\/root\/site': Permission denied\)/,
    );
    assert.match(error.text('ja'), /アカウント demo は \/root\/site を読めません/);
  });

  it('a project with no Python in it', async () => {
    const error = await refuse({ appSource: '/work/docs' }, { '/work/docs': project({ 'README.md': 'hi' }) });
    assert.match(error.text('en'), /\/work\/docs holds no Python file \(looked for manage\.py, wsgi\.py, app\.py/);
  });

  it('Python but no app: what was looked at, and --app-module to try', async () => {
    const error = await refuse({ appSource: '/work/lib' }, { '/work/lib': project({ 'util.py': 'X = 1\n' }) });
    assert.match(error.text('en'), /no WSGI app was found in \/work\/lib: looked at util\.py for/);
    assert.match(error.text('en'), /\nTry: name it: --app-module module:callable/);
  });

  it('two apps: both named, and the first offered as --app-module', async () => {
    const error = await refuse({ appSource: '/work/two' }, { '/work/two': TWO });
    assert.match(
      error.text('en'),
      /holds more than one app: app:app \(app\.py\), admin:application \(admin\/__init__\.py\)/,
    );
    assert.match(error.text('en'), /\nTry: choose it: --app-module app:app$/);
    assert.match(error.text('ja'), /アプリが複数あります/);
  });

  it('--app-module naming a callable that is not there, or a module that is not', async () => {
    const sources = { '/work/two': TWO };
    const noCallable = await refuse({ appSource: '/work/two', appModule: 'app:application' }, sources);
    assert.match(
      noCallable.text('en'),
      /^--app-module app:application: app\.py defines no application at its top level/,
    );
    const noModule = await refuse({ appSource: '/work/two', appModule: 'shop:app' }, sources);
    assert.match(
      noModule.text('en'),
      /^--app-module shop:app: there is no shop\.py \/ shop\/__init__\.py in the project/,
    );
  });

  it('--app-module chooses one of several', async () => {
    const { s } = fakeSurroundings({ system: machineWith({ '/work/two': TWO }) });
    const { ctx } = await prepare(
      s,
      { ...BASE, appSource: '/work/two', appModule: 'admin:application' },
      false,
      'inspect',
    );
    assert.equal(ctx.ownApp?.module, 'admin');
    assert.equal(ctx.answers.appModule, 'admin:application');
  });

  it('--app-module without --app-source', async () => {
    const error = await refuse({ appModule: 'app:app' });
    assert.match(error.text('en'), /--app-module names the app in your own project: it needs --app-source too/);
  });

  it('status and undo go on without a project that is gone, saying so', async () => {
    const { s, stderr } = fakeSurroundings({ system: machineWith({}) });
    const { ctx } = await prepare(s, { ...BASE, appSource: '/srv/gone' }, false, 'inspect');
    assert.equal(ctx.ownApp, undefined);
    assert.equal(ctx.answers.appSource, '/srv/gone');
    assert.match(stderr.text, /The project of this app could not be read now: there is no directory \/srv\/gone/);
  });
});

describe('asked at a terminal', () => {
  // The test port is left to its question: "my own app?" comes with the questions the flags left open.
  const given = { ...BASE, webGroup: 'www-data', processes: '5', appName: 'myapp', appDir: '/x/myapp' };

  it('"my own app?" No (the default): the hello world, and no project question', async () => {
    const fake = fakeSurroundings({
      system: machineWith({}),
      stdinIsTTY: true,
      answers: { input: ['8080'], confirm: [false] },
    });
    const { ctx } = await prepare(fake.s, given, true, 'inspect');
    assert.equal(ctx.ownApp, undefined);
    assert.deepEqual(
      fake.asked.map((q) => q.message),
      ['Port for the test run', "Deploy your own Flask or Django project instead of the guide's hello world?"],
    );
    assert.deepEqual(fake.system.sourcesRead, []);
  });

  it('a command line that answers every question is asked nothing more: no "my own app?"', async () => {
    const fake = fakeSurroundings({ system: machineWith({}), stdinIsTTY: true, answers: {} });
    const { ctx } = await prepare(fake.s, { ...given, testPort: '8080' }, true, 'inspect');
    assert.equal(ctx.ownApp, undefined);
    assert.deepEqual(fake.asked, []);
  });

  it('Yes: the directory, then, for a project with two apps, which one', async () => {
    const script = fakeSurroundings({
      system: machineWith({ '/work/two': TWO }),
      stdinIsTTY: true,
      answers: { confirm: [true], input: ['8080', '/work/two', 'admin:application'] },
    });
    const { ctx } = await prepare(script.s, given, true, 'inspect');
    assert.equal(ctx.ownApp?.module, 'admin');
    assert.deepEqual(ctx.answers.appModule, 'admin:application');
    assert.match(script.stdout.text, /holds more than one app: app:app \(app\.py\), admin:application/);
    assert.equal(
      script.asked.at(-1)?.message,
      'Its WSGI app, as module:callable (uWSGI imports the module and serves the callable)',
    );
  });
});

describe('status keeps the project', () => {
  it('status --json names the app source (and module) given or recorded; the text names it beside the app', async () => {
    const fake = fakeSurroundings({ system: machineWith({ '/work/two': TWO }) });
    const flags = { ...BASE, appSource: '/work/two', appModule: 'admin:application' };
    await runStatus(fake.s, { ...flags, json: true });
    const report = JSON.parse(fake.stdout.text) as { appSource?: string; appModule?: string };
    assert.deepEqual([report.appSource, report.appModule], ['/work/two', 'admin:application']);
    const text = fakeSurroundings({ system: machineWith({ '/work/two': TWO }) });
    await runStatus(text.s, flags);
    assert.match(text.stdout.text, /^myapp \(demo, \/home\/demo\/myapp\) · your project \/work\/two · /);
  });

  it('a run without it says nothing of a project', async () => {
    const fake = fakeSurroundings({ system: machineWith({}) });
    await runStatus(fake.s, { ...BASE, json: true });
    assert.equal((JSON.parse(fake.stdout.text) as { appSource?: string }).appSource, undefined);
  });
});

describe('the record keeps the project', () => {
  it('progress.json read back holds app-source and app-module (a record without them reads as before)', () => {
    const answers = { ...ANSWERS, appSource: '/work/site', appModule: 'app:app' };
    const reading = parseProgress(JSON.stringify(emptyProgress(answers, '2026-01-02T03:04:05.000Z')));
    assert.equal(reading.kind, 'ok');
    assert.deepEqual((reading as Extract<typeof reading, { kind: 'ok' }>).progress.answers, answers);
    const plain = parseProgress(JSON.stringify(emptyProgress(ANSWERS, '2026-01-02T03:04:05.000Z')));
    assert.deepEqual((plain as Extract<typeof plain, { kind: 'ok' }>).progress.answers, ANSWERS);
  });
});

describe('a run with a project writes it into the record', () => {
  it('an installation recorded with the hello world, run again with --app-source: the record then names the project', async () => {
    const system = machineWith({ '/work/site': FLASK });
    const progress = emptyProgress(ANSWERS, '2026-01-01T00:00:00.000Z');
    const fake = fakeSurroundings({ system, progress });
    const flags = { ...BASE, appName: ANSWERS.appName, platform: 'debian-12-noinit', lang: 'en' as const };
    await runWizard(fake.s, { ...flags, appSource: '/work/site', yes: true });
    assert.ok(fake.written.length > 0, fake.stderr.text);
    assert.equal(fake.written.at(-1)?.progress.answers.appSource, '/work/site');
  });
});
