// Waiting for processes to end, as undo does for nginx's old workers after a reload.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { listProcesses } from '../../src/exec/proc.js';
import { processesEnded, processesNamed } from '../../src/exec/system.js';

describe('processesNamed and processesEnded', () => {
  it('finds a process by the start of its command line, and waits until it has ended', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    await new Promise((resolve) => sleeper.once('spawn', resolve));
    assert.ok((await processesNamed('sleep 30')).includes(sleeper.pid!), 'the sleep is found, its arguments joined');
    assert.equal(
      await processesEnded([sleeper.pid!], 200),
      false,
      'still running: the wait gives up at its time limit',
    );
    setTimeout(() => sleeper.kill(), 150);
    // Reaped by Node as soon as it dies, so its /proc entry goes.
    assert.equal(await processesEnded([sleeper.pid!], 5000), true, 'ended: the wait says so');
  });

  it('is over at once when nothing was running', async (t) => {
    // With the timers mocked, any wait would never end: the answer must come before the next turn.
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    const waited = new Promise((resolve) => setImmediate(() => resolve('still waiting')));
    assert.equal(await Promise.race([processesEnded([], 5000), waited]), true);
  });
});

describe('listProcesses, the one walk over /proc', () => {
  it('lists each process with its real user and its command line, this very test and a child of it', async () => {
    const sleeper = spawn('sleep', ['31'], { stdio: 'ignore' });
    await new Promise((resolve) => sleeper.once('spawn', resolve));
    try {
      const processes = await listProcesses();
      const self = processes.find((entry) => entry.pid === process.pid);
      assert.equal(self?.realUid, process.getuid!());
      assert.ok(self?.commandLine.startsWith(process.execPath), self?.commandLine);
      assert.equal(processes.find((entry) => entry.pid === sleeper.pid)?.commandLine, 'sleep 31');
    } finally {
      sleeper.kill();
    }
  });
});
