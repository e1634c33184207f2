// Waiting for processes to end, as undo does for nginx's old workers after a reload.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { processesEnded, processesNamed } from '../../src/exec/system.js';

describe('processesNamed and processesEnded', () => {
  it('finds a process by the start of its command line, and waits until it has ended', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    await new Promise((resolve) => sleeper.once('spawn', resolve));
    assert.ok((await processesNamed('sleep\u000030')).includes(sleeper.pid!), 'the sleep is found');
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
