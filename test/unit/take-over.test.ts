// Issue 20: a uWSGI already serving the app (started by hand, following the guide) is found before
// a step starts one, shown, and either stopped so that the step starts its own (the default, what
// --yes does) or kept, and then no second one is started. Also: how the uwsgi probe finds such a
// process on the real /proc, and when the service's check passes.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Observation, ProbeAnswer } from '../../src/engine/ports.js';
import { WizardSession } from '../../src/engine/session.js';
import type { Check, UwsgiInstance } from '../../src/engine/types.js';
import { findUwsgiServing, uwsgiAsExpected } from '../../src/exec/system.js';
import { summaryLines } from '../../src/app/present.js';
import { plainPrinter } from '../../src/ui/plain.js';
import { warningText } from '../../src/ui/probe-text.js';
import { byHandUwsgi, check, commandAction, FakeSystem, planFor, planOf, step, waitFor } from '../helpers.js';

const byHand: Check = check('uwsgi-by-hand-before-service', {
  takeOver: { skipWhenKept: ['start-service'], stopAs: '' },
});

/** The service step as the engine sees it: the take-over pitfall, then the command that starts uWSGI. */
const plan = planOf(
  step('service', {
    preflight: [byHand],
    actions: [commandAction('write-unit', 'true'), commandAction('start-service', 'systemctl enable --now myapp')],
    checks: [check('service-processes')],
  }),
);

/** The hand-started uWSGI is there until something is stopped (the stop command ran). */
function machine(): FakeSystem {
  const fake: FakeSystem = new FakeSystem({
    probe: (name): boolean | ProbeAnswer => {
      if (name !== byHand.id) return true;
      const gone = fake.performed.some((id) => id.startsWith('stop-'));
      return gone
        ? { ok: true, observed: { kind: 'uwsgi', found: [] } }
        : { ok: false, observed: { kind: 'uwsgi', found: [byHandUwsgi()] } };
    },
  });
  return fake;
}

/** The run, with k at the take-over and Enter at the step's first command: its final state. */
async function keptAtTheScreen(session: WizardSession) {
  const done = session.run();
  await waitFor(() => session.getState().phase.kind === 'found-running', 'the take-over is offered');
  session.dispatch({ type: 'keep-found' });
  await waitFor(() => session.getState().phase.kind === 'confirm', 'the first action is offered');
  session.dispatch({ type: 'continue', at: 0 });
  return done;
}

describe('a uWSGI found serving the app before the service starts one', () => {
  it('--yes stops it (kill -INT its master, waiting until it has ended), says so, and then starts the service', async () => {
    const system = machine();
    const session = new WizardSession(plan, system, { auto: true, pollMs: 1 });
    let out = '';
    session.subscribe(plainPrinter((text) => (out += text), 'en', session.getState()));
    const final = await session.run();
    assert.deepEqual(system.performed, ['stop-uwsgi-by-hand-before-service', 'write-unit', 'start-service']);
    assert.equal(final.statuses.service, 'done');
    assert.deepEqual(final.kept, []);
    assert.match(out, /pid 4242, running by hand, not as a service, as demo since 2026-11-23 21:00:00 UTC/);
    assert.match(out, /stopping what was found \(the default; --yes does it\)/);
    // The master and its workers, then a wait until none of them is left.
    assert.match(
      out,
      /\$ sh -c 'kill -INT 4242 4243 4244 4245 4246 4247 2>\/dev\/null; for i in \$\(seq 50\); do kill -0 4242 /,
    );
    // What is left after 10 s is killed.
    assert.match(
      out,
      /kill -0 4247 2>\/dev\/null \|\| exit 0; sleep 0.2; done; kill -KILL 4242 4243 4244 4245 4246 4247 /,
    );
  });

  it('kept: no second uWSGI is started, the step ends skipped, and which process serves is said', async () => {
    const system = machine();
    const session = new WizardSession(plan, system, { auto: false, pollMs: 1 });
    let out = '';
    session.subscribe(plainPrinter((text) => (out += text), 'en', session.getState()));
    const final = await keptAtTheScreen(session);
    assert.deepEqual(system.performed, ['write-unit'], 'the service is not started beside it');
    assert.equal(final.statuses.service, 'skipped');
    assert.deepEqual(final.kept, [{ step: 'service', checkId: byHand.id, found: [byHandUwsgi()] }]);
    assert.match(out, /kept running, as chosen: pid 4242.*The service is not what runs/);
  });

  // Tried in tmux (no systemd here): after k, the summary named the process that serves but not that a reboot ends it.
  for (const [lang, said] of [
    [
      'en',
      /^⚠ That uWSGI, started by hand and kept, will NOT come back after a reboot: .*start uWSGI with: START-IT$/m,
    ],
    ['ja', /^⚠ 手で起動して残したその uWSGI は、マシンを再起動すると戻りません。.*起動してください: START-IT$/m],
  ] as const)
    it(`kept without a service manager (${lang}): the summary says a reboot ends it, with the start command`, async () => {
      const manage = { start: 'START-IT', stop: 'STOP-IT', logs: 'LOGS', afterReboot: { en: '', ja: '' } };
      const final = await keptAtTheScreen(new WizardSession(plan, machine(), { auto: false, pollMs: 1 }));
      const summary = summaryLines({ final, beforeEnd: final }, lang, { closing: [], manage }).join('\n');
      assert.match(summary, /^\[service\] .*pid 4242/m);
      assert.match(summary, said);
    });

  // Under systemd the skipped action is `systemctl enable --now`: nothing starts the app at boot either.
  for (const [lang, said] of [
    ['en', /^⚠ That uWSGI, started by hand and kept, will NOT come back after a reboot: the service was not started/m],
    ['ja', /^⚠ 手で起動して残したその uWSGI は、マシンを再起動すると戻りません。サービスを起動も有効化もしていない/m],
  ] as const)
    it(`kept under systemd (${lang}): the summary says a reboot ends it, and how to hand it to the service`, async () => {
      const manage = { start: 'START-IT', stop: 'STOP-IT', logs: 'LOGS', afterReboot: { en: '', ja: '' } };
      const underSystemd = { ...plan, platform: { ...plan.platform, serviceManager: 'systemd' as const } };
      const final = await keptAtTheScreen(new WizardSession(underSystemd, machine(), { auto: false, pollMs: 1 }));
      const summary = summaryLines({ final, beforeEnd: final }, lang, { closing: [], manage }).join('\n');
      assert.match(summary, /^\[service\] .*pid 4242/m);
      assert.match(summary, said);
      assert.doesNotMatch(summary, /START-IT/, 'no start command: systemd would start the service beside it');
    });

  it('a stop asked at the screen stops it; the pitfalls are asked again and the step goes on', async () => {
    const system = machine();
    const session = new WizardSession(plan, system, { auto: false, pollMs: 1 });
    const done = session.run();
    await waitFor(() => session.getState().phase.kind === 'found-running', 'the take-over is offered');
    session.dispatch({ type: 'continue', at: 0 });
    await waitFor(() => session.getState().phase.kind === 'confirm', 'the first action is offered');
    assert.ok(
      session.getState().preflightResults.every((r) => r.ok),
      'asked again: nothing is found any more',
    );
    session.interrupt();
    await done;
    assert.deepEqual(system.performed, ['stop-uwsgi-by-hand-before-service']);
  });
});

describe('the take-over pitfalls say what they found in one sentence', () => {
  const pitfall = (stepId: string, id: string): Check =>
    planFor()
      .steps.find((s) => s.id === stepId)!
      .preflight!.find((c) => c.id === id)!;
  // The service's own uWSGI beside it is not what the sentence names: only the one started by hand.
  const observed: Observation = {
    kind: 'uwsgi',
    found: [{ ...byHandUwsgi(), pid: 99, startedBy: 'systemd' }, byHandUwsgi()],
  };

  it('before the service: the uWSGI started by hand, with its pid, how it was started and since when', () => {
    const check = pitfall('service', 'uwsgi-by-hand-before-service');
    assert.match(
      warningText(check, observed, 'en'),
      /^a uWSGI started by hand already serves the app: pid 4242, running by hand, not as a service, as demo since 2026-11-23 21:00:00 UTC: .*uwsgi --ini myapp.ini/,
    );
    assert.match(
      warningText(check, observed, 'ja'),
      /^手で起動した uWSGI がすでにアプリを提供しています: pid 4242、手で起動したもの \(サービスではない\)、demo で 2026-11-23 21:00:00 UTC から/,
    );
    assert.doesNotMatch(warningText(check, observed, 'en'), /pid 99/);
  });

  it('before the test run: the uWSGI holding the test port', () => {
    const check = pitfall('test-run', 'uwsgi-by-hand-before-test-run');
    assert.match(
      warningText(check, observed, 'en'),
      /^a uWSGI left running holds port 8080: pid 4242, running by hand/,
    );
    assert.match(warningText(check, observed, 'ja'), /^動いたままの uWSGI がポート 8080 を使っています: pid 4242、/);
    // `uwsgi --http`: its HTTP router is the one process beside the master.
    const testServer: Observation = { kind: 'uwsgi', found: [{ ...byHandUwsgi(), workers: 1, serves: [':8080'] }] };
    assert.match(warningText(check, testServer, 'en'), /: master \+ 1 worker serving :8080 — /);
  });
});

describe("the service's check counts every uWSGI serving the app", () => {
  const service = (workers: number, startedBy: UwsgiInstance['startedBy'] = 'systemd'): UwsgiInstance => ({
    ...byHandUwsgi(),
    startedBy,
    workers,
  });
  const expect = { kind: 'service', processes: 6, by: 'systemd' } as const;

  it('passes for the service alone, 1 master + 5 workers', () => {
    assert.equal(uwsgiAsExpected([service(5)], expect), true);
  });
  it('fails on a second master beside it, however many processes there are', () => {
    assert.equal(uwsgiAsExpected([service(5), service(5, 'by-hand')], expect), false);
  });
  it('fails when the one master was started by hand, not as the service', () => {
    assert.equal(uwsgiAsExpected([service(5, 'by-hand')], expect), false);
  });
  it('before a step: passes with only the service running, fails with one started by hand', () => {
    assert.equal(uwsgiAsExpected([service(5)], { kind: 'by-hand-none' }), true);
    assert.equal(uwsgiAsExpected([service(5), service(5, 'by-hand')], { kind: 'by-hand-none' }), false);
  });
});

describe('findUwsgiServing on this machine (/proc)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'uwsgi-probe-'));
  const children: ChildProcess[] = [];
  after(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  // A program named uwsgi (a copy of sleep), as a person's uWSGI is named: found by its name and directory.
  const program = join(dir, 'uwsgi');
  copyFileSync('/bin/sleep', program);
  /** What is found once the process has started (its exec done: named uwsgi, in its directory). */
  const seen = async (look: () => Promise<UwsgiInstance[]>): Promise<UwsgiInstance[]> => {
    for (let tries = 0; tries < 100; tries++) {
      const found = await look();
      if (found.length > 0) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return look();
  };
  const startIn = (cwd: string): ChildProcess => {
    const child = spawn(program, ['30'], { cwd, stdio: 'ignore' });
    children.push(child);
    return child;
  };

  it('finds a uwsgi running in the app directory, started by hand, with its start time; another directory is not the app', async () => {
    const appDir = mkdtempSync(join(dir, 'app-'));
    const elsewhere = mkdtempSync(join(dir, 'other-'));
    const child = startIn(appDir);
    startIn(elsewhere);
    const found = await seen(() => findUwsgiServing({ appDir }));
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0]!.pid, child.pid);
    assert.equal(found[0]!.startedBy, 'by-hand');
    assert.equal(found[0]!.cwd, appDir);
    assert.equal(found[0]!.workers, 0);
    assert.ok(Math.abs(Date.parse(found[0]!.since) - Date.now()) < 60_000, `started just now: ${found[0]!.since}`);
  });

  it("a socket bound beside the app (the guide's `socket = myapp.sock`) is where it is, not the service's of the same name", async () => {
    const appDir = mkdtempSync(join(dir, 'app-'));
    // Python under the name uwsgi, binding a unix socket by a relative path as the guide's ini does.
    const python = join(dir, 'python-as-uwsgi');
    mkdirSync(python);
    symlinkSync('/usr/bin/python3', join(python, 'uwsgi'));
    const bind =
      "import socket, time; s = socket.socket(socket.AF_UNIX); s.bind('app.sock'); s.listen(); time.sleep(30)";
    const child = spawn(join(python, 'uwsgi'), ['-c', bind], { cwd: appDir, stdio: 'ignore' });
    children.push(child);
    const beside = join(appDir, 'app.sock');
    const [found] = await seen(() => findUwsgiServing({ socket: beside }));
    assert.equal(found?.pid, child.pid);
    assert.deepEqual(found?.serves, [beside]);
    // The service's socket has the same name in another directory: this uWSGI does not hold it.
    assert.deepEqual(await findUwsgiServing({ socket: join(dir, 'run', 'app.sock') }), []);
  });

  // Tried in tmux: another program's uWSGI, run by the app's venv uwsgi (its path inside the app directory) to serve
  // a module and socket of its own elsewhere, was taken for the app's, and undo stopped it.
  it("the app's venv uwsgi serving another directory is not the app; one told the app's ini or directory is", async () => {
    const appDir = mkdtempSync(join(dir, 'app-'));
    const venvBin = join(appDir, 'appenv', 'bin');
    mkdirSync(venvBin, { recursive: true });
    symlinkSync('/usr/bin/python3', join(venvBin, 'uwsgi'));
    const elsewhere = mkdtempSync(join(dir, 'other-'));
    const sleeper = 'import time; time.sleep(30)';
    const borrowed = spawn(join(venvBin, 'uwsgi'), ['-c', sleeper, '--chdir', elsewhere], { cwd: elsewhere });
    const ini = spawn(join(venvBin, 'uwsgi'), ['-c', sleeper, `--ini=${join(appDir, 'app.ini')}`], { cwd: elsewhere });
    const chdir = spawn(join(venvBin, 'uwsgi'), ['-c', sleeper, '--chdir', appDir], { cwd: elsewhere });
    const sibling = spawn(join(venvBin, 'uwsgi'), ['-c', sleeper, '--chdir', `${appDir}2`], { cwd: elsewhere });
    children.push(borrowed, ini, chdir, sibling);
    const target = { appDir, paths: [join(appDir, 'app.ini')] };
    await seen(() => findUwsgiServing(target));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const pids = (await findUwsgiServing(target)).map((found) => found.pid);
    assert.deepEqual(
      pids,
      [ini.pid, chdir.pid].sort((a, b) => a! - b!),
      'its ini or its directory named, nothing else',
    );
  });

  // Seen in a bookworm guest: after deploy's touch-reload, the wheel's uWSGI (pyuwsgi) runs again through the ini's
  // binary-path as `…/bin/python …/bin/uwsgi --ini …`, named python; the service's check found no uWSGI and deploy
  // rolled back code that served.
  it("the wheel's uWSGI after a reload (python running the venv's uwsgi script) is still a uWSGI serving the app", async () => {
    const appDir = mkdtempSync(join(dir, 'app-'));
    const venvBin = join(appDir, 'appenv', 'bin');
    mkdirSync(venvBin, { recursive: true });
    writeFileSync(join(venvBin, 'uwsgi'), 'import time; time.sleep(30)\n');
    const ini = join(appDir, 'app.ini');
    const child = spawn('/usr/bin/python3', [join(venvBin, 'uwsgi'), '--ini', ini], { cwd: appDir, stdio: 'ignore' });
    children.push(child);
    const [found] = await seen(() => findUwsgiServing({ appDir, paths: [ini] }));
    assert.equal(found?.pid, child.pid, 'found by its command line, though its name is python3');
    // Python running any other script there is not a uWSGI.
    const other = spawn('/usr/bin/python3', ['-c', 'import time; time.sleep(30)', ini], {
      cwd: appDir,
      stdio: 'ignore',
    });
    children.push(other);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const pids = (await findUwsgiServing({ appDir, paths: [ini] })).map((instance) => instance.pid);
    assert.deepEqual(pids, [child.pid]);
  });

  it('a uwsgi named by the pidfile is the one the wizard started (pidfile)', async () => {
    const appDir = mkdtempSync(join(dir, 'app-'));
    const child = startIn(appDir);
    const pidFile = join(dir, 'app.pid');
    writeFileSync(pidFile, `${child.pid}\n`);
    const [found] = await seen(() => findUwsgiServing({ pidFile }));
    assert.equal(found?.pid, child.pid);
    assert.equal(found?.startedBy, 'pidfile');
  });
});
