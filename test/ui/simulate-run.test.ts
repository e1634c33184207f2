// `--simulate --yes`, the whole guide, as a class laptop would run it: no nginx, no Python on
// PATH, a HOME and state directory of its own. It must end with every step done, the recorded 502
// shown and checked again, and nothing started or written anywhere. That it takes seconds is the
// pace's, proven on mocked timers (test/unit/simulated-system.test.ts), not on this machine's clock.
import { GUIDE_STEP_IDS } from '../helpers.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadRecording } from '../../src/simulate/simulation.js';

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CLI = join(PROJECT, 'dist', 'src', 'cli.js');
const SPY = join(PROJECT, 'dist', 'test', 'no-spawn.js');

/** Every file below a directory, as relative paths. */
function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}

function snapshot(path: string): string {
  if (!existsSync(path)) return 'absent';
  const stat = statSync(path);
  return `${stat.isDirectory() ? readdirSync(path).sort().join(',') : 'file'} ${stat.mtimeMs}`;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', SPY, CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    // Only so that a hang ends the test; how long a run takes is not measured here.
    const limit = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(limit);
      done({ code, stdout, stderr });
    });
  });
}

describe('--simulate --yes', () => {
  const work = mkdtempSync(join(tmpdir(), 'uwsgi-guide-simulate-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('walks every step on a machine without nginx or Python, and changes nothing', async () => {
    const { context } = loadRecording();
    const app = context.answers;
    // What a real run with the recording's answers would create: as it is now, and after. (The
    // state directory and the run lock follow HOME, XDG_STATE_HOME and TMPDIR, given below as
    // empty directories of this test: the real ones are shared with other runs on this machine.)
    const watched = [
      app.appDir,
      `/etc/nginx/sites-available/${app.appName}`,
      `/etc/nginx/sites-enabled/${app.appName}`,
      `/run/${app.appName}`,
    ];
    const before = watched.map(snapshot);

    // PATH holds node and nothing else: no python3, no nginx, no uwsgi, no sudo.
    const bin = join(work, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const home = join(work, 'home');
    const state = join(work, 'state');
    const temp = join(work, 'tmp');
    for (const dir of [home, state, temp]) mkdirSync(dir);
    const spyFile = join(work, 'spawned.txt');
    const env = {
      PATH: bin,
      HOME: home,
      XDG_STATE_HOME: state,
      TMPDIR: temp,
      LANG: 'C.UTF-8',
      SPAWN_SPY_FILE: spyFile,
    };

    const run = await runCli(['--simulate', '--yes', '--lang', 'en'], env);
    const output = `${run.stdout}\n${run.stderr}`;
    assert.equal(run.code, 0, `exit 0, got ${run.code}:\n${output.slice(-3000)}`);

    // No process was started, nothing written in its own HOME, state or temporary directories, nothing changed outside.
    assert.equal(existsSync(spyFile) ? readFileSync(spyFile, 'utf8') : '', '', 'no child process');
    assert.deepEqual(
      [...filesBelow(home), ...filesBelow(state), ...filesBelow(temp)],
      [],
      'nothing written below HOME, XDG_STATE_HOME or TMPDIR',
    );
    assert.deepEqual(watched.map(snapshot), before, `untouched: ${watched.join(', ')}`);

    // It said it was a simulation, first and in every step, and ran every step of the guide.
    assert.match(
      run.stdout.split('\n')[0]!,
      /^\*\*\* SIMULATION · シミュレーション \*\*\* replayed from a real run recorded on Debian GNU\/Linux 12/,
    );
    const headings = run.stdout.split('\n').filter((line) => line.startsWith('== '));
    assert.equal(headings.length, GUIDE_STEP_IDS.length, headings.join('\n'));
    assert.ok(
      headings.every((line) => line.startsWith('== [SIMULATION · シミュレーション] Step ')),
      headings.join('\n'),
    );
    for (const id of GUIDE_STEP_IDS) {
      assert.match(run.stdout, new RegExp(`^✓ \\[${id}\\] done$`, 'm'), `step ${id} done`);
    }
    // The recorded output of the uWSGI build is replayed, and the recorded answers are named.
    assert.match(run.stdout, /^ {2}\| .*uwsgi/im);
    assert.match(run.stderr, /--user sammy/);
    assert.match(run.stdout, /a simulation writes nothing/);

    // The recorded 502: the failed check with its try-this, what happened, then checked again and passed.
    const nginx = run.stdout.slice(run.stdout.indexOf('[nginx] Put nginx in front'));
    const failed = nginx.indexOf('✗ A check did not pass');
    assert.ok(failed > 0, 'the nginx step shows a failed check');
    assert.match(nginx, /found: HTTP 502: .*502 Bad Gateway/);
    assert.match(nginx, /try this: 502 Bad Gateway: see \/var\/log\/nginx\/error.log/);
    assert.match(nginx, /What happened in the recorded run:[\s\S]*Permission denied[\s\S]*chgrp www-data/);
    assert.match(nginx, /stack: .*socket ✗ mode 664, group sammy.*app ✗ 502/);
    assert.ok(nginx.indexOf('✓ [nginx] done') > failed, 'the nginx step passes after the check is asked again');
    assert.match(
      nginx.slice(nginx.indexOf('✓ [nginx] done')),
      /stack: browser ─▶ nginx ● ─▶ socket ● ─▶ uWSGI ● 5 workers ─▶ app ● 200/,
    );
  });
});
