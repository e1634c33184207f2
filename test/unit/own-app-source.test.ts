// Reading a person's project from disk (src/exec/own-app-source.ts), on real files: the fixture
// projects read whole, symbolic links never followed (not even to a file that looks like an app),
// a venv not listed inside, a git repository noticed, and a directory the account cannot read refused
// as that account (runuser, when the tests run as root).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findApp } from '../../src/engine/own-app/find.js';
import type { SourceReading } from '../../src/engine/ports.js';
import { readSource } from '../../src/exec/own-app-source.js';

const APPS = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'), 'fixtures', 'apps');
const IS_ROOT = process.getuid?.() === 0;
const work = mkdtempSync(join(tmpdir(), 'uwsgi-guide-source-'));
// Open to the account the wizard reads as: what it cannot read is only the directory made private below.
chmodSync(work, 0o755);
after(() => rmSync(work, { recursive: true, force: true }));

/** A normal account of this machine that root's wizard would read as (none: that test is skipped). */
const normalAccount = (() => {
  const passwd = spawnSync('getent', ['passwd'], { encoding: 'utf8' }).stdout ?? '';
  const line = passwd.split('\n').find((entry) => {
    const uid = Number(entry.split(':')[2]);
    return uid >= 1000 && uid < 60000;
  });
  return line?.split(':')[0];
})();

function read(reading: SourceReading) {
  assert.equal(reading.kind, 'read', JSON.stringify(reading));
  return (reading as Extract<SourceReading, { kind: 'read' }>).tree;
}

describe('readSource', () => {
  it('reads a fixture project: its files, directories and the text of its Python files, as on disk', async () => {
    const reading = await readSource(join(APPS, 'django-site'), undefined);
    const tree = read(reading);
    assert.ok(tree.files.includes('manage.py') && tree.files.includes('requirements.txt'));
    assert.ok(tree.dirs.includes('mysite') && tree.dirs.includes('pages/migrations'));
    assert.equal(tree.texts['mysite/settings.py'], readFileSync(join(APPS, 'django-site/mysite/settings.py'), 'utf8'));
    assert.equal(tree.texts['requirements.txt'], undefined, 'only Python files are read');
    assert.equal(findApp(tree).kind, 'found');
  });

  it('never follows a symbolic link: an app.py linking out of the project, a directory linking to /etc', async () => {
    const project = join(work, 'linked');
    mkdirSync(join(project, 'venv', 'lib'), { recursive: true });
    writeFileSync(join(work, 'outside.py'), 'from flask import Flask\napp = Flask(__name__)\n');
    symlinkSync(join(work, 'outside.py'), join(project, 'app.py'));
    symlinkSync('/etc', join(project, 'etc'));
    writeFileSync(join(project, 'venv', 'lib', 'site.py'), 'application = 1\n');
    writeFileSync(join(project, 'util.py'), 'X = 1\n');
    const tree = read(await readSource(project, undefined));
    assert.deepEqual([...tree.files].sort(), ['util.py']);
    assert.deepEqual([...tree.dirs].sort(), ['venv'], 'the venv is named, not listed inside; the link to /etc is not');
    assert.deepEqual(Object.keys(tree.texts), ['util.py']);
    assert.equal(findApp(tree).kind, 'none');
  });

  it('notices a git repository, and reads its working tree', async () => {
    const project = join(work, 'repo');
    mkdirSync(join(project, '.git', 'objects'), { recursive: true });
    writeFileSync(join(project, 'wsgi.py'), 'def application(environ, start_response):\n    return []\n');
    const tree = read(await readSource(project, undefined));
    assert.equal(tree.git, true);
    assert.deepEqual(tree.files, ['wsgi.py']);
  });

  it('says missing, and not a directory', async () => {
    assert.deepEqual(await readSource(join(work, 'nothing-here'), undefined), {
      kind: 'missing',
      path: join(work, 'nothing-here'),
    });
    const file = join(APPS, 'flask-site', 'app.py');
    assert.deepEqual(await readSource(file, undefined), { kind: 'not-a-directory', path: file });
  });

  it('refuses a project the reading account may not enter, with what the system said', {
    skip: IS_ROOT && !normalAccount ? 'as root, with no normal account to read as' : false,
  }, async () => {
    const project = join(work, 'private');
    mkdirSync(project);
    writeFileSync(join(project, 'app.py'), 'app = 1\n');
    chmodSync(project, IS_ROOT ? 0o700 : 0o000);
    // As root the wizard reads as the app's account (runuser); as another account, as itself.
    const asUser = IS_ROOT ? normalAccount : undefined;
    const reading = await readSource(project, asUser);
    chmodSync(project, 0o700);
    assert.equal(reading.kind, 'unreadable', JSON.stringify(reading));
    assert.match((reading as Extract<SourceReading, { kind: 'unreadable' }>).error, /Permission denied/);
  });
});
