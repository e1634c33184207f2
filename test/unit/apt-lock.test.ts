// apt busy (issue 15, item 3): apt waits for another's lock (-o DPkg::Lock::Timeout=) and names
// who holds it; the wizard reads that from apt's words, says it, counts the wait down, and a stop
// during the wait interrupts apt (nothing is installed yet).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APT_LOCK_WAIT_SEC, lockWaitIn, lockWaitLimit, lockWaitOf } from '../../src/engine/apt-lock.js';
import { WizardSession } from '../../src/engine/session.js';
import type { Platform } from '../../src/engine/types.js';
import type { WizardState } from '../../src/engine/wizard.js';
import { plainPrinter } from '../../src/ui/plain.js';
import { check, commandAction, debian12, FakeSystem, planFor, planOf, step, ubuntu1404, waitFor } from '../helpers.js';

const HELD = 'Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4321 (unattended-upgr)';

describe("reading apt's words about its lock", () => {
  it('finds the lock and who holds it in the line apt prints while it waits', () => {
    const holder = { lock: '/var/lib/dpkg/lock-frontend', pid: 4321, program: 'unattended-upgr' };
    assert.deepEqual(lockWaitIn(`Waiting for cache lock: ${HELD}...\n`), { waiting: holder });
    // apt 2.6 prints it once a second (a line each without a terminal, a redrawn line on one).
    assert.deepEqual(lockWaitIn(`Waiting for cache lock: ${HELD}...\nWaiting for cache lock: ${HELD}...\n`), {
      waiting: holder,
    });
    assert.deepEqual(lockWaitIn(`\rWaiting for cache lock: ${HELD}... 4s\rWaiting for cache lock: ${HELD}... 5s`), {
      waiting: holder,
    });
    // Given up: apt's error keeps the holder, for the failure to name.
    assert.equal(
      lockWaitIn(
        'E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?\n',
      ),
      undefined,
    );
  });

  it('takes a holder apt could not name, and sees apt going on after the wait', () => {
    assert.deepEqual(lockWaitIn('E: Could not get lock /var/lib/dpkg/lock. It is held by process 77\n'), {
      waiting: { lock: '/var/lib/dpkg/lock', pid: 77, program: undefined },
    });
    assert.equal(lockWaitIn(`Waiting for cache lock: ${HELD}...\nReading package lists...\n`), 'over');
    assert.equal(lockWaitIn('Reading package lists...\n'), 'over');
    assert.equal(lockWaitIn(''), undefined);
  });

  it("apt-get install is told to wait where apt can, not on the guide's own system; apt-get update never", () => {
    const commandOf = (platform: Platform, id: string) => {
      const action = planFor({ platform })
        .steps.flatMap((s) => s.actions)
        .find((a) => a.id === id);
      return action?.kind === 'command' ? action.command : '';
    };
    assert.equal(lockWaitOf(commandOf(debian12(), 'apt-install')), APT_LOCK_WAIT_SEC);
    // It takes the lists' lock, which apt does not wait for.
    assert.equal(lockWaitOf(commandOf(debian12(), 'apt-update')), undefined);
    assert.equal(lockWaitOf(commandOf(ubuntu1404(), 'apt-install')), undefined);
    // So the wizard waits for that one itself, apt 2.6 having no option for it (issue 15, item 3).
    assert.deepEqual(lockWaitLimit(commandOf(debian12(), 'apt-update'), '/var/lib/apt/lists/lock'), {
      limitSec: APT_LOCK_WAIT_SEC,
      byWizard: true,
    });
    assert.deepEqual(lockWaitLimit(commandOf(debian12(), 'apt-install'), '/var/lib/dpkg/lock-frontend'), {
      limitSec: APT_LOCK_WAIT_SEC,
    });
    assert.deepEqual(lockWaitLimit(commandOf(ubuntu1404(), 'apt-install'), '/var/lib/dpkg/lock'), {});
  });
});

describe("apt-get update while another holds the lists' lock (issue 15, item 3)", () => {
  // As apt 2.6 prints it on stdout and stderr: its first words, then the lock it could not get.
  const LISTS_HELD = [
    'Reading package lists...\n',
    'E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4321 (apt-get)\n',
    'N: Be aware that removing the lock file is not a solution and may break your system.\n',
    'E: Unable to lock directory /var/lib/apt/lists/\n',
  ];
  const plan = planOf(step('packages', { actions: [commandAction('apt-update', 'apt-get update')] }));
  /** apt-get update fails on the held lock `heldFor` times, then runs. */
  function busyLists(heldFor: number) {
    const commands: Record<string, { output: string[]; exitCode?: number }> = {
      'apt-update': { output: LISTS_HELD, exitCode: 100 },
    };
    const fake = new FakeSystem({ commands });
    const start = fake.start.bind(fake);
    fake.start = (action, onOutput) => {
      if (fake.performed.filter((id) => id === action.id).length >= heldFor)
        commands['apt-update'] = {
          output: ['Hit:1 http://deb.debian.org/debian bookworm InRelease\n', 'Reading package lists...\n'],
        };
      return start(action, onOutput);
    };
    return fake;
  }

  it('the wizard waits for it itself, naming the holder, asks apt again, and goes on once it is free', async () => {
    const fake = busyLists(2);
    const log: string[] = [];
    let clock = 1_000_000;
    const session = new WizardSession(plan, fake, {
      auto: true,
      pollMs: 1,
      listsLockAskMs: 1,
      now: () => (clock += 1000),
      transcript: { write: (text) => log.push(text) },
    });
    const printed: string[] = [];
    session.subscribe(plainPrinter((text) => printed.push(text), 'en', session.getState()));
    const waits: NonNullable<WizardState['lockWait']>[] = [];
    session.subscribe((state) => state.lockWait && waits.push(state.lockWait));
    const final = await session.run();
    assert.equal(final.phase.kind, 'finished', printed.join(''));
    assert.equal(fake.performed.filter((id) => id === 'apt-update').length, 3, 'apt was asked three times');
    assert.deepEqual(waits[0], {
      holder: { lock: '/var/lib/apt/lists/lock', pid: 4321, program: 'apt-get' },
      since: waits[0]!.since,
      limitSec: APT_LOCK_WAIT_SEC,
      byWizard: true,
    });
    assert.equal(new Set(waits.map((wait) => wait.since)).size, 1, 'one wait, counted from its start');
    assert.match(
      printed.join(''),
      /… `apt-get update` needs the package lists' lock \(\/var\/lib\/apt\/lists\/lock\), held by process 4321 \(apt-get\).* The wizard waits at most 5:00, until \d\d:\d\d:\d\d/,
    );
    assert.equal(log.join('').match(/-- apt is asked again: \$ apt-get update/g)?.length, 2);
    assert.equal(printed.join('').match(/… `apt-get update` needs/g)?.length, 1, 'said once, not at each asking');
    assert.equal(log.join('').match(/-- the lock was free after \d+s of waiting/g)?.length, 1);
  });

  it('a stop during the wait ends the run at once, as stopped, and says the wizard stopped waiting (ja)', async () => {
    const fake = busyLists(1000);
    const session = new WizardSession(plan, fake, { auto: true, pollMs: 1, listsLockAskMs: 60_000 });
    const printed: string[] = [];
    session.subscribe(plainPrinter((text) => printed.push(text), 'ja', session.getState()));
    const finished = session.run();
    await waitFor(() => session.getState().lockWait !== undefined && fake.running.size === 0, 'the wait');
    const stoppedAt = Date.now();
    session.interrupt();
    const final = await finished;
    assert.ok(Date.now() - stoppedAt < 1000, 'ended at once, not after the next asking');
    assert.deepEqual(final.phase, { kind: 'quit', reason: 'user' });
    assert.match(printed.join(''), /… パッケージ一覧のロックを待つのをやめます。何も変更していません。/);
  });

  it('when its wait is over, the step fails naming who held the lock and what to do', async () => {
    const fake = busyLists(1000);
    let clock = 1_000_000;
    const session = new WizardSession(plan, fake, {
      auto: true,
      pollMs: 1,
      listsLockAskMs: 1,
      now: () => (clock += 60_000),
    });
    const printed: string[] = [];
    session.subscribe(plainPrinter((text) => printed.push(text), 'en', session.getState()));
    const final = await session.run();
    assert.equal(final.phase.kind, 'quit');
    assert.ok(fake.performed.length < 10, `asked again only while the wait lasted (${fake.performed.length})`);
    assert.match(
      printed.join(''),
      /apt could not get its lock \(\/var\/lib\/apt\/lists\/lock\): process 4321 \(apt-get\)/,
    );
  });
});

describe('a session while apt waits for a lock', () => {
  const plan = planOf(
    step('packages', {
      actions: [commandAction('apt-install', 'apt-get -o DPkg::Lock::Timeout=300 install -y nginx')],
      checks: [check('installed')],
    }),
  );

  it('knows who holds the lock and since when, says it in the log and the plain output, and forgets it when apt goes on', async () => {
    const fake = new FakeSystem({
      commands: {
        'apt-install': {
          output: [
            `Waiting for cache lock: ${HELD}...\n`,
            `Waiting for cache lock: ${HELD}...\n`,
            'Reading package lists...\n',
          ],
        },
      },
    });
    const log: string[] = [];
    let clock = 1_000_000;
    const session = new WizardSession(plan, fake, {
      auto: true,
      pollMs: 1,
      now: () => clock++,
      transcript: { write: (text) => log.push(text) },
    });
    const printed: string[] = [];
    session.subscribe(plainPrinter((text) => printed.push(text), 'en', session.getState()));
    const seen: WizardState['lockWait'][] = [];
    session.subscribe((state) => seen.push(state.lockWait));
    const final = await session.run();
    assert.equal(final.phase.kind, 'finished');
    const waits = seen.filter((wait) => wait !== undefined);
    assert.ok(waits.length > 0, 'the wait was seen');
    assert.deepEqual(waits[0]!.holder, { lock: '/var/lib/dpkg/lock-frontend', pid: 4321, program: 'unattended-upgr' });
    assert.equal(waits[0]!.limitSec, 300);
    assert.equal(new Set(waits.map((wait) => wait!.since)).size, 1, 'the same wait, said again, keeps its start');
    assert.equal(seen.at(-1), undefined, 'forgotten once apt went on');
    assert.match(
      log.join(''),
      /-- apt waits for \/var\/lib\/dpkg\/lock-frontend, held by process 4321 \(unattended-upgr\)/,
    );
    assert.match(log.join(''), /-- the lock was free after \d+s of waiting/);
    assert.match(
      printed.join(''),
      /… apt is waiting for its lock \(\/var\/lib\/dpkg\/lock-frontend\), held by process 4321 \(unattended-upgr\).* apt waits at most 5:00, until \d\d:\d\d:\d\d/,
    );
  });

  it('a stop while apt waits interrupts it (it is not left to finish), and the run ends as stopped', async () => {
    const fake = new FakeSystem({
      commands: { 'apt-install': { output: [`Waiting for cache lock: ${HELD}...\n`], held: true } },
    });
    const log: string[] = [];
    const session = new WizardSession(plan, fake, { auto: true, pollMs: 1, transcript: { write: (t) => log.push(t) } });
    const printed: string[] = [];
    session.subscribe(plainPrinter((text) => printed.push(text), 'en', session.getState()));
    const finished = session.run();
    await waitFor(() => session.getState().lockWait !== undefined, 'the wait');
    session.interrupt();
    const stopping = session.getState().phase;
    assert.ok(stopping.kind === 'stopping' && stopping.finishing !== true, 'not left to finish');
    assert.deepEqual(fake.stopped, ['apt-install'], 'apt was stopped');
    const final = await finished;
    assert.deepEqual(final.phase, { kind: 'quit', reason: 'user' });
    assert.match(log.join(''), /stop asked: dpkg has not begun its work yet/);
    assert.match(printed.join(''), /… apt stops waiting: it is interrupted before it changed anything\./);
    assert.doesNotMatch(printed.join(''), /apt is finishing/);
  });

  it('when apt gives up waiting, the failure names who held the lock and what to do', async () => {
    const fake = new FakeSystem({
      commands: {
        'apt-install': {
          output: [
            `Waiting for cache lock: ${HELD}...\n`,
            'E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?\n',
          ],
          exitCode: 100,
        },
      },
    });
    const session = new WizardSession(plan, fake, { auto: true, pollMs: 1 });
    const printed: string[] = [];
    session.subscribe(plainPrinter((text) => printed.push(text), 'ja', session.getState()));
    const final = await session.run();
    assert.equal(final.phase.kind, 'quit');
    assert.match(
      printed.join(''),
      /apt はロック \(\/var\/lib\/dpkg\/lock-frontend\) を取れませんでした。持っているのはプロセス 4321 \(unattended-upgr\) で/,
    );
    assert.match(printed.join(''), /ps -o pid,etime,args -p 4321/);
  });
});
