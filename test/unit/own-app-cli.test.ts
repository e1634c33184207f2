// --app-source and --app-module through the shipped CLI (issue 17), on real directories: what cannot be
// deployed is refused with exit 2 before anything runs, in both languages, naming what was looked at;
// and a project that is found never gets the guide's hello world deployed in its place.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { IS_ROOT, personEnv, runShipped } from '../cli-run.js';

const APPS = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'), 'fixtures', 'apps');
const work = mkdtempSync(join(tmpdir(), 'uwsgi-guide-own-app-'));
// Open to the app's account: what it may not read is only the directory made private below.
chmodSync(work, 0o755);
after(() => rmSync(work, { recursive: true, force: true }));

/** A normal account of this machine (root's wizard reads a project as the app's account). */
const normalAccount = spawnSync('getent', ['passwd'], { encoding: 'utf8' })
  .stdout?.split('\n')
  .map((entry) => entry.split(':'))
  .find((fields) => Number(fields[2]) >= 1000 && Number(fields[2]) < 60000)?.[0];
const env = personEnv(join(work, 'state'));
// --dry-run: were a refusal ever missed, the run would print a plan and change nothing.
const PLAN = ['--dry-run', '--platform', 'debian-12', '--server-name', 'example.com', '--app-name', 'ownapp'];
const USER = ['--user', IS_ROOT ? 'root' : userInfo().username];

const run = (lang: 'en' | 'ja', ...args: string[]) => runShipped([...PLAN, ...USER, '--lang', lang, ...args], env);

function refused(result: ReturnType<typeof runShipped>, message: RegExp, tryThis: RegExp): void {
  assert.equal(result.status, 2, result.stderr);
  assert.equal(result.stdout, '', 'no plan printed');
  assert.match(result.stderr, message);
  assert.match(result.stderr, tryThis);
}

describe('--app-source refused by the CLI, exit 2', () => {
  it('a path that is not there', () => {
    const missing = join(work, 'nope');
    refused(
      run('en', '--app-source', missing),
      new RegExp(`there is no directory ${missing} \\(--app-source\\)`),
      /\nTry: check the path/,
    );
    refused(
      run('ja', '--app-source', missing),
      new RegExp(`ディレクトリ ${missing} がありません`),
      /\n次を試してください: パスを確かめて/,
    );
  });

  it('a project the app account cannot read, naming the account and what find said', {
    skip: IS_ROOT && normalAccount ? false : 'needs root and a normal account to read as',
  }, () => {
    const secret = join(work, 'secret');
    mkdirSync(secret, { mode: 0o700 });
    writeFileSync(join(secret, 'app.py'), 'from flask import Flask\napp = Flask(__name__)\n');
    const args = [...PLAN, '--user', normalAccount!, '--app-source', secret];
    const en = runShipped([...args, '--lang', 'en'], env);
    refused(
      en,
      new RegExp(`the account ${normalAccount} cannot read ${secret} \\(find: '${secret}': Permission denied\\)`),
      /\nTry: let /,
    );
    const ja = runShipped([...args, '--lang', 'ja'], env);
    refused(ja, new RegExp(`アカウント ${normalAccount} は ${secret} を読めません`), /\n次を試してください: /);
  });

  it('a directory with no Python in it', () => {
    const docs = join(work, 'docs');
    mkdirSync(docs);
    writeFileSync(join(docs, 'README.md'), '# app = Flask(__name__)\n');
    refused(
      run('en', '--app-source', docs),
      /holds no Python file \(looked for manage\.py, wsgi\.py/,
      /\nTry: give the project's own directory/,
    );
  });

  it('two candidate apps, both named', () => {
    const two = join(work, 'two');
    mkdirSync(join(two, 'admin'), { recursive: true });
    writeFileSync(join(two, 'app.py'), 'from flask import Flask\napp = Flask(__name__)\n');
    writeFileSync(join(two, 'admin', '__init__.py'), 'from flask import Flask\napplication = Flask("admin")\n');
    refused(
      run('en', '--app-source', two),
      /holds more than one app: app:app \(app\.py\), admin:application \(admin\/__init__\.py\)/,
      /\nTry: choose it: --app-module app:app\n$/,
    );
    refused(
      run('ja', '--app-source', two),
      /アプリが複数あります: app:app/,
      /\n次を試してください: どれかを選んでください: --app-module app:app\n$/,
    );
  });

  it('--app-module naming a callable that is not there', () => {
    refused(
      run('en', '--app-source', join(APPS, 'flask-site'), '--app-module', 'app:application'),
      /--app-module app:application: app\.py defines no application at its top level/,
      /\nTry: the name of the app object in app\.py/,
    );
    refused(
      run('ja', '--app-source', join(APPS, 'flask-site'), '--app-module', 'app:application'),
      /app\.py のトップレベルに application が定義されていません/,
      /\n次を試してください: /,
    );
  });

  it('an --app-module that is not module:callable is refused as a malformed answer', () => {
    const result = run('en', '--app-source', join(APPS, 'flask-site'), '--app-module', 'app');
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /--app-module: "app": use module:callable/);
  });
});

describe('a project found', () => {
  it("is planned, or refused as not deployable by this build: never the hello world's plan", () => {
    const hello = run('en');
    assert.equal(hello.status, 0, hello.stderr);
    for (const app of ['flask-site', 'flask-factory', 'django-site']) {
      const own = run('en', '--app-source', join(APPS, app));
      if (own.status === 2) assert.match(own.stderr, /but this build cannot deploy your own app yet/);
      else {
        assert.equal(own.status, 0, own.stderr);
        assert.notEqual(own.stdout, hello.stdout);
      }
    }
  });
});
