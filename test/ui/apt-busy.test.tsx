// apt busy on the screen (issue 15, item 3): while apt waits for another's lock, the screen names
// the holder and counts apt's wait down; q stops the wait (apt is interrupted: it has installed
// nothing yet), unlike q once dpkg works, where apt is left to finish.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { WizardSession } from '../../src/engine/session.js';
import { check, commandAction, FakeSystem, planOf, sleep, step } from '../helpers.js';
import { mountScreen } from './screen.js';

const HELD = 'Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4321 (apt-get)';
const plan = planOf(
  step('packages', {
    actions: [commandAction('apt-install', 'apt-get -o DPkg::Lock::Timeout=300 install -y nginx')],
    checks: [check('installed')],
  }),
);

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

describe('apt busy on the screen', () => {
  it('names who holds the lock, counts the wait down, and q stops waiting', async () => {
    const fake = new FakeSystem({
      commands: { 'apt-install': { output: [`Waiting for cache lock: ${HELD}...\n`], held: true } },
    });
    const mounted = await mountScreen(new WizardSession(plan, fake, { auto: false, pollMs: 2 }));
    unmount = mounted.unmount;
    const { until, press, screen, finished } = mounted;
    await until('[Enter] run it');
    await press('\r', 'held by process 4321 (apt-get)');
    assert.match(screen(), /apt is waiting for its lock \(\/var\/lib\/dpkg\/lock-frontend\)/);
    await until('left of the 5:00 apt waits');
    const first = /(\d:\d\d) left of the 5:00/.exec(screen())![1];
    assert.match(first!, /^(5:00|4:59)$/);
    await until('[q] stop waiting and quit (nothing is installed yet)');
    // The countdown moves by itself, without output from apt.
    await sleep(1100);
    const later = /(\d:\d\d) left of the 5:00/.exec(screen())![1];
    assert.notEqual(later, first, `the countdown moved:\n${screen()}`);
    await press('q');
    const state = await Promise.race([finished, sleep(1000).then(() => assert.fail('the run did not end'))]);
    assert.deepEqual(state.phase, { kind: 'quit', reason: 'user' });
    assert.deepEqual(fake.stopped, ['apt-install'], 'apt was stopped, not waited for');
  });
});

describe("the lists' lock on the screen (issue 15, item 3)", () => {
  it('apt-get update, the lock held: the wizard says it waits itself, names the holder, counts down; q ends at once (ja)', async () => {
    const update = planOf(step('packages', { actions: [commandAction('apt-update', 'apt-get update')] }));
    const fake = new FakeSystem({
      commands: {
        'apt-update': {
          output: ['E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4321 (apt-get)\n'],
          exitCode: 100,
        },
      },
    });
    const session = new WizardSession(update, fake, { auto: false, pollMs: 2, listsLockAskMs: 60_000 });
    const mounted = await mountScreen(session, { lang: 'ja' });
    unmount = mounted.unmount;
    const { until, press, screen, finished } = mounted;
    await until('[Enter] 実行');
    await press('\r', 'パッケージ一覧のロック (/var/lib/apt/lists/lock)');
    assert.match(screen(), /プロセス 4321\s\(apt-get\) が持っています/);
    await until('ウィザードが待つのは最大 5:00');
    await until('[q] 待つのをやめて終了');
    assert.doesNotMatch(screen(), /コマンドが失敗しました/, 'not a failure while the wizard waits');
    await press('q');
    const state = await Promise.race([finished, sleep(1000).then(() => assert.fail('the run did not end'))]);
    assert.deepEqual(state.phase, { kind: 'quit', reason: 'user' });
    assert.deepEqual(fake.performed, ['apt-update'], 'apt was asked once: the wait was stopped before the next');
  });
});
