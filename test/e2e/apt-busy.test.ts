// apt busy (issue 15, item 3), on the machine: another process holds dpkg's frontend lock, as
// unattended-upgrades does on a fresh cloud server. The wizard's apt waits for it (apt's own
// -o DPkg::Lock::Timeout=), the wizard names the holder and until when apt waits; Ctrl-C during
// the wait interrupts apt at once (nothing was installed); released, the lock is taken and the
// packages step goes on. The holder is a process of the suite's own that locks the file as apt
// does (fcntl), so apt really waits for it.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after } from 'node:test';
import {
  createServiceUser,
  heading,
  log,
  machineTest,
  must,
  refusal,
  removeAppsAndUser,
  runWizard,
  sh,
  testApp,
  waitUntil,
  ensurePackageInstalled,
  packageInstalled,
  processRunning,
} from './machine.js';

const APP = testApp('e2eaptbusy', 'e2ebusyapp', 'e2ebusy.example', 8098);
/** A package of the packages step, small and needed by nothing else the suite runs meanwhile. */
const PACKAGE = 'python3-venv';
const FRONTEND_LOCK = '/var/lib/dpkg/lock-frontend';
/** The lock `apt-get update` takes, which apt never waits for (apt 2.6 has no option for it). */
const LISTS_LOCK = '/var/lib/apt/lists/lock';

let holder: ChildProcess | undefined;

function release(): void {
  if (holder?.pid !== undefined && holder.exitCode === null && holder.signalCode === null) holder.kill('SIGTERM');
}

async function cleanUp(): Promise<void> {
  release();
  ensurePackageInstalled(PACKAGE);
  await removeAppsAndUser(APP.user, [APP.name]);
}

if (!refusal()) after(cleanUp);

/** Take a lock of apt's the way apt takes it (a POSIX record lock), and keep it until released. */
async function holdFrontendLock(lock = FRONTEND_LOCK): Promise<number> {
  const script = [
    'import fcntl, os, sys, time',
    `fd = os.open(${JSON.stringify(lock)}, os.O_RDWR | os.O_CREAT, 0o640)`,
    'fcntl.lockf(fd, fcntl.LOCK_EX)',
    'print("held", flush=True)',
    'time.sleep(900)',
  ].join('\n');
  const child = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  holder = child;
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve());
    child.on('exit', (code) => reject(new Error(`the lock holder ended (${code})`)));
  });
  log(`(the suite holds ${lock}: process ${child.pid} (python3))`);
  return child.pid!;
}

async function prepare(): Promise<void> {
  await cleanUp();
  createServiceUser(APP.user);
  must(`DEBIAN_FRONTEND=noninteractive apt-get remove -y ${PACKAGE}`, 300_000);
}

machineTest('apt busy: Ctrl-C while apt waits for the lock stops it at once, nothing installed', async (_t, work) => {
  heading('apt busy: Ctrl-C during the wait');
  await prepare();
  const pid = await holdFrontendLock();
  let sentAt = 0;
  const run = await runWizard(['--yes', ...APP.answers], {
    env: work.stateOf('cancel'),
    limitMs: 10 * 60_000,
    onLine: (text, wizard) => {
      if (sentAt > 0 || !text.includes(`held by process ${pid} (python3)`) || !text.startsWith('… ')) return;
      sentAt = Date.now();
      log('(the suite presses Ctrl-C while apt waits)');
      wizard.kill('SIGINT');
    },
  });
  assert.ok(sentAt > 0, 'the wizard said who holds the lock');
  assert.match(
    run.stdout,
    new RegExp(
      `^… apt is waiting for its lock \\(${FRONTEND_LOCK}\\), held by process ${pid} \\(python3\\).* apt waits at most 5:00, until \\d\\d:\\d\\d:\\d\\d`,
      'm',
    ),
  );
  assert.equal(run.code, 130, 'the run ends as stopped by the person');
  assert.ok(run.endedAt - sentAt < 5000, `it ended at once (${run.endedAt - sentAt} ms after Ctrl-C)`);
  assert.match(run.stdout, /^… apt stops waiting: it is interrupted before it changed anything\./m);
  assert.doesNotMatch(run.stdout, /apt is finishing/);
  const transcript = readFileSync(run.logPath!, 'utf8');
  assert.match(transcript, new RegExp(`-- apt waits for ${FRONTEND_LOCK}, held by process ${pid} \\(python3\\)`));
  assert.match(transcript, /stop asked: dpkg has not begun its work yet/);
  // The wizard's own apt: its lock-wait option is in no other apt-get's arguments.
  const wizardsApt = () => processRunning('apt-get', 'DPkg::Lock::Timeout=300');
  assert.equal(await waitUntil(() => !wizardsApt(), 5000), true, 'no apt-get of the wizard is left running');
  assert.equal(packageInstalled(PACKAGE), false, 'nothing was installed');
  assert.equal(holder?.exitCode, null, "the lock's holder was not touched");
  release();
  assert.equal(sh('dpkg --audit').stdout.trim(), '', 'dpkg --audit finds nothing half-done');
});

machineTest('apt busy: the wizard waits for the lock, and goes on once it is free', async (_t, work) => {
  heading('apt busy: wait, then go on');
  await prepare();
  const pid = await holdFrontendLock();
  let seenAt = 0;
  let releasedAt = 0;
  let stopped = false;
  const run = await runWizard(['--yes', ...APP.answers], {
    env: work.stateOf('wait'),
    limitMs: 15 * 60_000,
    onLine: (text, wizard) => {
      if (seenAt === 0 && text.startsWith('… ') && text.includes(`held by process ${pid} (python3)`)) {
        seenAt = Date.now();
        setTimeout(() => {
          log('(the suite lets go of the lock)');
          releasedAt = Date.now();
          release();
        }, 4000);
      }
      // Once the packages step is done, the rest of the guide is for the other tests.
      if (!stopped && text.startsWith('✓ [packages]')) {
        stopped = true;
        wizard.kill('SIGINT');
      }
    },
  });
  assert.ok(seenAt > 0, 'the wizard said who holds the lock');
  assert.ok(releasedAt > 0, 'the lock was let go while the wizard waited');
  assert.ok(stopped, `the packages step was done after the wait:\n${run.stdout}`);
  assert.equal(packageInstalled(PACKAGE), true, 'apt installed the package once the lock was free');
  const transcript = readFileSync(run.logPath!, 'utf8');
  assert.match(transcript, /-- the lock was free after \d+s of waiting/);
  assert.match(run.stdout, /✓ \[packages\] done/);
});

machineTest(
  "apt busy: apt-get update with the lists' lock held: the wizard waits for it, then goes on",
  async (_t, work) => {
    heading("apt busy: the lists' lock, waited for by the wizard");
    await prepare();
    const pid = await holdFrontendLock(LISTS_LOCK);
    let seenAt = 0;
    let releasedAt = 0;
    let stopped = false;
    const run = await runWizard(['--yes', ...APP.answers], {
      env: work.stateOf('lists'),
      limitMs: 15 * 60_000,
      onLine: (text, wizard) => {
        if (seenAt === 0 && text.startsWith('… ') && text.includes(`held by process ${pid} (python3)`)) {
          seenAt = Date.now();
          // Long enough for apt to be asked again at least once while the lock is held.
          setTimeout(() => {
            log('(the suite lets go of the lists lock)');
            releasedAt = Date.now();
            release();
          }, 8000);
        }
        if (!stopped && text.startsWith('✓ [packages]')) {
          stopped = true;
          wizard.kill('SIGINT');
        }
      },
    });
    assert.ok(seenAt > 0, `the wizard said who holds the lists' lock:\n${run.stdout}`);
    assert.match(
      run.stdout,
      new RegExp(
        `^… \`apt-get update\` needs the package lists' lock \\(${LISTS_LOCK}\\), held by process ${pid} \\(python3\\).* The wizard waits at most 5:00, until \\d\\d:\\d\\d:\\d\\d`,
        'm',
      ),
    );
    assert.ok(releasedAt > 0, 'the lock was let go while the wizard waited');
    assert.ok(stopped, `the packages step was done after the wait:\n${run.stdout}`);
    const transcript = readFileSync(run.logPath!, 'utf8');
    assert.match(transcript, /-- apt is asked again: \$ apt-get update/);
    assert.match(transcript, /-- the lock was free after \d+s of waiting/);
    assert.equal(packageInstalled(PACKAGE), true, 'apt installed the package once the lists were updated');
  },
);
