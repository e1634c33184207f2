// Issue 16 for real: the doctor on a site the wizard set up, healthy and then broken in each of the
// ways of breakages.ts, one at a time. For each: the symptom is seen from outside first (curl),
// `doctor --json` names the right cause first with its evidence, `doctor --fix --yes` brings the
// page back where a fix is possible (checked with curl), and the suite puts the healthy site back
// before the next one. A healthy site: exit 0, no finding, nothing changed.
//
// It changes the machine, so it refuses to run unless it is root and CI=true or
// E2E_ALLOW_SYSTEM_CHANGES=1. Only names of its own: user e2edoc, app e2edoc, test port 8312.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Finding } from '../../src/engine/doctor/model.js';
import {
  askPage,
  BREAKAGES,
  keepHealthy,
  pageIsHealthy,
  removeBreakageLeftovers,
  restoreHealthy,
  siteOf,
  uwsgiPids,
} from './breakages.js';
import {
  assertCompleted,
  createServiceUser,
  heading,
  log,
  machineTest,
  removeAppsAndUser,
  runWizard,
  testApp,
  type WizardRun,
  waitUntil,
} from './machine.js';

const USER = 'e2edoc';
const APP = testApp(USER, 'e2edoc', 'doctor.e2e.test', 8312);

interface DoctorJson {
  healthy: boolean;
  findings: Finding[];
}

async function doctor(args: string[], env: NodeJS.ProcessEnv): Promise<{ run: WizardRun; report: DoctorJson }> {
  const run = await runWizard(
    ['doctor', '--json', '--app-name', APP.name, '--server-name', APP.server, '--lang', 'en', ...args],
    { env, once: true, prefix: 'doctor│ ' },
  );
  try {
    return { run, report: JSON.parse(run.stdout) as DoctorJson };
  } catch {
    throw new Error(`doctor --json printed no JSON (exit ${run.code ?? run.signal}):\n${run.stdout}${run.stderr}`);
  }
}

/** What must not change when the doctor only looks: the site's files and the processes serving it. */
function fingerprint(files: string[], site: ReturnType<typeof siteOf>): { files: string; uwsgi: number[] } {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0${readFileSync(file)}\0`);
  return { files: hash.digest('hex'), uwsgi: uwsgiPids(site).sort((a, b) => a - b) };
}

machineTest(
  'end-to-end: the doctor names why a site is broken and fixes it (issue 16)',
  async (t, { dir, stateOf }) => {
    const env = stateOf('doctor');
    const site = siteOf(APP.name, USER, APP.server, dir);
    const cleanUp = async (when: string) => {
      heading(`clean-up (${when})`);
      removeBreakageLeftovers();
      await removeAppsAndUser(
        USER,
        [APP.name],
        ['/etc/nginx/sites-enabled/e2edoc-dup', '/etc/nginx/sites-available/e2edoc-dup'],
      );
    };
    await cleanUp('before');
    t.after(() => cleanUp('after'));

    heading('a healthy site, set up by the wizard');
    createServiceUser(USER);
    const setUp = await runWizard(['--yes', '--processes', '2', ...APP.answers], { env });
    assertCompleted(setUp, 'the wizard sets the site up');
    assert.ok(pageIsHealthy(askPage(site)), 'the page answers before anything is broken');
    keepHealthy(site);

    await t.test('a healthy site: exit 0, no finding, nothing changed', async () => {
      const files = [site.ini, site.wsgi, site.siteFile];
      const before = fingerprint(files, site);
      const { run, report } = await doctor([], env);
      assert.equal(run.code, 0, 'exit 0 when healthy');
      assert.equal(report.healthy, true);
      assert.deepEqual(report.findings, []);
      assert.deepEqual(fingerprint(files, site), before, 'doctor without --fix changes nothing');
    });

    for (const breakage of BREAKAGES) {
      await t.test(`${breakage.name} → ${breakage.cause}`, async () => {
        heading(`break: ${breakage.name}`);
        try {
          await breakage.make(site);
          assert.ok(
            await waitUntil(() => breakage.symptom(site), 10_000),
            `the breakage shows its symptom from outside (${breakage.name})`,
          );

          const { run, report } = await doctor([], env);
          assert.equal(run.code, 1, 'exit 1: something is wrong');
          const first = report.findings[0];
          assert.ok(first, 'at least one finding');
          log(`doctor: ${report.findings.map((f) => f.cause).join(', ')}`);
          assert.equal(first.cause, breakage.cause, 'the right cause first');
          assert.ok(first.evidence.length > 0, 'with its evidence');

          if (breakage.fixable) {
            assert.ok(first.fix && first.fix.length > 0, 'a fix is offered');
            const fixed = await runWizard(
              ['doctor', '--fix', '--yes', '--app-name', APP.name, '--server-name', APP.server, '--lang', 'en'],
              { env, prefix: 'fix│ ' },
            );
            assert.equal(fixed.code, 0, `doctor --fix --yes ends healthy:\n${fixed.stdout}${fixed.stderr}`);
            const answer = askPage(site, breakage.request ?? '');
            const healed = breakage.healed ?? pageIsHealthy;
            assert.ok(healed(answer), `the page answers again (${answer.status}: ${answer.body.slice(0, 200)})`);
            const again = await doctor([], env);
            assert.equal(again.run.code, 0, `doctor finds nothing after the fix: ${again.run.stdout}`);
          }
        } finally {
          await restoreHealthy(site);
          assert.ok(pageIsHealthy(askPage(site)), 'the healthy site is back for the next breakage');
        }
      });
    }
  },
);
