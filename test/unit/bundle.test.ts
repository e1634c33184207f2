// The shipped file (package.json's bin, built by scripts/bundle.mjs): it runs on its own, and what
// it loads lazily from dist/bundle/lazy/ keeps the names the CLI imports from it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/** This file runs as dist/test/unit/bundle.test.js. */
const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SHIPPED = join(
  PROJECT,
  (JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin[
    'uwsgi-nginx-guide'
  ]!,
);
const work = mkdtempSync(join(tmpdir(), 'uwsgi-guide-bundle-'));
after(() => rmSync(work, { recursive: true, force: true }));

function shipped(...args: string[]) {
  return spawnSync(process.execPath, [SHIPPED, ...args], {
    encoding: 'utf8',
    env: { ...process.env, XDG_STATE_HOME: work },
  });
}

describe('the bundled CLI', () => {
  it('is what package.json ships, and answers --help from that one file', () => {
    assert.match(SHIPPED, /dist\/bundle\/uwsgi-nginx-guide\.cjs$/);
    const help = shipped('--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /--dry-run/);
  });

  it('draws the screen (ink and React, loaded lazily with their named exports) in a terminal', () => {
    // A pseudo-terminal from util-linux's `script`: the screen is drawn only for a terminal. The
    // simulation runs every step without touching the machine, in seconds.
    const command = [process.execPath, SHIPPED, '--simulate', '--yes', '--lang', 'en'].map((a) => `'${a}'`).join(' ');
    // Its size is 0×0 unless set: ink would draw one column wide.
    const run = spawnSync('script', ['-qec', `stty cols 120 rows 40; ${command}`, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, XDG_STATE_HOME: work, TERM: 'xterm' },
      timeout: 60_000,
    });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /SIMULATION/, 'the banner was drawn');
    assert.match(run.stdout, /Step 11 of 11/, 'through to the last step');
  });

  it('gives CommonJS code in the lazy ES modules the __filename and require it reads (write-file-atomic names its temporary files after __filename)', () => {
    const lazy = join(dirname(SHIPPED), 'lazy');
    for (const name of readdirSync(lazy)) {
      const code = readFileSync(join(lazy, name), 'utf8');
      if (/\b__filename\b/.test(code))
        assert.match(code, /const __filename\s*=/, `${name} reads __filename: it must define it`);
      if (/\brequire\(/.test(code)) assert.match(code, /const require\s*=/, `${name} calls require: it must define it`);
    }
    assert.match(
      readFileSync(join(lazy, 'commands.js'), 'utf8'),
      /const __filename\s*=/,
      'the commands (which write the progress file) have it',
    );
  });

  it("answers --version with package.json's version", () => {
    const version = shipped('--version');
    assert.equal(version.status, 0, version.stderr);
    assert.equal(
      version.stdout.trim(),
      (JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')) as { version: string }).version,
    );
  });

  it("refuses the wizard's switches typed before a subcommand (`--dry-run undo` must not undo), and carries --lang over", () => {
    const refused = shipped('--dry-run', '--yes', 'undo');
    assert.equal(refused.status, 2, refused.stderr);
    assert.match(refused.stderr, /--yes --dry-run belong to the wizard, not to `undo`\. Nothing was changed\./);
    assert.equal(refused.stdout, '', 'nothing listed, nothing run');
    const glossary = shipped('--lang', 'ja', 'glossary', 'uwsgi');
    assert.equal(glossary.status, 0, glossary.stderr);
    assert.match(glossary.stdout, /アプリケーションサーバー/, 'the glossary in the language typed before it');
  });

  it('reads an answers file with the lazily loaded yaml', () => {
    const answers = join(work, 'answers.yaml');
    writeFileSync(answers, 'app-name: bundled\nuser: root\nserver-name: example.com\n');
    const plan = shipped('--dry-run', '--platform', 'debian-12', '--answers', answers);
    assert.equal(plan.status, 0, plan.stderr);
    assert.match(plan.stdout, /\/run\/bundled\/bundled\.sock/);
  });
});
