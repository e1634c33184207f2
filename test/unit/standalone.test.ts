// The standalone executable (scripts/standalone.mjs): one file, Node inside, run as on a fresh
// server: copied out of the project (no fixtures/, no node_modules beside it), with a PATH that
// has every command of this machine but node. It answers as the bundle does, word for word.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/** This file runs as dist/test/unit/standalone.test.js. */
const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BUILT = join(PROJECT, 'dist', `uwsgi-nginx-guide-${process.platform}-${process.arch}`);
const BUNDLE = join(PROJECT, 'dist', 'bundle', 'uwsgi-nginx-guide.cjs');
const VERSION = (JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')) as { version: string }).version;
const skip = process.platform === 'linux' ? false : 'the executable is made on Linux only';

const work = mkdtempSync(join(tmpdir(), 'uwsgi-guide-standalone-'));
const server = join(work, 'server');
const bin = join(work, 'bin');
const EXECUTABLE = join(server, basename(BUILT));
const env = { PATH: bin, HOME: work, LANG: 'C.UTF-8', XDG_STATE_HOME: join(work, 'state') };
type Run = ReturnType<typeof spawnSync> & { stdout: string; stderr: string };
const run = (file: string, args: string[], options: SpawnSyncOptions = {}) =>
  spawnSync(file, args, { cwd: server, encoding: 'utf8', env, timeout: 60_000, ...options }) as Run;
const standalone = (...args: string[]) => run(EXECUTABLE, args);
/** The same flags given to the bundle, by a Node named by its path (PATH has none). */
const bundled = (...args: string[]) => run(process.execPath, [BUNDLE, ...args]);

before(() => {
  if (skip) return;
  mkdirSync(server);
  copyFileSync(BUILT, EXECUTABLE);
  // PATH: a directory of links to every command on this PATH (the first of a name, as a shell
  // finds it) except node, so that getent, id, script… are there as on a server, and Node is not.
  mkdirSync(bin);
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (name === 'node' || name === 'nodejs' || existsSync(join(bin, name))) continue;
      symlinkSync(join(dir, name), join(bin, name));
    }
  }
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('the standalone executable', { skip }, () => {
  it("runs where no node is on PATH, out of the project, and answers --version with package.json's version", () => {
    assert.notEqual(run('sh', ['-c', 'command -v node']).status, 0, 'no node on this PATH');
    assert.ok(!existsSync(join(server, 'fixtures')) && !existsSync(join(server, 'node_modules')));
    const version = standalone('--version');
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), VERSION);
  });

  it('answers --help as the bundle does', () => {
    const help = standalone('--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: uwsgi-nginx-guide \[options\] \[command\]/);
    assert.match(help.stdout, /--dry-run/);
    assert.equal(help.stdout, bundled('--help').stdout);
    const wrong = standalone('--no-such-flag');
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /there is no option --no-such-flag/);
  });

  it('prints the plan with --dry-run (the commands, loaded lazily in the bundle, are inside)', () => {
    const args = ['--dry-run', '--user', 'root', '--server-name', 'example.com', '--platform', 'debian-12'];
    const plan = standalone(...args);
    assert.equal(plan.status, 0, plan.stderr);
    assert.match(plan.stdout, /^# Plan for: Debian GNU\/Linux 12 \(bookworm\)/);
    assert.match(plan.stdout, /server_name example\.com;/);
    assert.match(plan.stdout, /## Step 11\/11 \[conclusion\]/);
    assert.equal(plan.stdout, bundled(...args).stdout, "the same plan as the bundle's");
  });

  it('reads an answers file with the yaml inside it', () => {
    const answers = join(work, 'answers.yaml');
    writeFileSync(answers, 'app-name: standalone\nuser: root\nserver-name: example.com\n');
    const plan = standalone('--dry-run', '--platform', 'debian-12', '--answers', answers);
    assert.equal(plan.status, 0, plan.stderr);
    assert.match(plan.stdout, /\/run\/standalone\/standalone\.sock/);
  });

  it('replays the whole guide with --simulate --yes from the recording inside it', () => {
    const args = ['--simulate', '--yes', '--lang', 'en'];
    const simulated = standalone(...args);
    assert.equal(simulated.status, 0, simulated.stderr);
    assert.match(simulated.stdout, /\*\*\* SIMULATION · シミュレーション \*\*\* replayed from a real run recorded on/);
    assert.match(simulated.stdout, /Step 11\/11 \[conclusion\]/);
    assert.match(simulated.stdout, /Every step has been gone through\./);
    assert.equal(simulated.stdout, bundled(...args).stdout, "the same run as the bundle's");
  });

  it('draws the screen (ink, React and yoga inside it) in a pseudo-terminal', () => {
    // As in bundle.test.ts: util-linux's `script` gives it a terminal, sized (else ink draws one
    // column wide); the simulation goes through every step in seconds.
    const line = `stty cols 120 rows 40; '${EXECUTABLE}' --simulate --yes --lang en`;
    const screen = run('script', ['-qec', line, '/dev/null'], { env: { ...env, TERM: 'xterm' } });
    assert.equal(screen.status, 0, `${screen.stdout}\n${screen.stderr}`);
    assert.match(screen.stdout, /SIMULATION/, 'the banner was drawn');
    assert.match(screen.stdout, /Step 11 of 11/, 'through to the last step');
  });
});
