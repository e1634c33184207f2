// npm run fixtures:record — make fixtures/recordings/PLATFORM.json from a real run of the whole
// guide on this machine, for `--simulate`. It changes the system like the end-to-end suite does
// (a user `sammy`, the app `hello`, uWSGI, an nginx site), so it runs only where the suite may
// (root, and CI=true or E2E_ALLOW_SYSTEM_CHANGES=1), under the machine lock (the npm script takes
// `flock /tmp/machine.lock`), and removes all it made afterwards, also when it fails.
//
// Every step runs (none is skipped as already done), driven like a person pressing Enter; the
// stack line is asked at its moments; and after the service step the socket's group is broken on
// purpose (src/simulate/incident.ts) so that the nginx step's page check records a real 502,
// which is then fixed and asked again.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { curriculum } from '../steps/index.js';
import { buildPlan } from '../src/engine/plan.js';
import { WizardSession } from '../src/engine/session.js';
import { StackMonitor } from '../src/engine/stack.js';
import type { Answers, PlanContext } from '../src/engine/types.js';
import { currentStep, type WizardState } from '../src/engine/wizard.js';
import { lookupAccount } from '../src/exec/accounts.js';
import { detectPlatform } from '../src/exec/platform.js';
import { acquireRunLock } from '../src/exec/run-lock.js';
import { createRealSystem, execQuiet } from '../src/exec/system.js';
import { socketGroupIncident } from '../src/simulate/incident.js';
import { RECORDING_VERSION, type RecordedIncident, type Recording } from '../src/simulate/recording.js';
import { RecordingSystem } from '../src/simulate/recording-system.js';
import { replayEveryStep } from '../src/simulate/replay-plan.js';
import { createServiceUser, log, PROJECT, refusal, removeAppsAndUser, sh } from './e2e/machine.js';

const USER = 'sammy';
const APP = 'hello';
/** The guide's values, but a user and app of our own (demo / myapp belong to others on the test machines). */
const ANSWERS: Answers = {
  appName: APP,
  user: USER,
  appDir: `/home/${USER}/${APP}`,
  webGroup: 'www-data',
  serverName: 'hello.example.com',
  processes: 5,
  testPort: 8080,
};

async function record(): Promise<number> {
  const reason = refusal();
  if (reason) {
    process.stderr.write(`fixtures:record: refused: ${reason}.\n`);
    return 2;
  }
  if (sh(`getent passwd ${USER}`).code === 0) {
    process.stderr.write(
      `fixtures:record: the account ${USER} exists already; it is not ours to use. Remove it (deluser --remove-home ${USER}) if an earlier recording left it.\n`,
    );
    return 2;
  }
  const lock = acquireRunLock();
  try {
    createServiceUser(USER);
    const account = await lookupAccount(USER);
    const platform = detectPlatform();
    const ctx: PlanContext = {
      answers: ANSWERS,
      platform,
      privilege: { isRoot: true, runningAs: 'root' },
      userGroup: account!.primaryGroup,
    };
    const plan = replayEveryStep(buildPlan(curriculum, ctx));
    const system = new RecordingSystem(
      createRealSystem({ started: (group) => lock.noteCommand(group), ended: () => lock.noteCommand(undefined) }),
      plan,
    );
    const session = new WizardSession(plan, system, {
      auto: false,
      transcript: { write: (text) => process.stdout.write(text.replace(/^(?=.)/gm, 'run│ ')) },
      undoContext: ctx,
    });
    const stack = new StackMonitor(plan, system);
    stack.follow(session);
    stack.subscribe(() => log(`stack│ ${JSON.stringify(stack.getState())}`));

    const incidentPlan = socketGroupIncident(ctx);
    let incident: RecordedIncident | undefined;
    let broken = false;
    let failure: string | undefined;
    const later = (work: () => Promise<void> | void) =>
      setImmediate(
        () =>
          void Promise.resolve(work()).catch((error: Error) => {
            failure = error.message;
            session.dispatch({ type: 'quit' });
          }),
      );

    // Press what a person would press; break the socket before the nginx step, fix it after its check failed.
    const drive = (state: WizardState) => {
      const step = currentStep(state);
      const phase = state.phase;
      if (!step) return;
      if (phase.kind === 'confirm' && step.id === incidentPlan.step && phase.action === 0 && !broken) {
        broken = true;
        return later(async () => {
          system.mark('incident:break');
          const result = await execQuiet(incidentPlan.breakCommand);
          log(`incident│ $ ${incidentPlan.breakCommand} → exit ${result.code} ${result.stdout}${result.stderr}`);
          if (result.code !== 0) throw new Error(`the break command failed: ${result.stderr}`);
          session.dispatch({ type: 'continue', at: Date.now() });
        });
      }
      if (phase.kind === 'confirm' || phase.kind === 'reading')
        return later(() => session.dispatch({ type: 'continue', at: Date.now() }));
      if (phase.kind === 'file-differs') return later(() => session.dispatch({ type: 'replace-file', at: Date.now() }));
      // The test page stays served a moment, as a person would look at it.
      if (phase.kind === 'serving')
        return void setTimeout(() => session.dispatch({ type: 'continue', at: Date.now() }), 1500);
      if (phase.kind === 'check-failed' && step.id === incidentPlan.step && broken && !incident) {
        const failed = state.checkResults.find((r) => r.checkId === incidentPlan.checkId);
        if (!failed || failed.ok) {
          failure = `the broken socket did not fail ${incidentPlan.checkId}: ${JSON.stringify(state.checkResults)}`;
          return later(() => session.dispatch({ type: 'quit' }));
        }
        return later(async () => {
          await stack.settled();
          const errorLog = await execQuiet(
            `tail -n 50 /var/log/nginx/error.log | grep -F ${JSON.stringify(`${ANSWERS.appName}.sock`)} | tail -n 1`,
          );
          system.mark('incident:fix');
          const fixed = await execQuiet(incidentPlan.fixCommand);
          log(`incident│ $ ${incidentPlan.fixCommand} → exit ${fixed.code}`);
          if (fixed.code !== 0) throw new Error(`the fix command failed: ${fixed.stderr}`);
          incident = {
            ...incidentPlan,
            fixOutput: `${fixed.stdout}${fixed.stderr}`,
            // The date and pid of the line are the recording's; only the message matters.
            evidence: errorLog.stdout
              .trim()
              .split('\n')
              .filter(Boolean)
              .map((line) => line.replace(/^\S+ \S+ /, '')),
          };
          session.dispatch({ type: 'retry', at: Date.now() });
        });
      }
      if (phase.kind === 'check-failed' || phase.kind === 'action-failed') {
        const failed = [...state.runResults, ...state.checkResults].filter((r) => !r.ok);
        failure ??= `step ${step.id} failed (${phase.kind}): ${JSON.stringify(failed)}`;
        return later(() => session.dispatch({ type: 'quit' }));
      }
    };
    session.subscribe(drive);
    // The first phase is entered before any event: drive it too.
    setImmediate(() => drive(session.getState()));
    const final = await session.run();
    await stack.settled();
    if (final.phase.kind !== 'finished' || failure || !incident) {
      process.stderr.write(
        `fixtures:record: the run did not complete: ${failure ?? final.phase.kind}${incident ? '' : ' (no incident recorded)'}. Nothing was written.\n`,
      );
      return 1;
    }
    const manager = platform.serviceManager === 'none' ? 'no service manager (a container)' : platform.serviceManager;
    const recording: Recording = {
      version: RECORDING_VERSION,
      recordedAt: new Date().toISOString(),
      machine: `${platform.prettyName} · ${manager} · Python ${platform.pythonVersion}`,
      context: ctx,
      timeline: system.timeline,
      commands: system.commands,
      answers: system.answers,
      incident,
    };
    const dir = join(PROJECT, 'fixtures', 'recordings');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${platform.id}.json`);
    writeFileSync(path, `${JSON.stringify(recording, null, 1)}\n`);
    log(`fixtures:record: wrote ${path} (${system.timeline.length} points, ${system.answers.length} answers)`);
    return 0;
  } finally {
    await removeAppsAndUser(USER, [APP]);
    lock.release();
  }
}

record().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fixtures:record: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(70);
  },
);
