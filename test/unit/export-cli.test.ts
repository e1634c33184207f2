// Issue 19: `export` through the shipped CLI: what it refuses (exit 2, nothing written, in both
// languages), and what it writes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { personEnv, runShipped } from '../cli-run.js';

const work = mkdtempSync(join(tmpdir(), 'uwsgi-guide-export-'));
after(() => rmSync(work, { recursive: true, force: true }));
const env = personEnv(join(work, 'state'));
const ANSWERS = ['--user', 'nobody', '--server-name', 'example.com', '--app-name', 'exported'];

function exportTo(out: string, ...more: string[]) {
  return runShipped(['export', '--platform', 'debian-12', ...ANSWERS, '--out', out, ...more], env);
}

describe('export on the command line (issue 19)', () => {
  it('writes setup.sh (mode 755) and says where', () => {
    const out = join(work, 'ok');
    const run = exportTo(out, '--format', 'shell', '--lang', 'en');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, `wrote ${out}/setup.sh\n`);
    assert.equal(statSync(join(out, 'setup.sh')).mode & 0o777, 0o755);
    assert.match(
      readFileSync(join(out, 'setup.sh'), 'utf8'),
      /^#!\/bin\/sh\n[\s\S]*\nset -eu\n[\s\S]*\nAPP_NAME=exported\n/,
    );
  });

  it("exports for an account this machine lacks: the target's adduser's /home/USER and group; --dry-run refuses", () => {
    // A teacher exports for `student` from a laptop that has no such account: the export makes it on the target.
    const student = 'nosuchstudent';
    assert.notEqual(spawnSync('id', ['-u', student]).status, 0, `no account ${student} on this machine`);
    const answers = ['--user', student, '--server-name', 'example.com', '--app-name', 'exported', '--lang', 'en'];
    const shell = join(work, 'elsewhere-shell');
    const run = runShipped(['export', '--format', 'shell', '--platform', 'debian-12', ...answers, '--out', shell], env);
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      readFileSync(join(shell, 'setup.sh'), 'utf8'),
      new RegExp(`\\nAPP_USER=${student}\\nAPP_GROUP=${student}\\nAPP_DIR=/home/${student}/exported\\n`),
    );
    const ansible = join(work, 'elsewhere-ansible');
    const playbook = runShipped(
      ['export', '--format', 'ansible', '--platform', 'debian-13', ...answers, '--out', ansible],
      env,
    );
    assert.equal(playbook.status, 0, playbook.stderr);
    const vars = readFileSync(join(ansible, 'vars.yml'), 'utf8');
    assert.match(vars, new RegExp(`^app_group: "?${student}"?$`, 'm'));
    assert.match(vars, new RegExp(`^app_dir: "?/home/${student}/exported"?$`, 'm'));
    // The wizard plans for this machine: there the account must exist.
    const dryRun = runShipped(['--dry-run', ...answers], env);
    assert.equal(dryRun.status, 2, dryRun.stderr);
    assert.match(dryRun.stderr, new RegExp(`there is no account "${student}" on this machine`));
  });

  it('an unknown format is refused, exit 2, in both languages', () => {
    const out = join(work, 'format');
    const en = exportTo(out, '--format', 'puppet', '--lang', 'en');
    assert.equal(en.status, 2, en.stderr);
    assert.match(en.stderr, /there is no export format "puppet"\. Nothing was written\.\nTry: --format shell, /);
    const ja = exportTo(out, '--format', 'puppet', '--lang', 'ja');
    assert.equal(ja.status, 2, ja.stderr);
    assert.match(ja.stderr, /"puppet" という書き出し形式はありません。/);
  });

  it('an unknown or missing platform is refused, exit 2, in both languages', () => {
    const out = join(work, 'platform');
    for (const lang of ['en', 'ja']) {
      const unknown = runShipped(
        ['export', '--format', 'shell', '--platform', 'plan9', ...ANSWERS, '--out', out, '--lang', lang],
        env,
      );
      assert.equal(unknown.status, 2, unknown.stderr);
      assert.match(unknown.stderr, /plan9/);
      const missing = runShipped(['export', '--format', 'shell', ...ANSWERS, '--out', out, '--lang', lang], env);
      assert.equal(missing.status, 2, missing.stderr);
      assert.match(
        missing.stderr,
        lang === 'en' ? /export needs the machine it is for: --platform NAME/ : /--platform NAME で指定/,
      );
    }
  });

  it('cloud-init for a platform without a service manager is refused, exit 2, in both languages', () => {
    const out = join(work, 'noinit');
    for (const lang of ['en', 'ja']) {
      const run = runShipped(
        [
          'export',
          '--format',
          'cloud-init',
          '--platform',
          'debian-12-noinit',
          ...ANSWERS,
          '--out',
          out,
          '--lang',
          lang,
        ],
        env,
      );
      assert.equal(run.status, 2, run.stderr);
      assert.match(
        run.stderr,
        lang === 'en' ? /debian-12-noinit has no service manager/ : /debian-12-noinit には起動時に/,
      );
    }
  });

  it('--user root is refused, exit 2, in both languages, with nothing written (it was a bug report, exit 70)', () => {
    const out = join(work, 'as-root');
    for (const lang of ['en', 'ja']) {
      const asRoot = ANSWERS.map((answer, i) => (ANSWERS[i - 1] === '--user' ? 'root' : answer));
      const run = runShipped(
        ['export', '--format', 'shell', '--platform', 'debian-12', ...asRoot, '--out', out, '--lang', lang],
        env,
      );
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, lang === 'en' ? /root is not an account to make/ : /root は作るアカウントではなく/);
      assert.doesNotMatch(run.stderr, /bug/);
      assert.equal(existsSync(out), false, 'nothing written');
    }
  });

  it('an --out that cannot be written in is refused, exit 2, in both languages', () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'not a directory\n');
    const en = exportTo(join(file, 'below'), '--format', 'shell', '--lang', 'en');
    assert.equal(en.status, 2, en.stderr);
    assert.match(en.stderr, /cannot write into .*a-file\/below \(ENOTDIR\)\. Nothing was written\./);
    const ja = exportTo(join(file, 'below'), '--format', 'shell', '--lang', 'ja');
    assert.equal(ja.status, 2, ja.stderr);
    assert.match(ja.stderr, /に書き込めません \(ENOTDIR\)/);
  });

  it('a file of an earlier export is not replaced without --force (exit 2, both languages); with it, it is', () => {
    const out = join(work, 'again');
    assert.equal(exportTo(out, '--format', 'shell').status, 0);
    const script = join(out, 'setup.sh');
    writeFileSync(script, 'edited by hand\n');
    const en = exportTo(out, '--format', 'shell', '--lang', 'en');
    assert.equal(en.status, 2, en.stderr);
    assert.match(
      en.stderr,
      /setup\.sh is there already; export does not replace a file unasked\. Nothing was written\.\nTry: .*--force/,
    );
    const ja = exportTo(out, '--format', 'shell', '--lang', 'ja');
    assert.equal(ja.status, 2, ja.stderr);
    assert.match(ja.stderr, /setup\.sh はすでにあります。/);
    assert.equal(readFileSync(script, 'utf8'), 'edited by hand\n', 'the refused export wrote nothing');
    const forced = exportTo(out, '--format', 'shell', '--force');
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(readFileSync(script, 'utf8'), /^#!\/bin\/sh\n/);
  });

  it('--uwsgi-from wheel exports pyuwsgi; a value it does not take, or a platform without the wheel, exit 2', () => {
    const out = join(work, 'wheel');
    const run = exportTo(out, '--format', 'shell', '--uwsgi-from', 'wheel');
    assert.equal(run.status, 0, run.stderr);
    assert.match(readFileSync(join(out, 'setup.sh'), 'utf8'), /bin\/pip install --only-binary=:all: pyuwsgi\)\n/);
    for (const lang of ['en', 'ja']) {
      const bad = exportTo(join(work, 'wheel-bad'), '--format', 'shell', '--uwsgi-from', 'binary', '--lang', lang);
      assert.equal(bad.status, 2, bad.stderr);
      assert.match(bad.stderr, /--uwsgi-from/);
      assert.match(bad.stderr, /binary/);
      const old = runShipped(
        [
          'export',
          '--format',
          'shell',
          '--platform',
          'ubuntu-20.04',
          ...ANSWERS,
          '--out',
          join(work, 'wheel-old'),
        ].concat(['--uwsgi-from', 'wheel', '--lang', lang]),
        env,
      );
      assert.equal(old.status, 2, old.stderr);
      assert.match(
        old.stderr,
        lang === 'en'
          ? /--uwsgi-from wheel: pip finds no prebuilt uWSGI \(pyuwsgi\) for ubuntu-20\.04[^\n]*\nTry: .*debian-12/
          : /ubuntu-20\.04 向けのビルド済み uWSGI \(pyuwsgi\) は pip で見つかりません/,
      );
    }
    assert.ok(!existsSync(join(work, 'wheel-bad')) && !existsSync(join(work, 'wheel-old')), 'nothing was written');
  });
});
