// A command's output arrives through one real pipe (a FIFO that is gone from disk once open):
// stdout and stderr in the order written, every descriptor closed again, and a command that
// leaves a process behind holding its output still ends.
import assert from 'node:assert/strict';
import { existsSync, fstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunOutcome } from '../../src/engine/ports.js';
import { openOutputPipe } from '../../src/exec/output-pipe.js';
import { DRAIN_AFTER_EXIT_MS, startCommand } from '../../src/exec/system.js';
import { commandAction } from '../helpers.js';

const openDescriptors = () => readdirSync('/proc/self/fd').length;

// The real timer, kept before any test mocks the global one.
const realSetTimeout = globalThis.setTimeout;
const realSleep = (ms: number) => new Promise((resolve) => realSetTimeout(resolve, ms));

async function realWaitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await realSleep(10);
  }
}

async function run(command: string, cwd?: string) {
  let output = '';
  const outcome = await startCommand(commandAction('x', command, { timeoutSec: 20, cwd }), (text) => (output += text))
    .done;
  return { ...outcome, output };
}

describe('the output pipe', () => {
  let privateTmp: string;
  let savedTmp: string | undefined;
  before(() => {
    savedTmp = process.env.TMPDIR;
    privateTmp = mkdtempSync(join(tmpdir(), 'output-pipe-test-'));
    process.env.TMPDIR = privateTmp;
  });
  after(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    rmSync(privateTmp, { recursive: true, force: true });
  });

  it('is a FIFO that leaves nothing in the temporary directory', () => {
    const pipe = openOutputPipe();
    assert.ok(pipe, 'mkfifo is on this machine, so the pipe is made');
    try {
      assert.ok(fstatSync(pipe.writeFd).isFIFO());
      assert.deepEqual(readdirSync(privateTmp), []);
    } finally {
      pipe.closeWriteEnd();
      pipe.reader.destroy();
    }
  });

  it('gives stdout and stderr in the order they were written', async () => {
    const result = await run('for i in 1 2 3; do echo out $i; echo err $i >&2; done; printf tail');
    assert.equal(result.exitCode, 0);
    assert.equal(result.output, 'out 1\nerr 1\nout 2\nerr 2\nout 3\nerr 3\ntail');
  });

  it('keeps a character whose bytes come in two writes whole (the output is decoded as a stream)', async () => {
    // 完 is e5 ae 8c in UTF-8: its first byte alone, then, a moment later, the other two.
    const result = await run("printf '\\345'; sleep 0.2; printf '\\256\\214了\\n'");
    assert.equal(result.output, '完了\n');
  });

  it('leaves no descriptor open after commands, including one that cannot start', async () => {
    const before = openDescriptors();
    for (let i = 0; i < 10; i++) await run(`echo ${i}`);
    const missing = await run('echo never', '/nonexistent-directory-of-the-test');
    assert.equal(missing.exitCode, 127);
    assert.match(missing.output, /ENOENT|nonexistent/);
    assert.throws(
      () => startCommand(commandAction('x', 'echo never', { cwd: '/etc/hostname' }), () => {}),
      /ENOTDIR|not a directory/i,
    );
    // Closed descriptors are given back to the process at once; the destroyed readers' after a tick.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(openDescriptors(), before);
  });

  // The drain time is the wizard's own logic: setTimeout is mocked, so that "not before, and then"
  // is exact; only the command and its exit are real (waited for on the real timers).
  const drainS = DRAIN_AFTER_EXIT_MS / 1000;
  it(`ends ${drainS} s after a command that left a process holding its output, not before`, async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    let shell: number | undefined;
    let output = '';
    let outcome: RunOutcome | undefined;
    // Read through a call: the assertions below would narrow the variable itself for good.
    const ended = () => outcome;
    const watcher = { started: (pid: number) => (shell = pid), ended: () => undefined };
    const action = commandAction('x', 'sleep 30 & echo "left $!"', { timeoutSec: 20 });
    void startCommand(action, (text) => (output += text), watcher).done.then((result) => (outcome = result));
    try {
      // Node reaps the shell and hears its exit in one turn: once it is gone from /proc, the drain
      // timer is set.
      await realWaitFor(() => shell !== undefined && !existsSync(`/proc/${shell}`), 'the shell to exit');
      t.mock.timers.tick(DRAIN_AFTER_EXIT_MS - 1);
      await realSleep(100);
      assert.equal(ended(), undefined, 'the output is still read just before the drain time');
      t.mock.timers.tick(1);
      await realWaitFor(() => ended() !== undefined, 'the command to end at the drain time');
      assert.equal(ended()?.exitCode, 0);
      assert.match(output, /^left \d+\n$/);
    } finally {
      const left = Number(/left (\d+)/.exec(output)?.[1]);
      if (left) process.kill(left, 'SIGKILL');
    }
  });
});
