// The run lock (issue 14): kept where only its owner can write, never believed when it is not a
// regular file of ours, and never a reason to signal a process group its owner did not start.
// Each attack the issue names is played here against a lock in a temporary directory; the ones
// that need another account use `nobody` (the tests run as root, as the wizard's system steps do).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { processStart } from '../../src/exec/proc.js';
import {
  acquireRunLock,
  holdMachineLock,
  PackageManagerBusyError,
  RunLockError,
  runLockPath,
  WizardBusyError,
  type RunLockProblem,
} from '../../src/exec/run-lock.js';
import { runLockMessage } from '../../src/ui/run-lock-text.js';
import { sleep, waitFor } from '../helpers.js';

const isRoot = process.geteuid?.() === 0;
/** chown to another account, and the holder of root's lock, need root (the suite runs as root). */
const asRoot = { skip: !isRoot && 'needs root' };
const NOBODY = Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim()) || 65534;
/** No process has this pid (the kernel's limit is lower): a wizard that is gone. */
const GONE = 2147483646;

const made: string[] = [];
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A private directory for one test, removed after the suite. */
function privateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'run-lock-'));
  made.push(dir);
  return dir;
}

function lockIn(dir = privateDir()): string {
  return join(dir, 'run.lock');
}

/** A process of the test's own, in a process group of its own, as a wizard's command runs. */
function orphan(): ChildProcess & { pid: number } {
  const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
  children.push(child);
  return child as ChildProcess & { pid: number };
}

/**
 * A command a killed run left running that is installing packages: a shell (the group's leader)
 * running a stand-in `program` (named so, as /proc shows apt or dpkg) with `args`. Resolves once the
 * stand-in runs.
 */
async function installingOrphan(program: string, args: string): Promise<ChildProcess & { pid: number }> {
  const bin = privateDir();
  // Not `exec sleep`: the stand-in itself must stay the process of that name.
  writeFileSync(join(bin, program), '#!/bin/sh\nsleep 60\nexit 0\n', { mode: 0o755 });
  const child = spawn('/bin/sh', ['-c', `${join(bin, program)} ${args}; :`], { detached: true, stdio: 'ignore' });
  children.push(child);
  const running = () => {
    const line = spawnSync('pgrep', ['-P', String(child.pid), '-x', program], { encoding: 'utf8' }).stdout;
    return line.trim() !== '';
  };
  await waitFor(running, `the stand-in ${program} to run`);
  return child as ChildProcess & { pid: number };
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * process.kill with every signal but 0 recorded and not sent (save to the `deliver` pids): a lock
 * naming pid 1 or group 1 must never make a test signal init, or -1 (every process), for real.
 */
function recordingKills(deliver: number[] = []): { sent: [number, string | number | undefined][]; restore(): void } {
  const real = process.kill.bind(process);
  const sent: [number, string | number | undefined][] = [];
  process.kill = ((pid: number, signal?: string | number) => {
    if (signal === 0) return real(pid, 0);
    sent.push([pid, signal]);
    return deliver.includes(pid) ? real(pid, signal) : true;
  }) as typeof process.kill;
  return {
    sent,
    restore: () => {
      process.kill = real;
    },
  };
}

function busyWith(pid: number | string) {
  return (error: unknown) => error instanceof WizardBusyError && String(error.pid) === String(pid);
}

function refusedFor(kind: RunLockProblem['kind'], path?: string) {
  return (error: unknown) =>
    error instanceof RunLockError && error.problem.kind === kind && (path === undefined || error.path === path);
}

describe('the run lock: where it is', () => {
  it("root's is under /run/uwsgi-nginx-guide/; another account's in a private directory of its own, never /tmp", () => {
    assert.equal(runLockPath(0), '/run/uwsgi-nginx-guide/run.lock');
    const runtime = privateDir();
    if (isRoot) chownSync(runtime, NOBODY, NOBODY);
    assert.equal(runLockPath(NOBODY, { XDG_RUNTIME_DIR: runtime }), join(runtime, 'uwsgi-nginx-guide', 'run.lock'));
    // A runtime directory that is not the account's own (runuser keeps root's): the state directory instead.
    const rootsRuntime = privateDir();
    const notTheirs = runLockPath(NOBODY, { XDG_RUNTIME_DIR: rootsRuntime });
    assert.match(notTheirs, /\/uwsgi-nginx-guide\/run\.lock$/);
    assert.ok(!notTheirs.startsWith(rootsRuntime), notTheirs);
    for (const path of [runLockPath(0), notTheirs]) assert.notEqual(path, join(tmpdir(), 'uwsgi-nginx-guide.lock'));
  });
});

describe('the run lock', () => {
  it('refuses a second wizard while the first is alive, and frees on release', () => {
    const path = lockIn();
    const first = acquireRunLock(path);
    assert.throws(() => acquireRunLock(path), busyWith(process.pid));
    first.release();
    assert.ok(!existsSync(path), 'released: the file is gone');
    acquireRunLock(path).release();
  });

  it("names its owner by pid and start time, and the running command by group and its leader's start time", () => {
    const path = lockIn();
    const lock = acquireRunLock(path);
    assert.equal(readFileSync(path, 'utf8'), `${process.pid} ${processStart(process.pid)}\n`);
    const command = orphan();
    lock.noteCommand(command.pid);
    const me = `${process.pid} ${processStart(process.pid)}\n`;
    assert.equal(readFileSync(path, 'utf8'), `${me}${command.pid} ${processStart(command.pid)}\n`);
    lock.noteCommand(undefined);
    assert.equal(readFileSync(path, 'utf8'), `${process.pid} ${processStart(process.pid)}\n`);
    command.kill();
    lock.release();
  });

  it('release removes the lock only while it is still its own', () => {
    const path = lockIn();
    const lock = acquireRunLock(path);
    rmSync(path);
    writeFileSync(path, `${GONE} 1\n`, { mode: 0o600 });
    lock.release();
    assert.equal(readFileSync(path, 'utf8'), `${GONE} 1\n`, "another's lock is left alone");
  });

  it('takes over the lock of a run that died (its pid is gone)', () => {
    const path = lockIn();
    writeFileSync(path, `${GONE} 12345\n`, { mode: 0o600 });
    const lock = acquireRunLock(path);
    assert.match(readFileSync(path, 'utf8'), new RegExp(`^${process.pid} `));
    lock.release();
  });

  it('a lock naming pid 1, or a live process that did not write it, does not block; nothing is signalled', () => {
    const notInit = Number(processStart(1) ?? 0) + 1;
    for (const planted of ['1\n', `1 ${notInit}\n`, '1\n1\n', `${GONE} 1\n1 ${notInit}\n`]) {
      const path = lockIn();
      writeFileSync(path, planted, { mode: 0o600 });
      const kills = recordingKills();
      try {
        const lock = acquireRunLock(path);
        lock.release();
      } finally {
        kills.restore();
      }
      assert.deepEqual(kills.sent, [], `${JSON.stringify(planted)}: no signal was sent`);
    }
  });

  it('a symbolic link at the lock path is refused and not followed, whether it points to a file or nowhere', () => {
    const elsewhere = privateDir();
    const target = join(elsewhere, 'precious');
    writeFileSync(target, `${GONE}\n`);
    const path = lockIn();
    symlinkSync(target, path);
    assert.throws(() => acquireRunLock(path), refusedFor('symlink', path));
    assert.equal(readFileSync(target, 'utf8'), `${GONE}\n`, 'the file it points to is untouched');
    assert.ok(existsSync(path), 'the link is left for the person to look at');

    const dangling = lockIn();
    const wouldBeMade = join(elsewhere, 'made-through-the-link');
    symlinkSync(wouldBeMade, dangling);
    assert.throws(() => acquireRunLock(dangling), refusedFor('symlink', dangling));
    assert.ok(!existsSync(wouldBeMade), 'nothing was created through the link');
  });

  it('a lock directory that is a symbolic link, writable by others, or not ours is refused', asRoot, () => {
    const real = privateDir();
    const link = join(privateDir(), 'link');
    symlinkSync(real, link);
    assert.throws(() => acquireRunLock(join(link, 'run.lock')), refusedFor('symlink', link));

    const open = privateDir();
    chmodSync(open, 0o1777);
    assert.throws(() => acquireRunLock(lockIn(open)), refusedFor('writable-by-others', open));

    const theirs = privateDir();
    chownSync(theirs, NOBODY, NOBODY);
    assert.throws(() => acquireRunLock(lockIn(theirs)), refusedFor('foreign-owner', theirs));
    assert.ok(!existsSync(join(theirs, 'run.lock')), 'nothing was written there');
  });

  it('a lock file owned by another user is refused with a message: not believed, removed or acted on', asRoot, () => {
    const command = orphan();
    const path = lockIn();
    // Everything in it would make a wizard act: a dead owner, and a live group with its true start time.
    writeFileSync(path, `${GONE} 1\n${command.pid} ${processStart(command.pid)}\n`, { mode: 0o644 });
    chownSync(path, NOBODY, NOBODY);
    const kills = recordingKills();
    let refusal: unknown;
    try {
      assert.throws(
        () => acquireRunLock(path),
        (error: unknown) => {
          refusal = error;
          return refusedFor('foreign-owner', path)(error);
        },
      );
    } finally {
      kills.restore();
    }
    assert.deepEqual(kills.sent, [], 'nothing was signalled');
    assert.ok(existsSync(path), 'it is not removed');
    const en = runLockMessage(refusal as RunLockError, 'en', 0);
    assert.match(en, new RegExp(`^${path} belongs to uid ${NOBODY}, not to you \\(uid 0\\)`));
    assert.match(en, /Nothing was changed\.\nTry: look at it \(ls -ln .*\); if no wizard is running, remove it/);
    const ja = runLockMessage(refusal as RunLockError, 'ja', 0);
    assert.match(ja, new RegExp(`${path} の持ち主は uid ${NOBODY}`));
    assert.match(ja, /\n次を試してください: /);
  });

  it('a dead owner, a live group whose leader is not the process started: the group is NOT signalled', async () => {
    const command = orphan();
    const start = Number(processStart(command.pid));
    // The group's number now belongs to a process started at another time (a pid reused), or the
    // lock says nothing of when its leader started (it cannot be told from any other).
    const group = command.pid;
    const locks = [`${GONE} 1\n${group} ${start + 1}\n`, `${GONE} 1\n${group}\n`, `${GONE}\n${group}\n`];
    for (const text of locks) {
      const path = lockIn();
      writeFileSync(path, text, { mode: 0o600 });
      const kills = recordingKills([-command.pid]);
      try {
        acquireRunLock(path).release();
      } finally {
        kills.restore();
      }
      assert.deepEqual(kills.sent, [], `${JSON.stringify(text)}: no signal`);
    }
    await sleep(50);
    assert.ok(alive(command), 'the process is still running');
    command.kill();
  });

  it('the legitimate case: the command a killed run left running (its leader unchanged) is stopped first', async () => {
    const command = orphan();
    const exited = new Promise((resolve) => command.on('exit', (_code, signal) => resolve(signal)));
    const path = lockIn();
    writeFileSync(path, `${GONE} 1\n${command.pid} ${processStart(command.pid)}\n`, { mode: 0o600 });
    const stopped: number[] = [];
    acquireRunLock(path, (group) => stopped.push(group)).release();
    assert.deepEqual(stopped, [command.pid]);
    assert.equal(await exited, 'SIGTERM');
  });

  // Cut off, apt or dpkg leave the machine's packages half-done ("dpkg was interrupted", issue 21).
  for (const [program, args] of [
    ['dpkg', '--unpack /var/cache/apt/archives/x.deb'],
    ['apt-get', 'install -y nginx'],
  ] as const) {
    it(`the command a killed run left running is not signalled while ${program} works under it: busy`, async () => {
      const command = await installingOrphan(program, args);
      const path = lockIn();
      const text = `${GONE} 1\n${command.pid} ${processStart(command.pid)}\n`;
      writeFileSync(path, text, { mode: 0o600 });
      const kills = recordingKills();
      const stopped: number[] = [];
      try {
        assert.throws(
          () => acquireRunLock(path, (group) => stopped.push(group)),
          (error: unknown) => error instanceof PackageManagerBusyError && error.processGroup === command.pid,
        );
      } finally {
        kills.restore();
      }
      assert.deepEqual(kills.sent, [], 'nothing was signalled');
      assert.deepEqual(stopped, [], 'nothing is said to be stopped');
      assert.equal(readFileSync(path, 'utf8'), text, 'the lock is left as it was');
      await sleep(50);
      assert.ok(alive(command), 'the command goes on');
      command.kill('SIGKILL');
    });
  }

  it('a dpkg that only asks (apt asks it the architectures first) does not keep the command from being stopped', async () => {
    const command = await installingOrphan('dpkg', '--print-foreign-architectures');
    const exited = new Promise((resolve) => command.on('exit', (_code, signal) => resolve(signal)));
    const path = lockIn();
    writeFileSync(path, `${GONE} 1\n${command.pid} ${processStart(command.pid)}\n`, { mode: 0o600 });
    acquireRunLock(path).release();
    assert.equal(await exited, 'SIGTERM');
  });

  it('a live owner whose pid was reused (another start time) is not taken for a running wizard', () => {
    const path = lockIn();
    writeFileSync(path, `${process.pid} ${Number(processStart(process.pid)) + 1}\n`, { mode: 0o600 });
    acquireRunLock(path).release();
  });
});

describe("root's lock, held through sudo for a run of another account", () => {
  const MODULE = fileURLToPath(new URL('../../src/exec/run-lock.js', import.meta.url));
  /** The holder, as `sudo <this program> --hold-run-lock` starts it, here without sudo and on a test path. */
  const holder = (path: string) => [
    process.execPath,
    '--input-type=module',
    '-e',
    `const m = await import(${JSON.stringify(MODULE)}); process.exit(await m.serveRunLock(${JSON.stringify(path)}));`,
  ];

  it('is held while the wizard lives: a root wizard hears it is busy; let go as the pipe closes', asRoot, async () => {
    const path = lockIn();
    const held = await holdMachineLock(holder(path));
    const owner = readFileSync(path, 'utf8').split(' ')[0];
    assert.notEqual(owner, String(process.pid), 'the holder owns it, as root');
    assert.throws(() => acquireRunLock(path), busyWith(owner!));
    held.release();
    await waitFor(() => !existsSync(path), 'the holder to let go');
    acquireRunLock(path).release();
  });

  it("when a wizard holds it already, the other account's run hears it is busy, with its pid", asRoot, async () => {
    const path = lockIn();
    const lock = acquireRunLock(path);
    await assert.rejects(holdMachineLock(holder(path)), busyWith(process.pid));
    lock.release();
  });

  it(
    'a command left running that still installs packages: the other account hears so, and nothing is signalled',
    asRoot,
    async () => {
      const command = await installingOrphan('dpkg', '--configure -a');
      const path = lockIn();
      writeFileSync(path, `${GONE} 1\n${command.pid} ${processStart(command.pid)}\n`, { mode: 0o600 });
      await assert.rejects(
        holdMachineLock(holder(path)),
        (error: unknown) => error instanceof PackageManagerBusyError && error.processGroup === command.pid,
      );
      await sleep(50);
      assert.ok(alive(command), 'the command goes on');
      command.kill('SIGKILL');
    },
  );

  it('a holder that cannot start (sudo refused) is reported with what it said', async () => {
    const fails = [process.execPath, '-e', 'process.stderr.write("sudo: a password is required\\n"); process.exit(1)'];
    await assert.rejects(holdMachineLock(fails), (error: unknown) => {
      assert.ok(error instanceof RunLockError && error.problem.kind === 'not-taken');
      const en = /through sudo: sudo: a password is required \(exit 1\)\nNothing was changed\.\nTry: /;
      assert.match(runLockMessage(error, 'en', 0), en);
      assert.match(
        runLockMessage(error, 'ja', 0),
        /sudo で取れませんでした: .*\n何も変更していません。\n次を試してください: /,
      );
      return true;
    });
  });
});

describe('the run lock: what the person is told', () => {
  const path = '/run/uwsgi-nginx-guide/run.lock';
  const problems: RunLockProblem[] = [
    { kind: 'symlink' },
    { kind: 'not-directory' },
    { kind: 'not-regular-file' },
    { kind: 'foreign-owner', uid: 1000 },
    { kind: 'writable-by-others', mode: 0o1777 },
    { kind: 'not-taken', output: 'sudo: 3 incorrect password attempts' },
  ];
  for (const lang of ['en', 'ja'] as const) {
    it(`every refusal, and a busy machine, names the path and says what to try (${lang})`, () => {
      const tryThis = lang === 'en' ? '\nTry: ' : '\n次を試してください: ';
      for (const problem of problems) {
        const message = runLockMessage(new RunLockError(path, problem), lang, 0);
        assert.ok(message.includes(path) && message.includes(tryThis), `${problem.kind}: ${message}`);
      }
      assert.match(
        runLockMessage(new RunLockError(path, { kind: 'writable-by-others', mode: 0o1777 }), lang, 0),
        /01777/,
      );
      const busy = runLockMessage(new WizardBusyError(path, 4242), lang, 0);
      assert.ok(busy.includes('4242') && busy.includes(tryThis), busy);
      if (lang === 'en') assert.match(busy, /^another uwsgi-nginx-guide is running on this machine \(pid 4242\)/);
      const stuck = runLockMessage(new WizardBusyError(path), lang, 0);
      assert.ok(stuck.includes(`rm ${path}`) && stuck.includes(tryThis), stuck);
      const installing = runLockMessage(new PackageManagerBusyError(path, 4343), lang, 0);
      assert.ok(installing.includes('4343') && installing.includes('apt') && installing.includes('dpkg'), installing);
      assert.ok(
        installing.includes(
          `${tryThis}${lang === 'en' ? 'wait for the package manager' : 'パッケージマネージャーが終わるのを待って'}`,
        ),
        installing,
      );
    });
  }
});

// The directory made for a lock is private (0700) even where it did not exist, parents included.
describe('the run lock: its directory', () => {
  it('is made 0700 when missing', () => {
    const dir = join(privateDir(), 'a', 'b');
    acquireRunLock(join(dir, 'run.lock')).release();
    assert.equal(spawnSync('stat', ['-c', '%a', dir], { encoding: 'utf8' }).stdout.trim(), '700');
  });
});
