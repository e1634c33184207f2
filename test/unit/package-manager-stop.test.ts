// Ctrl-C must never leave dpkg broken (issue 21, part 3): a command that runs apt or dpkg is not
// signalled when the run is stopped, nor at its time limit; it is waited for. Other commands keep
// the escalation SIGINT → SIGTERM → SIGKILL.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runsPackageManager } from '../../src/engine/commands.js';
import type { CommandAction } from '../../src/engine/types.js';
import { startCommand } from '../../src/exec/system.js';

describe('runsPackageManager', () => {
  it('finds apt and dpkg after sudo and variable assignments, in any part of a compound line', () => {
    for (const line of [
      'apt-get update',
      'DEBIAN_FRONTEND=noninteractive apt-get install -y nginx',
      "sudo DEBIAN_FRONTEND=noninteractive apt-get install -y 'python3-dev'",
      'sudo dpkg --configure -a',
      '/usr/bin/apt install nginx',
      'sudo env LANG=C aptitude install nginx',
      'true && sudo apt-get -f install',
    ])
      assert.equal(runsPackageManager(line), true, line);
  });

  it('does not take other programs for it, even when they name apt or dpkg', () => {
    for (const line of [
      'pip install virtualenv',
      'sudo runuser -u demo -- /home/demo/myapp/myappenv/bin/pip install uwsgi',
      'echo apt-get',
      'ls /var/lib/dpkg',
      'sudo systemctl restart nginx',
    ])
      assert.equal(runsPackageManager(line), false, line);
  });
});

describe('stopping a command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'uwsgi-guide-pm-stop-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * A stand-in program that notes every signal it gets, keeps running for `seconds`, then exits 0:
   * installed as `name` in a directory of its own, so that the command line names that program.
   * `first` runs before it waits (a dpkg it starts, as apt does); `others` are more programs of the
   * same directory, so that it finds them by name too.
   */
  function standIn(
    name: string,
    seconds: number,
    { first = '', others = [] }: { first?: string; others?: { name: string; seconds: number }[] } = {},
  ): { line: string; signals: () => string } {
    const bin = join(dir, `${name}-bin`);
    rmSync(bin, { recursive: true, force: true });
    mkdirSync(bin);
    const log = join(dir, `${name}.signals`);
    writeFileSync(log, '');
    const write = (program: string, wait: number, before: string) => {
      const path = join(bin, program);
      writeFileSync(
        path,
        [
          '#!/bin/sh',
          `trap 'echo ${program}:INT >> ${log}' INT`,
          `trap 'echo ${program}:TERM >> ${log}' TERM`,
          before,
          // Short sleeps: a trap runs between them, as dpkg goes on with its work after a signal.
          `i=0; while [ $i -lt ${Math.round(wait * 10)} ]; do sleep 0.1; i=$((i+1)); done`,
          'exit 0',
          '',
        ].join('\n'),
      );
      chmodSync(path, 0o755);
    };
    write(name, seconds, first);
    for (const other of others) write(other.name, other.seconds, '');
    return {
      line: `PATH=${bin}:/usr/bin:/bin ${name}`,
      signals: () => readFileSync(log, 'utf8').replace(new RegExp(`^${name}:`, 'gm'), ''),
    };
  }

  function action(line: string, timeoutSec = 60): CommandAction {
    return { kind: 'command', id: 'stand-in', command: line, explain: { en: '', ja: '' }, timeoutSec };
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('apt is not signalled once dpkg works for it: it finishes and its exit is its own', async () => {
    // apt starts dpkg (in the background of its shell, as a child) and waits on.
    const apt = standIn('apt-get', 1.5, { first: 'dpkg --unpack x &', others: [{ name: 'dpkg', seconds: 1 }] });
    const running = startCommand(action(apt.line), () => {});
    await sleep(300);
    assert.equal(running.mustFinish?.(), true, 'the executor sees dpkg at work under apt');
    running.stop();
    const outcome = await running.done;
    assert.equal(outcome.exitCode, 0, 'apt-get ran to its end');
    assert.equal(outcome.signal, null);
    assert.equal(apt.signals(), '', 'no signal reached apt or dpkg');
    assert.ok(outcome.durationMs >= 1400, `it was waited for (${outcome.durationMs} ms)`);
  });

  it('nor once dpkg has come and gone: apt may run it again', async () => {
    const apt = standIn('apt-get', 1.5, { first: 'dpkg --configure -a', others: [{ name: 'dpkg', seconds: 0.4 }] });
    const running = startCommand(action(apt.line), () => {});
    await sleep(800);
    assert.equal(running.mustFinish?.(), true, 'dpkg ran under it, though it has ended');
    running.stop();
    const outcome = await running.done;
    assert.equal(outcome.exitCode, 0);
    assert.equal(apt.signals(), '');
  });

  it("apt that has not begun dpkg's work (waiting for a lock) is interrupted: SIGINT once, nothing more", async () => {
    // It asks dpkg a question first, as apt does (`dpkg --print-foreign-architectures`): that is not work.
    const apt = standIn('apt-get', 7, {
      first: 'dpkg --print-foreign-architectures',
      others: [{ name: 'dpkg', seconds: 0.2 }],
    });
    const running = startCommand(action(apt.line), () => {});
    await sleep(600);
    assert.equal(running.mustFinish?.(), false, 'nothing of dpkg is at work yet');
    running.stop();
    // The stand-in notes the signal and goes on (a real apt exits): past STOP_GRACE_MS, no SIGTERM follows.
    await sleep(5600);
    assert.equal(apt.signals(), 'INT\n', 'SIGINT reached apt, and no SIGTERM or SIGKILL followed');
    const outcome = await running.done;
    assert.ok(outcome.signal === null || outcome.signal === 'SIGINT', `ended by Ctrl-C at most (${outcome.signal})`);
  });

  it('dpkg past its time limit is not killed either', async () => {
    const dpkg = standIn('dpkg', 1.5);
    const outcome = await startCommand(action(dpkg.line, 0.5), () => {}).done;
    assert.equal(outcome.exitCode, 0);
    assert.equal(outcome.timedOut, false);
    assert.equal(dpkg.signals(), '');
  });

  it('any other command is stopped as Ctrl-C would: SIGINT to its group first', async () => {
    const other = standIn('builder', 1.5);
    const running = startCommand(action(other.line), () => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    running.stop();
    await running.done;
    assert.match(other.signals(), /^INT\n/, 'it was sent SIGINT');
  });
});
