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
   */
  function standIn(name: string, seconds: number): { line: string; signals: () => string } {
    const bin = join(dir, `${name}-bin`);
    const log = join(dir, `${name}.signals`);
    rmSync(bin, { recursive: true, force: true });
    writeFileSync(log, '');
    const program = join(bin, name);
    mkdirSync(bin);
    writeFileSync(
      program,
      [
        '#!/bin/sh',
        `trap 'echo INT >> ${log}' INT`,
        `trap 'echo TERM >> ${log}' TERM`,
        // Short sleeps: a trap runs between them, as dpkg goes on with its work after a signal.
        `i=0; while [ $i -lt ${seconds * 10} ]; do sleep 0.1; i=$((i+1)); done`,
        'exit 0',
        '',
      ].join('\n'),
    );
    chmodSync(program, 0o755);
    return { line: `PATH=${bin}:/usr/bin:/bin ${name}`, signals: () => readFileSync(log, 'utf8') };
  }

  function action(line: string, timeoutSec = 60): CommandAction {
    return { kind: 'command', id: 'stand-in', command: line, explain: { en: '', ja: '' }, timeoutSec };
  }

  it('apt is not signalled when the run is stopped: it finishes and its exit is its own', async () => {
    const apt = standIn('apt-get', 1.5);
    const running = startCommand(action(apt.line), () => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    running.stop();
    const outcome = await running.done;
    assert.equal(outcome.exitCode, 0, 'apt-get ran to its end');
    assert.equal(outcome.signal, null);
    assert.equal(apt.signals(), '', 'no signal reached it');
    assert.ok(outcome.durationMs >= 1400, `it was waited for (${outcome.durationMs} ms)`);
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
