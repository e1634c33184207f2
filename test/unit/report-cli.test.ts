// `report` on a machine where several apps were set up: the last run's record by default, and the
// record of the app named before it (--app-name) when that one is on the shelf (issue 7's report,
// for a teacher whose class set up more than one app). Run from the shipped file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { emptyProgress } from '../../src/engine/progress.js';
import { progressPath, shelvedPath } from '../../src/exec/progress-store.js';
import { ANSWERS } from '../helpers.js';

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SHIPPED = join(PROJECT, 'dist', 'bundle', 'uwsgi-nginx-guide.cjs');
const state = mkdtempSync(join(tmpdir(), 'uwsgi-guide-report-'));
const out = join(state, 'out');
after(() => rmSync(state, { recursive: true, force: true }));

const dir = join(state, 'uwsgi-nginx-guide');
const last = { ...ANSWERS, appName: 'lastapp', appDir: '/srv/lastapp' };
const shelved = { ...ANSWERS, appName: 'shelvedapp', appDir: '/srv/shelvedapp' };

function report(...before: string[]) {
  const run = spawnSync(process.execPath, [SHIPPED, ...before, 'report', '--out', out, '--lang', 'en'], {
    encoding: 'utf8',
    env: { ...process.env, XDG_STATE_HOME: state },
  });
  const written = /^\s+(\S+\.json)$/m.exec(run.stdout)?.[1];
  return {
    ...run,
    app: written ? (JSON.parse(readFileSync(written, 'utf8')) as { app: { name: string } }).app.name : undefined,
  };
}

describe('report with several apps on the machine', () => {
  mkdirSync(join(dir, 'apps'), { recursive: true });
  writeFileSync(progressPath(dir), JSON.stringify(emptyProgress(last, '2026-11-21T10:00:00.000Z')));
  writeFileSync(shelvedPath(shelved, dir), JSON.stringify(emptyProgress(shelved, '2026-11-20T10:00:00.000Z')));

  it("reports the last run's app when no app is named, and when it is named", () => {
    assert.equal(report().app, 'lastapp');
    assert.equal(report('--app-name', 'lastapp').app, 'lastapp');
  });

  it('takes --app-name after `report` too, as `status` and `undo` do', () => {
    const run = spawnSync(
      process.execPath,
      [SHIPPED, 'report', '--app-name', 'shelvedapp', '--app-dir', '/srv/shelvedapp', '--out', out, '--lang', 'en'],
      { encoding: 'utf8', env: { ...process.env, XDG_STATE_HOME: state } },
    );
    assert.equal(run.status, 0, run.stderr);
    const written = /^\s+(\S+\.json)$/m.exec(run.stdout)?.[1];
    assert.ok(written, run.stdout);
    assert.equal((JSON.parse(readFileSync(written, 'utf8')) as { app: { name: string } }).app.name, 'shelvedapp');
  });

  it('reports an app whose record is on the shelf when it is named', () => {
    const run = report('--app-name', 'shelvedapp');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.app, 'shelvedapp');
  });

  it('does not take the same app of another directory for the one named', () => {
    const run = report('--app-name', 'lastapp', '--app-dir', '/srv/elsewhere');
    assert.notEqual(run.status, 0);
    assert.equal(run.app, undefined);
    assert.match(run.stderr, /No record of the app lastapp/);
    assert.equal(report('--app-name', 'shelvedapp', '--app-dir', '/srv/shelvedapp').app, 'shelvedapp');
  });

  it('says there is no record of an app never set up here, with what to try', () => {
    const run = report('--app-name', 'neverapp');
    assert.notEqual(run.status, 0);
    assert.equal(run.app, undefined);
    assert.match(run.stderr, /No record of the app neverapp/);
    assert.match(run.stderr, /Try this: run the wizard for it \(--app-name neverapp\)/);
  });
});

// A link under the report's name, in a directory others can write to: a situation the person sets
// right (exit 2, as the run lock refuses a link in its place), not our bug (70 and a bug log).
describe('report where a symbolic link takes the name of its file', () => {
  for (const lang of ['en', 'ja'] as const) {
    it(`is refused with the file named and what to try, nothing written, exit 2 (${lang})`, () => {
      const names = /^\s+(\S+)\.json$/m.exec(report().stdout)?.[1];
      assert.ok(names, 'a first report, to learn its names');
      const shared = join(state, `shared-${lang}`);
      mkdirSync(shared);
      const target = join(state, `precious-${lang}`);
      writeFileSync(target, 'not yours\n');
      const link = join(shared, `${basename(names)}.json`);
      symlinkSync(target, link);
      const run = spawnSync(process.execPath, [SHIPPED, 'report', '--out', shared, '--lang', lang], {
        encoding: 'utf8',
        env: { ...process.env, XDG_STATE_HOME: state },
      });
      assert.equal(run.status, 2, `exit 2; it exited ${run.status}: ${run.stderr}`);
      const said =
        lang === 'en'
          ? `uwsgi-nginx-guide: ${link} is a symbolic link: the report is not written through it`
          : `uwsgi-nginx-guide: ${link} はシンボリックリンクです。レポートはリンクの先には書きません`;
      assert.ok(run.stderr.startsWith(said), run.stderr);
      const tryThis =
        lang === 'en'
          ? `\nTry: write the report to another directory (--out DIR), or look at the link (ls -l ${link}), remove it`
          : `\n次を試してください: 別のディレクトリに書く (--out DIR) か、リンクを確かめて (ls -l ${link}) 削除し`;
      assert.ok(run.stderr.includes(tryThis), run.stderr);
      assert.doesNotMatch(run.stderr, /bug|バグ/i, 'not said as our bug');
      assert.equal(readFileSync(target, 'utf8'), 'not yours\n', 'what the link points to is untouched');
      assert.ok(!existsSync(join(shared, `${basename(names)}.md`)), 'the other file is not written either');
    });
  }
});
