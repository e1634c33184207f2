// Issue 19, `--uwsgi-from wheel` for real on this machine: the wizard, unattended, installs PyPI's prebuilt
// pyuwsgi instead of compiling uWSGI, and everything after it finds that uWSGI as it finds a compiled one: the
// wizard's own checks (its run completes), `status` (every step done) and the doctor (healthy), though pyuwsgi's
// `uwsgi` is a Python script, so that its processes run the venv's python with the script as its first argument;
// and the guide's test run left running by hand is named by the doctor.
// The time of the uwsgi step is logged beside the whole run's.
//
// It changes the machine, so it refuses to run unless it is root and CI=true or
// E2E_ALLOW_SYSTEM_CHANGES=1. Only names of its own are used (user e2ewhl, app e2ewheel).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { freshApp } from './exported.js';
import {
  assertCompleted,
  assertPageAnswers,
  heading,
  listening,
  log,
  machineTest,
  must,
  processesOf,
  runWizard,
  statusJson,
  stepTimings,
  testApp,
  timingTable,
  uidOf,
  waitUntil,
} from './machine.js';

const APP = testApp('e2ewhl', 'e2ewheel', 'wheel.e2e.test', 8341);
const VENV = `${APP.dir}/${APP.name}env`;

interface Finding {
  cause: string;
  facts: { address?: string; user?: string };
}

/**
 * The doctor's findings about this test's app: a uWSGI another account left running on this shared machine
 * (another test's, named with its account) is said too, and is none of this test's business.
 */
function ours(findings: Finding[]): Finding[] {
  const others = findings.filter((finding) => finding.facts.user !== undefined && finding.facts.user !== APP.user);
  if (others.length > 0) log(`the doctor also names other accounts' uWSGI: ${JSON.stringify(others)}`);
  return findings.filter((finding) => !others.includes(finding));
}

machineTest(
  'end-to-end: --uwsgi-from wheel installs pyuwsgi, found by the checks, status and the doctor',
  async (t, work) => {
    await freshApp(t, APP);
    const env = work.stateOf('wheel');

    heading('the wizard --yes --uwsgi-from wheel');
    const run = await runWizard(['--yes', '--uwsgi-from', 'wheel', ...APP.answers], { env });
    log(`\n${timingTable('time per step, --uwsgi-from wheel', run)}`);
    assertCompleted(run, '--uwsgi-from wheel');
    const uwsgiStep = stepTimings(run).find((step) => step.id === 'uwsgi');
    log(`the uwsgi step (pip install pyuwsgi, uwsgi --version): ${uwsgiStep?.seconds.toFixed(1)}s`);
    assert.ok(uwsgiStep, 'the uwsgi step ran');
    assert.match(readFileSync(run.logPath!, 'utf8'), /bin\/pip install --only-binary=:all: pyuwsgi/);

    heading("what pip put in the venv: pyuwsgi's uwsgi, a Python script, and no compiled uWSGI");
    const site = must(`${VENV}/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'`).trim();
    const installed = readdirSync(site).filter((name) => /^(py)?uwsgi/i.test(name));
    log(`${site}: ${installed.join(' ')}`);
    assert.ok(
      installed.some((name) => /^pyuwsgi-[\d.]+(\.post\d+)?\.dist-info$/.test(name)),
      'pyuwsgi is installed',
    );
    assert.ok(!installed.some((name) => /^uwsgi-/i.test(name)), 'the uwsgi sdist was not built');
    assert.match(readFileSync(`${VENV}/bin/uwsgi`, 'utf8'), new RegExp(`^#!${VENV}/bin/python`));
    log(must(`${VENV}/bin/uwsgi --version`));

    heading("the running master: comm uwsgi, its argv the venv's python and its uwsgi script");
    const master = must(`cat /run/${APP.name}/${APP.name}.pid`).trim();
    const argv = readFileSync(`/proc/${master}/cmdline`, 'utf8').split('\0').filter(Boolean);
    log(`pid ${master}, comm ${readFileSync(`/proc/${master}/comm`, 'utf8').trim()}: ${argv.join(' ')}`);
    assert.deepEqual(argv.slice(0, 2), [`${VENV}/bin/python3`, `${VENV}/bin/uwsgi`]);
    assertPageAnswers(APP.server);

    heading('status --json: every step done');
    const { report } = await statusJson(APP.answers, env);
    assert.equal(report.complete, true, JSON.stringify(report.steps));

    heading('doctor --json: healthy, the uWSGI found');
    const doctor = await runWizard(['doctor', '--json', ...APP.answers], { env, once: true, prefix: 'doctor│ ' });
    const { findings: before } = JSON.parse(doctor.stdout) as { findings: Finding[] };
    assert.deepEqual(ours(before), [], doctor.stdout);

    // The doctor reads uWSGI's processes from their command lines: pyuwsgi's begin with the venv's python,
    // and a reading that looked at the program alone saw none of them (this finding was missing).
    heading("the guide's test run left running by hand, pyuwsgi's: the doctor names it");
    const left = spawn(
      'runuser',
      ['-u', APP.user, '--', `${VENV}/bin/uwsgi`, '--socket', `0.0.0.0:${APP.port}`, '--protocol=http', '-w', 'wsgi'],
      { cwd: APP.dir, stdio: 'ignore' },
    );
    t.after(async () => {
      // Stopped as the guide stops it (Ctrl-C: SIGINT to uWSGI itself, below runuser); the app's account's
      // processes are ended anyway when freshApp removes it.
      const uid = uidOf(APP.user);
      const testRun = uid === undefined ? [] : processesOf(uid).filter((p) => p.cmdline.includes(`:${APP.port}`));
      for (const { pid } of testRun) process.kill(pid, 'SIGINT');
      await waitUntil(() => left.exitCode !== null || left.signalCode !== null, 10_000);
    });
    assert.ok(await waitUntil(() => listening(APP.port), 10_000), `the test run listens on ${APP.port}`);
    const found = await runWizard(['doctor', '--json', ...APP.answers], { env, once: true, prefix: 'doctor│ ' });
    const { findings } = JSON.parse(found.stdout) as { findings: Finding[] };
    assert.deepEqual(
      ours(findings).map((finding) => [finding.cause, finding.facts.address]),
      [['test-leftover', `:${APP.port}`]],
      found.stdout,
    );
  },
);
