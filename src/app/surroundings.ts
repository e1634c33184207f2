// Everything a use case reaches beyond its own arguments, given to it as one value. The real one is
// made once, in src/commands.ts (the composition root), where the process's globals are read; the
// unit tests give fakes. Nothing here touches the machine: src/exec does, behind it.
import type { AppPlace, DoctorSurvey } from '../engine/doctor/survey.js';
import type { AccountFacts } from '../engine/app-account.js';
import type { System } from '../engine/ports.js';
import type { Progress, ProgressReading } from '../engine/progress.js';
import type { Answers, Lang, Platform } from '../engine/types.js';
import type { Account } from '../exec/accounts.js';
import type { RunLock } from '../exec/run-lock.js';
import type { Askpass, SudoNeed } from '../exec/sudo.js';
import type { CommandWatcher, ExecResult } from '../exec/system.js';
import type { OpenTranscript } from '../exec/transcript.js';

/** Where lines are written: the process's stdout or stderr, or a test's buffer. */
export interface Output {
  write(text: string): unknown;
  /** A terminal: the screen is drawn there, and a password is asked there. */
  readonly isTTY?: boolean;
}

export type Validate = (value: string) => boolean | string | Promise<boolean | string>;

/**
 * inquirer's questions, as the use cases ask them (@inquirer/prompts, bound by the composition
 * root to its `{ input, output }` context). `password` is asked on `output` (the terminal).
 */
export interface Prompts {
  input(config: { message: string; default?: string; validate?: Validate }): Promise<string>;
  /** `lang`: the answer is shown in the person's language once given (inquirer's own is "Yes"/"No"). */
  confirm(config: { message: string; default?: boolean; lang: Lang }): Promise<boolean>;
  password(config: { message: string; maskedText: string }, output: Output): Promise<string>;
}

/** The record of runs (src/exec/progress-store.ts). */
export interface ProgressStore {
  /** Where the last run's record is (progress.json). */
  path(): string;
  read(): Promise<ProgressReading>;
  write(progress: Progress, path?: string): Promise<void>;
  shelvedPath(answers: Answers): string;
  readShelved(answers: Answers): Promise<Progress | undefined>;
  shelvedAnswersOf(appName: string, user?: string, appDir?: string): Promise<Answers | undefined>;
  bringRecordForward(current: Progress | undefined, answers: Answers): Promise<void>;
  /** Move an ignored progress.json aside; where it went (undefined: there was none). */
  setAside(): string | undefined;
  /** The directory of the records and logs. */
  dir(): string;
}

/** Sudo for a run by another account than root (src/exec/sudo.ts). */
export interface Sudo {
  need(): Promise<SudoNeed>;
  /** The askpass helper; `use` makes every command started from now on find it. */
  askpass(sudoPath: string): Promise<Askpass & { use(): void }>;
}

/** What of the machine the use cases read or change, all of it through src/exec. */
export interface Machine {
  /** Commands, files and probes. */
  system: System;
  /** The same, telling `watcher` of each command's process group (the run lock records it). */
  watchedSystem(watcher: CommandWatcher): System;
  store: ProgressStore;
  detectPlatform(): Platform;
  lookupAccount(name: string): Promise<Account | undefined>;
  accountFacts(): Promise<AccountFacts>;
  createAccount(name: string): Promise<ExecResult>;
  groupExists(name: string): Promise<boolean>;
  defaultServerName(): string;
  /** The person who ran the wizard (the account behind sudo), and the machine's name. */
  invokingUser(): string;
  hostname(): string;
  /** An answers file's text; throws (with the system's reason) when it cannot be read. */
  readAnswersFile(path: string): string;
  /** Write the report's files into `dir` (made if missing). */
  writeReport(dir: string, files: Record<string, string>): void;
  /** Write an export's files into `dir` (made if missing); throws ExportFilesError. Returns their paths. */
  writeExport(dir: string, files: Record<string, { text: string; mode: number }>, force: boolean): string[];
  /** The pids of the processes whose command line begins so, and a wait for them to end. */
  processesNamed(prefix: string): Promise<number[]>;
  processesEnded(pids: number[], timeoutMs: number): Promise<boolean>;
  /** This account's run lock; throws WizardBusyError, PackageManagerBusyError or RunLockError. */
  acquireRunLock(onOrphanStopped: (group: number) => void): RunLock;
  /** Root's run lock, held through sudo for a run of another account. */
  holdMachineLock(onOrphanStopped: (group: number) => void): Promise<unknown>;
  sudo: Sudo;
  openTranscript(): OpenTranscript;
  /** Keep the story of a bug (its stack) in a log of its own; where it is (undefined: it could not be written). */
  keepBugReport(text: string): string | undefined;
  /**
   * What the doctor reads of the machine for this app (src/exec/doctor-survey.ts); absent where
   * there is no machine to read (a simulation, a test without one).
   */
  surveyForDoctor?(place: AppPlace, privilege: SurveyPrivilege): Promise<DoctorSurvey>;
  /** Whether ufw is installed, and active (asked as root); absent where there is no machine to ask. */
  firewallState?(): Promise<'absent' | 'inactive' | 'active'>;
}

/** How the doctor's survey runs a command as root or as the app's account (sudo / runuser, as the wizard does). */
export interface SurveyPrivilege {
  asRoot(line: string): string;
  asUser(line: string): string;
}

/** The process a use case runs in. */
export interface Surroundings {
  machine: Machine;
  prompts: Prompts;
  stdout: Output;
  stderr: Output;
  /** Whether a person can answer: stdin is a terminal. */
  stdinIsTTY: boolean;
  /**
   * ACME_CA_BUNDLE: the CA that signed a private ACME server's certificate, handed on to certbot alone as its
   * REQUESTS_CA_BUNDLE. Not that name itself: every command would inherit it, pip's downloads among them.
   */
  acmeCaBundle?: string;
  /** LC_ALL, LC_MESSAGES or LANG, the first set: the language when --lang is not given. */
  locale: string;
  /** The command line as typed (its --lang is read when the flags could not be). */
  argv: readonly string[];
  /** Who runs the wizard. */
  privilege: { isRoot: boolean; runningAs: string };
  /** The effective uid (named beside a run lock's foreign owner). */
  uid: number;
  cwd: string;
  now(): Date;
  /** Run `release` when the process exits, however. */
  onExit(release: () => void): void;
  /** Run `stop` on SIGTERM and SIGHUP (and SIGINT too when `alsoInterrupt`: without a screen). */
  onStopSignal(stop: () => void, alsoInterrupt: boolean): void;
  /** ink, loaded for a terminal (only then: --help, status and plain runs never pay for it). */
  loadInk(): Promise<typeof import('ink')>;
}
