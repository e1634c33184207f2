// The composition root: where the process's globals the use cases need are read (environment,
// argv, streams, uid, signals, cwd, clock; src/exec reads its own), and where the real machine
// (src/exec) is wired into the use cases (src/app/), each taking it all as one `Surroundings`. Loaded
// by the entry point (src/cli.tsx) only once the flags are read, so that --help and --version never
// pay for the curriculum, the engine and the probes.
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { commandLineRefused, type RefusedIn, readCommandLineMistake } from './app/command-line.js';
import type { Flags } from './app/common.js';
import { explainFailure as explain } from './app/failure.js';
import { runDoctor as doctor } from './app/doctor.js';
import { runGlossary as glossary } from './app/glossary.js';
import { runReport as report } from './app/report.js';
import { runStatus as status } from './app/status.js';
import type { Output, Surroundings } from './app/surroundings.js';
import { runUndo as undo } from './app/undo.js';
import { runDeploy as deploy } from './app/deploy.js';
import { UserError } from './app/user-error.js';
import { runWizard as wizard } from './app/wizard.js';
import {
  accountFacts,
  createAccount,
  defaultServerName,
  groupExists,
  invokingUser,
  lookupAccount,
} from './exec/accounts.js';
import { detectPlatform } from './exec/platform.js';
import {
  bringRecordForward,
  progressPath,
  readProgress,
  readShelved,
  setAsideProgress,
  shelvedAnswersOf,
  shelvedPath,
  writeProgress,
} from './exec/progress-store.js';
import { acquireRunLock, HOLD_RUN_LOCK_FLAG, holdMachineLock } from './exec/run-lock.js';
import { createRealSystem, processesEnded, processesNamed, realSystem } from './exec/system.js';
import { keepBugReport, openTranscript, transcriptDir } from './exec/transcript.js';
import { writeReportFiles } from './exec/report-files.js';
import { writeExportFiles } from './exec/export-files.js';
import { LABELS } from './ui/labels.js';
import { runExport as exportPlan } from './app/export.js';

export { EXIT, type Flags } from './app/common.js';
export { exitCodeOf } from './app/present.js';

/** The questions, loaded only when one is asked (inquirer reads stdin: always before ink mounts). */
const prompts: Surroundings['prompts'] = {
  input: async (config) => (await import('@inquirer/prompts')).input(config, promptContext()),
  confirm: async ({ lang, ...config }) => {
    const { yes, no } = LABELS[lang].answered;
    const transformer = (value: boolean) => (value ? yes : no);
    return (await import('@inquirer/prompts')).confirm({ ...config, transformer }, promptContext());
  },
  // As sudo does: nothing of what is typed is shown, not even its length, and it cannot be revealed
  // (inquirer's ctrl+t would show it, and its hint is in English).
  password: async ({ message, maskedText }, output) =>
    (await import('@inquirer/prompts')).password(
      { message, toggleMask: false, theme: { style: { maskedText } } },
      { input: process.stdin, output: output as NodeJS.WritableStream },
    ),
};

function promptContext() {
  return { input: process.stdin, output: process.stdout };
}

/**
 * ink draws only the final frame when it believes it runs in CI (the CI variable). The wizard
 * loads ink only for a real terminal, where a person must see every frame, CI set or not.
 */
async function loadInk(): Promise<typeof import('ink')> {
  // ink decides once, when it is loaded; the commands run after it keep the environment they had.
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  try {
    return await import('ink');
  } finally {
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
  }
}

/** This process, and this machine through src/exec. */
function surroundings(): Surroundings {
  const env = process.env;
  return {
    machine: {
      system: realSystem,
      watchedSystem: createRealSystem,
      store: {
        path: () => progressPath(),
        read: () => readProgress(),
        write: (progress, path) => writeProgress(progress, path),
        shelvedPath: (answers) => shelvedPath(answers),
        readShelved: (answers) => readShelved(answers),
        shelvedAnswersOf: (appName, user, appDir) => shelvedAnswersOf(appName, user, undefined, appDir),
        bringRecordForward: (current, answers) => bringRecordForward(current, answers),
        setAside: () => setAsideProgress(),
        dir: transcriptDir,
      },
      detectPlatform,
      lookupAccount,
      accountFacts,
      createAccount,
      groupExists,
      defaultServerName,
      invokingUser,
      hostname,
      readAnswersFile: (path) => readFileSync(path, 'utf8'),
      writeReport: writeReportFiles,
      writeExport: writeExportFiles,
      processesNamed,
      processesEnded,
      acquireRunLock: (onOrphanStopped) => acquireRunLock(undefined, onOrphanStopped),
      holdMachineLock: async (onOrphanStopped) => {
        const { selfCommand } = await import('./exec/self.js');
        // Our sudo first on PATH (obtainSudo put it there when a password is needed) runs it with -A.
        return holdMachineLock(['sudo', ...selfCommand(), HOLD_RUN_LOCK_FLAG], onOrphanStopped);
      },
      sudo: {
        need: async () => (await import('./exec/sudo.js')).sudoNeed(),
        askpass: async (sudoPath) => {
          const [{ startAskpass }, { selfCommand }] = await Promise.all([
            import('./exec/sudo.js'),
            import('./exec/self.js'),
          ]);
          const askpass = await startAskpass(sudoPath, selfCommand());
          return {
            env: askpass.env,
            check: (password) => askpass.check(password),
            close: () => askpass.close(),
            use: () => void Object.assign(process.env, askpass.env),
          };
        },
      },
      openTranscript: () => openTranscript(),
      keepBugReport,
      surveyForDoctor: async (place, privilege) =>
        (await import('./exec/doctor-survey.js')).surveyForDoctor(place, privilege),
      firewallState: async () => (await import('./exec/firewall.js')).firewallState(process.getuid?.() === 0),
    },
    // Absolute: certbot.service, scheduled by systemd, is told the same path (issue 18).
    acmeCaBundle: env.ACME_CA_BUNDLE ? resolve(env.ACME_CA_BUNDLE) : undefined,
    prompts,
    stdout: process.stdout as Output,
    stderr: process.stderr as Output,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    locale: env.LC_ALL || env.LC_MESSAGES || env.LANG || '',
    argv: process.argv,
    privilege: { isRoot: process.getuid?.() === 0, runningAs: userInfo().username },
    uid: process.geteuid?.() ?? 0,
    cwd: process.cwd(),
    now: () => new Date(),
    onExit: (release) => void process.on('exit', release),
    onStopSignal: (stop, alsoInterrupt) => {
      process.on('SIGTERM', stop);
      process.on('SIGHUP', stop);
      if (alsoInterrupt) process.on('SIGINT', stop);
    },
    loadInk,
  };
}

export const runWizard = (flags: Flags) => wizard(surroundings(), flags);
export const runStatus = (flags: Flags) => status(surroundings(), flags);
export const runUndo = (flags: Flags) => undo(surroundings(), flags);
export const runDeploy = (flags: Flags) => deploy(surroundings(), flags);
export const runReport = (flags: Flags) => report(surroundings(), flags);
export const runExport = (flags: Flags) => exportPlan(surroundings(), flags);
export const runDoctor = (flags: Flags) => doctor(surroundings(), flags);
export const runGlossary = (word: string | undefined, flags: Flags) => glossary(surroundings(), word, flags);
/** What a person can fix is told with what to try, and given its exit code; anything else is our bug. */
export const explainFailure = (error: unknown, argv: string[]) => explain({ ...surroundings(), argv }, error);
/** A thrown error outside any command (the askpass helper, the lock holder): our bug. */
export const reportBug = (error: unknown) => explain(surroundings(), error);
/** A wizard-only switch typed before a subcommand (`--dry-run undo`): refused, exit 2. */
export const refuseMisplaced = (flags: string, many: boolean, command: string) =>
  explain(
    surroundings(),
    UserError.of((l) => l.cli.misplaced({ flags, many, command })),
  );
/** A command line commander refused (an unknown option, a missing or wrong value): in the person's words, exit 2. */
export const refuseCommandLine = (code: string, message: string, where: RefusedIn, argv: string[]) =>
  explain({ ...surroundings(), argv }, commandLineRefused(readCommandLineMistake(code, message, where), where.command));
