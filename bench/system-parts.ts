// Parts 2 and 4 of the bench, which change the machine. bench/run.ts runs this file as root with
// CI=true or E2E_ALLOW_SYSTEM_CHANGES=1, under `flock /tmp/machine.lock`; it makes two users and
// apps of its own (e2ebenchw, set up by the wizard; e2ebenchs, by the plain script), measures, and
// removes everything it made with the end-to-end suite's clean-up (test/e2e/machine.ts).
//
//   4. fresh: `--yes` on a fresh user and app against the same commands as one bash script (each
//      step guarded by its probes, as the wizard asks them) on another fresh user and app, three
//      times each in turn (BENCH_FRESH_RUNS), everything removed between; the apt packages are
//      already installed (both find them and skip that step);
//   4. set up: the same two again, now that everything is in place (every step a no-op);
//   2. status on the wizard's app against the same probes as one shell script, and the doctor on it
//      (healthy) against the same looks as one shell script;
//   5. deploy again: a person's own Flask project (fixtures/apps/flask-site) served by the wizard for two
//      apps of their own (e2ebenchdw, e2ebenchds), its text changed before each run; `deploy --yes` on one
//      against the deploy plan's own commands as one bash script on the other (copy the code, pip install -r,
//      switch, reload) followed by a wait for the page, in turn.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { curriculum, deployCurriculum } from '../steps/index.js';
import { GUIDE_DEFAULTS } from '../src/engine/answers.js';
import { findApp } from '../src/engine/own-app/find.js';
import { buildPlan } from '../src/engine/plan.js';
import { pageThroughNginx } from '../src/engine/stack-probes.js';
import type { Plan, PlanContext } from '../src/engine/types.js';
import { lookupAccount } from '../src/exec/accounts.js';
import { readSource } from '../src/exec/own-app-source.js';
import { detectPlatform } from '../src/exec/platform.js';
import { spawnSync } from 'node:child_process';
import {
  CLI,
  createServiceUser,
  log,
  must,
  PROJECT,
  present,
  q,
  refusal,
  removeAppsAndUser,
  runWizard,
  stepTimings,
  testApp,
  type TestApp,
} from '../test/e2e/machine.js';
import { alternate, median, timeCommand } from './measure.js';
import { appPaths } from '../src/engine/commands.js';
import { doctorScript, plainScript, probeShell, probesScript, scriptStepSeconds } from './plain-script.js';

export interface SystemFigures {
  /** Median ms: the wizard's, and its floor's. */
  status?: { wizard: number; script: number };
  /** `doctor --json` on the healthy site, and the same looks as one shell script. */
  doctor?: { wizard: number; script: number };
  fresh?: { wizard: number; script: number };
  /** Seconds per step of the fresh runs. */
  freshSteps?: { id: string; wizard: number; script: number }[];
  setUp?: { wizard: number; script: number };
  note?: string;
  /** `deploy --yes` of a changed project, and the deploy plan's commands as one bash script, then the page. */
  deploy?: { wizard: number; script: number; runs: number };
}

const [resultFile, runsText, onlyText] = process.argv.slice(2) as [string, string, string];
const RUNS = Number(runsText);
/** Fresh installs by each (uWSGI compiled every time): 40 s or so apiece. */
const FRESH_RUNS = Math.max(1, Math.round(Number(process.env.BENCH_FRESH_RUNS ?? 3)) || 1);
const ONLY = new Set(onlyText.split(',').map(Number));

/** What the person running the bench sees; the whole story (every line of both runs) goes to the log. */
function progress(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}

/** The context the CLI plans with for these answer flags, as root, on this machine. */
async function contextFor(app: TestApp): Promise<PlanContext> {
  const account = await lookupAccount(app.user);
  if (!account) throw new Error(`no account ${app.user}`);
  return {
    answers: {
      appName: app.name,
      user: app.user,
      appDir: app.dir,
      webGroup: GUIDE_DEFAULTS.webGroup,
      serverName: app.server,
      processes: GUIDE_DEFAULTS.processes,
      testPort: app.port,
    },
    platform: detectPlatform(),
    privilege: { isRoot: true, runningAs: 'root' },
    userGroup: account.primaryGroup,
  };
}

/** The plan the CLI makes for these answer flags, as root, on this machine. */
async function planFor(app: TestApp): Promise<Plan> {
  return buildPlan(curriculum, await contextFor(app));
}

async function main(): Promise<SystemFigures> {
  const reason = refusal();
  if (reason) throw new Error(reason);
  const figures = ONLY.has(2) || ONLY.has(4) ? await probesAndOverhead() : {};
  if (ONLY.has(5)) figures.deploy = await deployAgain();
  return figures;
}

/** 5. `deploy --yes` of a changed project against the same commands as one bash script, then a wait for the page. */
async function deployAgain(): Promise<SystemFigures['deploy']> {
  const work = mkdtempSync('/tmp/uwsgi-guide-bench-');
  const wizardApp = testApp('e2ebenchdw', 'e2ebenchdw', 'dw.bench.e2e.test', 8393);
  const scriptApp = testApp('e2ebenchds', 'e2ebenchds', 'ds.bench.e2e.test', 8394);
  const cleanUp = async () => {
    for (const app of [wizardApp, scriptApp]) {
      await removeAppsAndUser(app.user, [app.name]);
      if (present(`/var/www/${app.name}`)) must(`rm -rf ${q(`/var/www/${app.name}`)}`);
    }
  };
  await cleanUp();
  try {
    // The person's project, where both apps' accounts can read it.
    must(`chmod 755 ${q(work)}`);
    const source = join(work, 'flask-site');
    cpSync(join(PROJECT, 'fixtures/apps/flask-site'), source, { recursive: true });
    must(`chmod -R a+rX ${q(source)}`);
    const template = join(source, 'templates/home.html');
    const original = readFileSync(template, 'utf8');
    let change = 0;
    // A change before each run, as a person deploys one: the code copied is never the same twice.
    const changed = () => writeFileSync(template, original.replace('Greetings from', `Greetings (${++change}) from`));
    const env = { ...process.env, XDG_STATE_HOME: join(work, 'state') };
    for (const app of [wizardApp, scriptApp]) {
      createServiceUser(app.user);
      progress(`deploy again: ${app.name} served by the wizard first (--yes --app-source; uWSGI is compiled)…`);
      const first = await runWizard(['--yes', ...app.answers, '--app-source', source], { env });
      if (first.code !== 0) throw new Error(`the wizard's first run for ${app.name} exited ${first.code}`);
    }
    const reading = await readSource(source, scriptApp.user);
    if (reading.kind !== 'read') throw new Error(`${source} could not be read: ${reading.kind}`);
    const found = findApp(reading.tree);
    if (found.kind !== 'found') throw new Error(`no app found in ${source}: ${found.kind}`);
    const base = await contextFor(scriptApp);
    const ctx: PlanContext = {
      ...base,
      answers: { ...base.answers, appSource: source },
      ownApp: { ...found.app, root: reading.root },
    };
    const page = probeShell(pageThroughNginx(ctx));
    const script = join(work, 'deploy.sh');
    const plain = plainScript(buildPlan(deployCurriculum, ctx), false).replace(
      /^echo "== end/m,
      `until ${page}; do sleep 0.1; done\necho "== end`,
    );
    writeFileSync(script, plain);
    log(`the plain deploy script:\n${plain}`);
    progress(`deploy again: deploy --yes against the plain script, ${RUNS} runs each…`);
    const times = await alternate(
      RUNS,
      () => {
        changed();
        return timeCommand(process.execPath, [CLI, 'deploy', '--yes', ...wizardApp.answers], env);
      },
      () => {
        changed();
        return timeCommand('bash', [script]);
      },
    );
    return { wizard: median(times.a), script: median(times.b), runs: RUNS };
  } finally {
    await cleanUp();
    rmSync(work, { recursive: true, force: true });
  }
}

/** 4, and 2 when asked: fresh and set-up runs of the guide's hello world, then status and the doctor on it. */
async function probesAndOverhead(): Promise<SystemFigures> {
  const work = mkdtempSync('/tmp/uwsgi-guide-bench-');
  const wizardApp = testApp('e2ebenchw', 'e2ebenchw', 'w.bench.e2e.test', 8391);
  const scriptApp = testApp('e2ebenchs', 'e2ebenchs', 's.bench.e2e.test', 8392);
  // What a run killed half-way left behind.
  await removeAppsAndUser(wizardApp.user, [wizardApp.name]);
  await removeAppsAndUser(scriptApp.user, [scriptApp.name]);
  try {
    createServiceUser(wizardApp.user);
    createServiceUser(scriptApp.user);
    // XDG_STATE_HOME: each fresh run gets its own below; the set-up runs then use the last one's.
    const env = { ...process.env, XDG_STATE_HOME: join(work, 'state') };
    const wizard =
      (...args: string[]) =>
      () =>
        timeCommand(process.execPath, [CLI, ...args, ...wizardApp.answers], env);
    const script = join(work, 'plain.sh');
    writeFileSync(script, plainScript(await planFor(scriptApp), true));
    const probes = join(work, 'probes.sh');
    writeFileSync(probes, probesScript(await planFor(wizardApp)));
    const paths = appPaths(await contextFor(wizardApp));
    const looks = join(work, 'doctor.sh');
    writeFileSync(
      looks,
      doctorScript({ ...paths, user: wizardApp.user, serverName: wizardApp.server, nginxUser: 'www-data' }),
    );
    const bash = (file: string) => () => timeCommand('bash', [file]);
    log(
      `the plain script:\n${readFileSync(script, 'utf8')}\nthe probes script:\n${readFileSync(probes, 'utf8')}` +
        `\nthe doctor's looks as a script:\n${readFileSync(looks, 'utf8')}`,
    );

    const figures: SystemFigures = {
      note: `fresh: medians of ${FRESH_RUNS} runs each, taken in turn (each compiles uWSGI, 27 to 37 s from one build to the next); the apt packages were already installed.`,
    };
    const wizardRuns: number[] = [];
    const scriptRuns: number[] = [];
    const stepRuns: Record<string, { wizard: number[]; script: number[] }> = {};
    let state = '';
    for (let i = 1; i <= FRESH_RUNS; i++) {
      // Fresh again: no user, home (pip's cache is there), app, service or site of the last run.
      if (i > 1) {
        await removeAppsAndUser(wizardApp.user, [wizardApp.name]);
        await removeAppsAndUser(scriptApp.user, [scriptApp.name]);
        createServiceUser(wizardApp.user);
        createServiceUser(scriptApp.user);
      }
      state = join(work, `state-${i}`);
      const freshWizard = async () => {
        progress(`fresh install ${i} of ${FRESH_RUNS} by the wizard (--yes)…`);
        // Like the end-to-end suite, it waits while another wizard holds the run lock.
        const run = await runWizard(['--yes', ...wizardApp.answers], { env: { ...env, XDG_STATE_HOME: state } });
        if (run.code !== 0) throw new Error(`the wizard's fresh run exited ${run.code}`);
        wizardRuns.push(run.endedAt - run.startedAt);
        progress(`… ${((run.endedAt - run.startedAt) / 1000).toFixed(1)} s`);
        for (const step of stepTimings(run)) {
          stepRuns[step.id] ??= { wizard: [], script: [] };
          stepRuns[step.id]!.wizard.push(step.seconds);
        }
      };
      const freshScript = () => {
        progress(`fresh install ${i} of ${FRESH_RUNS} by the plain script…`);
        const startedAt = process.hrtime.bigint();
        const plain = spawnSync('bash', [script], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
        const took = Number(process.hrtime.bigint() - startedAt) / 1e6;
        log(plain.stdout);
        if (plain.status !== 0)
          throw new Error(`the plain script exited ${plain.status}: ${plain.stderr.slice(-2000)}`);
        scriptRuns.push(took);
        progress(`… ${(took / 1000).toFixed(1)} s`);
        for (const [id, seconds] of Object.entries(scriptStepSeconds(plain.stdout))) {
          stepRuns[id] ??= { wizard: [], script: [] };
          stepRuns[id]!.script.push(seconds);
        }
      };
      // Taken in turn, so that neither always goes first (a warmer page cache, a quieter machine).
      if (i % 2 === 1) {
        await freshWizard();
        freshScript();
      } else {
        freshScript();
        await freshWizard();
      }
    }
    figures.fresh = { wizard: median(wizardRuns), script: median(scriptRuns) };
    figures.freshSteps = Object.entries(stepRuns)
      .filter(([, runs]) => runs.wizard.length > 0 && runs.script.length > 0)
      .map(([id, runs]) => ({ id, wizard: median(runs.wizard), script: median(runs.script) }));
    env.XDG_STATE_HOME = state;

    progress(`set-up machine, ${RUNS} runs each…`);
    const setUp = await alternate(RUNS, wizard('--yes'), bash(script));
    figures.setUp = { wizard: median(setUp.a), script: median(setUp.b) };

    if (ONLY.has(2)) {
      progress(`status against the probes script, ${RUNS * 2} runs each…`);
      const status = await alternate(RUNS * 2, wizard('status', '--json'), bash(probes));
      figures.status = { wizard: median(status.a), script: median(status.b) };
      // Both must find the site healthy, else one of them is timed doing something else.
      const [doctorOnce, scriptOnce] = [wizard('doctor', '--json')(), bash(looks)()];
      log(`doctor once: ${doctorOnce.toFixed(0)} ms; the script once: ${scriptOnce.toFixed(0)} ms`);
      progress(`doctor against the same looks as one shell script, ${RUNS * 2} runs each…`);
      const doctor = await alternate(RUNS * 2, wizard('doctor', '--json'), bash(looks));
      figures.doctor = { wizard: median(doctor.a), script: median(doctor.b) };
    }
    return figures;
  } finally {
    await removeAppsAndUser(wizardApp.user, [wizardApp.name]);
    await removeAppsAndUser(scriptApp.user, [scriptApp.name]);
    rmSync(work, { recursive: true, force: true });
  }
}

writeFileSync(resultFile, JSON.stringify(await main()));
