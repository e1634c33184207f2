// Ctrl-C must never leave dpkg broken (issue 21, part 3). A first install is stopped while dpkg
// works for apt: the wizard says apt is finishing, explains again at a second Ctrl-C, waits, and
// only then ends. Afterwards `dpkg --audit` finds nothing half-done and the packages step is done.
// The dpkg work is made long enough to hit with a dpkg hook of the suite's own (removed after).
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  statusJson,
  testApp,
  ensurePackageInstalled,
  packageInstalled,
  processRunning,
} from './machine.js';

const APP = testApp('e2epkgstop', 'e2epkgapp', 'e2epkg.example', 8097);
/** A package of the packages step, small and needed by nothing else the suite runs meanwhile. */
const PACKAGE = 'python3-venv';
/** dpkg runs this after each of its runs for apt: seconds in which dpkg is still at work. */
const SLOW_DPKG = '/etc/dpkg/dpkg.cfg.d/zz-e2e-slow-dpkg';

async function cleanUp(): Promise<void> {
  rmSync(SLOW_DPKG, { force: true });
  // Whatever happened, the machine keeps the package the rest of the suite expects.
  ensurePackageInstalled(PACKAGE);
  await removeAppsAndUser(APP.user, [APP.name]);
}

if (!refusal()) after(cleanUp);

machineTest(
  'Ctrl-C while apt installs: apt is left to finish, dpkg is not broken, the next run goes on',
  async (_t, { stateOf }) => {
    heading('Ctrl-C while dpkg works for apt');
    await cleanUp();
    createServiceUser(APP.user);
    must(`DEBIAN_FRONTEND=noninteractive apt-get remove -y ${PACKAGE}`, 300_000);
    writeFileSync(
      SLOW_DPKG,
      '# e2e: keep dpkg at work a while after each run, so that Ctrl-C lands in it\npost-invoke=sleep 6\n',
    );
    const env = stateOf('pkgstop');

    let interrupts = 0;
    let sentAt = 0;
    const run = await runWizard(['--yes', ...APP.answers], {
      env,
      limitMs: 15 * 60_000,
      onLine: (text, wizard) => {
        // Once apt is installing, wait for dpkg itself, then Ctrl-C (SIGINT, as a terminal sends it
        // in plain mode), and once more a second later.
        if (interrupts > 0 || !text.startsWith('$ ') || !/apt-get .*install/.test(text)) return;
        interrupts = 1;
        const poll = setInterval(() => {
          if (!processRunning('dpkg')) return;
          clearInterval(poll);
          log('(the suite presses Ctrl-C while dpkg runs)');
          sentAt = Date.now();
          wizard.kill('SIGINT');
          setTimeout(() => {
            log('(the suite presses Ctrl-C again)');
            interrupts = 2;
            wizard.kill('SIGINT');
          }, 1500);
        }, 50);
      },
    });

    assert.ok(sentAt > 0, 'Ctrl-C was pressed while dpkg ran');
    assert.equal(interrupts, 2, 'Ctrl-C was pressed twice');
    assert.equal(run.code, 130, 'the run ends as stopped by the person');
    assert.match(
      run.stdout,
      /^… apt is finishing\. It is never cut off/m,
      'the first Ctrl-C is answered: apt finishes',
    );
    assert.match(run.stdout, /^… Still waiting for apt: Ctrl-C does not cut it off/m, 'the second is explained again');
    const transcript = readFileSync(run.logPath!, 'utf8');
    assert.match(transcript, /stop asked: apt\/dpkg is left to finish/, 'the run log says why the wizard waited');

    const audit = sh('dpkg --audit');
    log(`$ dpkg --audit → exit ${audit.code}: ${audit.stdout.trim() || '(nothing)'}`);
    assert.equal(audit.code, 0);
    assert.equal(audit.stdout.trim(), '', 'dpkg --audit finds no package half-installed or half-configured');
    assert.ok(packageInstalled(PACKAGE), `${PACKAGE} is installed`);
    assert.equal(sh('apt-get check').code, 0, 'apt sees a consistent system');

    // The next run goes on: the machine shows the packages step done.
    const { report } = await statusJson(APP.answers, env);
    const packages = report.steps.find((step) => step.id === 'packages');
    assert.equal(packages?.state, 'done', 'status: the packages step is done');
  },
);
