// What each command does: the wizard, status, undo, glossary, report. Loaded by the entry point
// (src/cli.tsx) only once the flags are read, so that --help and --version never pay for the
// curriculum, the engine and the probes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { curriculum } from '../steps/index.js';
import { glossary } from '../steps/glossary.js';
import { quizzes } from '../steps/quizzes.js';
import {
  ANSWER_KEYS,
  answerProblem,
  defaultsFromRecord,
  localizeReason,
  answersFromFile,
  FLAG_NAMES,
  GUIDE_DEFAULTS,
  InvalidAnswerError,
  validateAnswer,
  type AnswerKey,
} from './engine/answers.js';
import { trackActivity, type StepVisit } from './engine/activity.js';
import {
  createAccountCommand,
  decideAppAccount,
  GUIDE_ACCOUNT,
  NEW_ACCOUNT_NAME,
  suggestAppAccount,
  type AccountDecision,
  type AccountUse,
} from './engine/app-account.js';
import { withPrivilege } from './engine/commands.js';
import { describeEntry, planUndo, type JournalEntry } from './engine/journal.js';
import { buildPlan, formatPlan, say } from './engine/plan.js';
import {
  emptyProgress,
  firstStepToDo,
  isComplete,
  reconcile,
  recordRun,
  sameInstallation,
  type Progress,
  type ProgressReading,
  type StepOverview,
} from './engine/progress.js';
import { formatGlossary, lookUp } from './engine/glossary.js';
import { askQuizzes, quizAnswersOf, quizScore, recordQuizAnswers } from './engine/quiz.js';
import { buildReport, quizText, reportMarkdown, reportWords, summaryLine } from './engine/report.js';
import { WizardSession } from './engine/session.js';
import { StackMonitor } from './engine/stack.js';
import type { System } from './engine/ports.js';
import { surveyMachine } from './engine/survey.js';
import { allPlatforms, describePlatform, platformByName } from './engine/platforms.js';
import type { Answers, Lang, Plan, PlanContext, PlannedStep, Platform, StepId } from './engine/types.js';
import type { ResumePoint, StepStatus, WizardEvent, WizardState } from './engine/wizard.js';
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
import { acquireRunLock, HOLD_RUN_LOCK_FLAG, holdMachineLock, RunLockError, WizardBusyError } from './exec/run-lock.js';
import { createRealSystem, processesEnded, processesNamed, realSystem } from './exec/system.js';
import { openTranscript, transcriptDir } from './exec/transcript.js';
import { LABELS } from './ui/labels.js';
import { lineSplitter, plainPrinter, rollbackLines } from './ui/plain.js';
import { orphanStoppedMessage, runLockMessage } from './ui/run-lock-text.js';
import { formatStackLine } from './ui/stack-line.js';
import {
  incidentPrinter,
  SIMULATION_MARK,
  simulationBanner,
  simulationWords,
  type SimulationInfo,
} from './ui/simulation-text.js';
import { RecordingError } from './simulate/recording.js';

/**
 * 1 a step failed (or, for status, not every step is done); 2 input (or an unsafe run lock) refused, nothing ran;
 * 75 another wizard runs; 130 stopped.
 */
export const EXIT = { ok: 0, stepFailed: 1, badInput: 2, busy: 75, interrupted: 130 } as const;

export interface Flags {
  appName?: string;
  user?: string;
  appDir?: string;
  webGroup?: string;
  serverName?: string;
  processes?: string;
  testPort?: string;
  answers?: string;
  lang?: Lang;
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
  platform?: string;
  listPlatforms?: boolean;
  /** false with --no-quiz. */
  quiz?: boolean;
  simulate?: boolean;
  handsOn?: boolean;
  out?: string;
  /** --allow-root: the app's account may be root unattended (--yes). */
  allowRoot?: boolean;
}

/** Input refused with a message that already says, in the person's language, what to try: exit 2. */
class Refusal extends Error {}

/** The --lang of a command line that failed before its flags could be read as a whole. */
function langInArgv(argv: string[]): Lang | undefined {
  const at = argv.findIndex((arg) => arg === '--lang' || arg.startsWith('--lang='));
  const value = at === -1 ? undefined : argv[at]!.includes('=') ? argv[at]!.split('=')[1] : argv[at + 1];
  return value === 'ja' || value === 'en' ? value : undefined;
}

function pickLang(flag: Lang | undefined): Lang {
  if (flag) return flag;
  const locale = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '';
  return locale.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

/** The answers given up front: the answers file first, flags over it. Every value is validated. */
async function givenAnswers(flags: Flags): Promise<Partial<Answers>> {
  const given: Partial<Answers> = {};
  if (flags.answers) {
    // yaml is loaded only for an answers file: every other start is faster without it.
    const { parse: parseYaml } = await import('yaml');
    let data: unknown;
    try {
      data = parseYaml(readFileSync(flags.answers, 'utf8')); // JSON is YAML too.
    } catch (error) {
      throw new InvalidAnswerError(
        'answers',
        `${flags.answers}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
    }
    Object.assign(given, answersFromFile(data, flags.answers));
  }
  for (const key of ANSWER_KEYS) {
    const value = flags[key];
    if (value !== undefined) (given as Record<string, unknown>)[key] = validateAnswer(key, value);
  }
  return given;
}

/**
 * Fill in what was not given: ask (a person at a terminal) or take the default (--yes, status, no
 * terminal). Defaults are the last run's answers for the same app, else the guide's values.
 * Accounts must exist; the app's is never root by default (appAccount), and is created only when
 * the machine has nobody else and the person confirms it at the question.
 */
async function completeAnswers(
  given: Partial<Answers>,
  last: Answers | undefined,
  interactive: boolean,
  lang: Lang,
  how: AnswersFor,
) {
  // inquirer is loaded only when a question is asked; it reads stdin, so it is done before ink mounts.
  const ask = interactive ? await import('@inquirer/prompts') : undefined;
  const questions = LABELS[lang].questions;
  const value = async (
    key: AnswerKey,
    suggestion: string,
    exists?: (v: string) => Promise<string | undefined>,
  ): Promise<string> => {
    if (given[key] !== undefined) return String(given[key]);
    if (!ask) return suggestion;
    // A name that is well formed but names nothing on this machine is asked again, like a malformed one.
    const validate = async (v: string) => {
      const problem = answerProblem(key, v, lang);
      return problem !== true ? problem : ((await exists?.(v.trim())) ?? true);
    };
    return ask.input({ message: questions[key], default: suggestion, validate });
  };

  const appName = validateAnswer(
    'appName',
    await value('appName', defaultsFromRecord(last, {}).appName ?? GUIDE_DEFAULTS.appName),
  );
  // An app that is not the last one may have its record on the shelf: its answers are the defaults.
  const recorded = last?.appName === appName ? last : await shelvedAnswersOf(appName, given.user);
  const noAccount = (name: string) => LABELS[lang].noAccount.replaceAll('{user}', name);
  const recordedUser = defaultsFromRecord(recorded, { appName }).user;
  const user = validateAnswer('user', await appAccount(given.user, recordedUser, ask, lang, how));
  const account = await lookupAccount(user);
  if (!account) throw new InvalidAnswerError(FLAG_NAMES.user, noAccount(user));
  const previous = defaultsFromRecord(recorded, { appName, user });
  const appDir = validateAnswer('appDir', await value('appDir', previous?.appDir ?? `${account.home}/${appName}`));
  const noGroup = (name: string) => LABELS[lang].noGroup.replaceAll('{group}', name);
  const webGroup = validateAnswer(
    'webGroup',
    await value('webGroup', previous?.webGroup ?? GUIDE_DEFAULTS.webGroup, async (v) =>
      (await groupExists(v)) ? undefined : noGroup(v),
    ),
  );
  if (!(await groupExists(webGroup))) throw new InvalidAnswerError(FLAG_NAMES.webGroup, noGroup(webGroup));
  const serverName = validateAnswer(
    'serverName',
    await value('serverName', previous?.serverName ?? defaultServerName()),
  );
  const processes = validateAnswer(
    'processes',
    await value('processes', String(previous?.processes ?? GUIDE_DEFAULTS.processes)),
  );
  const testPort = validateAnswer(
    'testPort',
    await value('testPort', String(previous?.testPort ?? GUIDE_DEFAULTS.testPort)),
  );
  return {
    answers: { appName, user, appDir, webGroup, serverName, processes, testPort },
    userGroup: account.primaryGroup,
  };
}

/** What the answers are for; `allowRoot`: --allow-root. */
interface AnswersFor {
  use: AccountUse;
  allowRoot: boolean;
}

type Prompts = typeof import('@inquirer/prompts');

/**
 * The app's account (issue 21): root is never offered, and taken only knowingly: confirmed at
 * the question after a warning, or --allow-root unattended. engine/app-account.ts decides what is
 * offered, taken or refused; here it is looked up, asked and said.
 */
async function appAccount(
  given: string | undefined,
  recorded: string | undefined,
  ask: Prompts | undefined,
  lang: Lang,
  how: AnswersFor,
): Promise<string> {
  const words = LABELS[lang].appAccount;
  const facts = await accountFacts();
  const root = given !== undefined && (given === 'root' || (await lookupAccount(given))?.uid === 0);
  const decision = decideAppAccount({
    ...how,
    interactive: ask !== undefined,
    given: given === undefined ? undefined : { name: given, root },
    suggestion: suggestAppAccount(facts, recorded),
    recorded,
  });
  if (decision.kind === 'refuse') {
    const refused = decision.reason === 'root-not-allowed' ? words.rootNotAllowed : words.noNormalAccount;
    throw new Refusal(refused.replaceAll('{user}', given ?? 'root'));
  }
  if (decision.kind === 'ask') return askAppAccount(ask!, decision, lang);
  // Not asked (--dry-run, --allow-root): said on stderr, where it is seen beside a plan piped to a file.
  if (decision.warn) {
    process.stderr.write(`${words.rootWarning}\n${how.use === 'plan' ? `${words.planningRoot}\n` : ''}`);
  }
  return decision.name;
}

/** At the question: root only after its warning and a confirmation (No, the default, asks again). */
async function askAppAccount(
  ask: Prompts,
  decision: Extract<AccountDecision, { kind: 'ask' }>,
  lang: Lang,
): Promise<string> {
  const l = LABELS[lang];
  const words = l.appAccount;
  const rootConfirmed = async () => {
    process.stdout.write(`${words.rootWarning}\n`);
    return ask.confirm({ message: words.confirmRoot, default: false });
  };
  if (decision.confirmGiven !== undefined && (await rootConfirmed())) return decision.confirmGiven;
  // A name that is well formed but names nothing on this machine is asked again, like a malformed one.
  const validate = async (v: string) => {
    const problem = answerProblem('user', v, lang);
    if (problem !== true) return problem;
    return (await lookupAccount(v.trim())) ? true : l.noAccount.replaceAll('{user}', v.trim());
  };
  let offerCreate = decision.offerCreate;
  for (;;) {
    let name: string | undefined;
    if (offerCreate) {
      offerCreate = false;
      name = await offerNewAccount(ask, lang);
      if (name === undefined) continue;
    } else {
      name = (await ask.input({ message: l.questions.user, default: decision.suggestion, validate })).trim();
    }
    const account = await lookupAccount(name);
    if (account && (account.uid !== 0 || (await rootConfirmed()))) return name;
  }
}

/**
 * Nobody but root to offer: create the guide's account, with the command shown as it runs and
 * run only when confirmed. Resolves with the account, or undefined (declined, or adduser failed:
 * then the question is asked, without a default).
 */
async function offerNewAccount(ask: Prompts, lang: Lang): Promise<string | undefined> {
  const words = LABELS[lang].appAccount;
  const say = (text: string) => void process.stdout.write(`${text}\n`);
  say(words.noneIntro);
  const validate = (v: string) => NEW_ACCOUNT_NAME.test(v.trim()) || words.newName;
  const name = (await ask.input({ message: words.createName, default: GUIDE_ACCOUNT, validate })).trim();
  // Made meanwhile (in another terminal): nothing to create.
  if (await lookupAccount(name)) return name;
  say(`${words.willRun}\n  $ ${createAccountCommand(name)}`);
  if (!(await ask.confirm({ message: words.createConfirm, default: true }))) return undefined;
  const result = await createAccount(name);
  const output = `${result.stdout}${result.stderr}`.trim();
  if (output)
    say(
      output
        .split('\n')
        .map((line) => `  | ${line}`)
        .join('\n'),
    );
  if (result.code === 0 && (await lookupAccount(name))) return name;
  say(words.createFailed.replace('{code}', String(result.code)));
  return undefined;
}

interface Prepared {
  ctx: PlanContext;
  plan: Plan;
  lang: Lang;
  reading: ProgressReading;
  /** The record of earlier runs, when it is for this same installation. */
  record: Progress | undefined;
  /** Where that record is: progress.json, or the shelf when the last run was for another app. */
  recordPath: string;
}

/** Everything a command needs before it acts: answers, machine, plan, the record of earlier runs. */
async function prepare(flags: Flags, interactive: boolean, use: AccountUse): Promise<Prepared> {
  const lang = pickLang(flags.lang);
  const platform = flags.platform === undefined ? detectPlatform() : namedPlatform(flags.platform);
  const given = await givenAnswers(flags);
  const reading = await readProgress();
  const recorded = reading.kind === 'ok' ? reading.progress.answers : undefined;
  const how = { use, allowRoot: Boolean(flags.allowRoot) };
  const { answers, userGroup } = await completeAnswers(given, recorded, interactive, lang, how);
  // Unasked, the app comes from the record: say so, lest someone plan or undo another app unknowingly.
  if (!interactive && given.appName === undefined && recorded?.appName === answers.appName) {
    process.stderr.write(`${LABELS[lang].answersFromRecord.replaceAll('{app}', answers.appName)}\n`);
  }
  const isRoot = process.getuid?.() === 0;
  const ctx: PlanContext = { answers, platform, privilege: { isRoot, runningAs: userInfo().username }, userGroup };
  const current =
    reading.kind === 'ok' && sameInstallation(reading.progress.answers, answers) ? reading.progress : undefined;
  const shelved = current ? undefined : await readShelved(answers);
  const recordPath = shelved ? shelvedPath(answers) : progressPath();
  return { ctx, plan: buildPlan(curriculum, ctx), lang, reading, record: current ?? shelved, recordPath };
}

function namedPlatform(name: string): Platform {
  const platform = platformByName(name);
  if (!platform)
    throw new InvalidAnswerError('platform', `there is no platform "${name}"; --list-platforms names them`);
  return platform;
}

function reportIgnoredProgress(reading: ProgressReading, lang: Lang): void {
  if (reading.kind !== 'ignored') return;
  process.stderr.write(
    `${LABELS[lang].progressIgnored.replace('{path}', progressPath()).replace('{reason}', reading.reason)}\n`,
  );
}

/**
 * Not root: make sure the commands' sudo will work before anything runs, and ask for the password
 * now, once, in the plain terminal, never inside the screen (exec/sudo.ts says why and how it then
 * reaches the commands). An account that may sudo without a password is asked nothing.
 */
async function obtainSudo(lang: Lang): Promise<boolean> {
  const { sudoNeed, startAskpass } = await import('./exec/sudo.js');
  const { selfCommand } = await import('./exec/self.js');
  const words = LABELS[lang].sudo;
  const user = userInfo().username;
  const refuse = (message: string) => {
    process.stderr.write(`uwsgi-nginx-guide: ${message.replaceAll('{user}', user)}\n`);
    return false;
  };
  const need = await sudoNeed();
  if (need.kind === 'no-sudo') return refuse(words.noSudo);
  if (need.kind === 'refused') return refuse(words.notAllowed.replace('{output}', need.output.trim()));
  if (need.kind === 'no-password') return true;
  if (!process.stdin.isTTY) return refuse(words.noTerminal);
  const askpass = await startAskpass(need.sudoPath, selfCommand());
  process.on('exit', askpass.close);
  const { password } = await import('@inquirer/prompts');
  // The prompt goes where the person looks: the terminal, also when stdout is piped to a file.
  const output = process.stdout.isTTY ? process.stdout : process.stderr;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    // As sudo does: nothing of what is typed is shown, not even its length, and it cannot be revealed
    // (inquirer's ctrl+t would show it, and its hint is in English).
    const typed = await password(
      {
        message: words.password.replaceAll('{user}', user),
        toggleMask: false,
        theme: { style: { maskedText: words.hidden } },
      },
      { output },
    );
    const { result, output: said } = await askpass.check(typed);
    if (result === 'accepted') {
      // From now on every command this process starts finds our sudo first on its PATH.
      Object.assign(process.env, askpass.env);
      return true;
    }
    if (result === 'refused') {
      askpass.close();
      return refuse(words.notAllowed.replace('{output}', said.trim()));
    }
    if (attempt < 2) output.write(`${words.wrong}\n`);
  }
  askpass.close();
  return refuse(words.gaveUp);
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

/** What is known of the steps before the one a resumed run begins with; a done step chosen is redone. */
function resumePoint(overview: StepOverview[], startAt: number): ResumePoint {
  const statuses: Partial<Record<StepId, StepStatus>> = {};
  overview.slice(0, startAt).forEach((step) => {
    statuses[step.id] = step.state === 'done' ? 'already-done' : step.state === 'skipped' ? 'skipped' : 'todo';
  });
  return { startAt, statuses, redo: overview[startAt]?.state === 'done' };
}

async function chooseWhereToContinue(
  plan: Plan,
  overview: StepOverview[],
  proposed: number,
  lang: Lang,
  firstVisit: boolean,
): Promise<number | undefined> {
  const [{ render }, { createElement }, { ResumeScreen }] = await Promise.all([
    loadInk(),
    import('react'),
    import('./ui/Resume.js'),
  ]);
  return new Promise((resolve) => {
    const screen = render(
      createElement(ResumeScreen, {
        plan,
        overview,
        proposed,
        lang,
        firstVisit,
        onChoose: (index: number | undefined) => {
          // The list has served its purpose: it must not stay above the steps with its stale keys.
          screen.clear();
          screen.unmount();
          resolve(index);
        },
      }),
      { exitOnCtrlC: false },
    );
  });
}

/** Record each step's outcome and each change to the machine as it happens, one atomic write at a time, in order. */
function progressRecorder(start: Progress) {
  let progress = start;
  // The step being timed for the teacher's report (engine/activity.ts).
  let visit: StepVisit | undefined;
  let writing = Promise.resolve();
  const save = (next: Progress) => {
    if (next === progress) return;
    progress = next;
    writing = writing
      .then(() => writeProgress(next))
      .catch((error: Error) => void process.stderr.write(`progress not saved: ${error.message}\n`));
  };
  return {
    listener: (state: WizardState, event?: WizardEvent) => {
      // Output changes nothing the record keeps; pip alone sends thousands of chunks.
      if (event?.type === 'output') return;
      const tracked = trackActivity(recordRun(progress, state, new Date().toISOString()), visit, state, Date.now());
      visit = tracked.visit;
      save(tracked.progress);
    },
    journal: (entries: JournalEntry[]) => save({ ...progress, journal: entries, updatedAt: new Date().toISOString() }),
    flushed: () => writing,
    current: () => progress,
  };
}

function orphanStopped(lang: Lang): (group: number) => void {
  return (group) => void process.stderr.write(`${orphanStoppedMessage(group, lang)}\n`);
}

/**
 * A run by another account than root changes the machine as root too: it also takes root's lock,
 * the machine's, held through sudo by this same program as root (src/exec/run-lock.ts), once sudo
 * works and before anything is changed. Busy or refused: thrown, for explainFailure.
 */
async function takeMachineLock(lang: Lang): Promise<void> {
  const { selfCommand } = await import('./exec/self.js');
  // Our sudo first on PATH (obtainSudo put it there when a password is needed) runs it with -A.
  await holdMachineLock(['sudo', ...selfCommand(), HOLD_RUN_LOCK_FLAG], orphanStopped(lang));
}

/** --yes, and --user (or the answers file) names root, without --allow-root: refused. */
async function refuseRootUnasked(flags: Flags): Promise<void> {
  const { user } = await givenAnswers(flags);
  if (user === undefined || (user !== 'root' && (await lookupAccount(user))?.uid !== 0)) return;
  throw new Refusal(LABELS[pickLang(flags.lang)].appAccount.rootNotAllowed.replaceAll('{user}', user));
}

export async function runWizard(flags: Flags): Promise<number> {
  if (flags.listPlatforms) {
    process.stdout.write(`${allPlatforms().map(describePlatform).join('\n')}\n`);
    return EXIT.ok;
  }
  const interactiveTerminal = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const auto = Boolean(flags.yes);
  if (flags.handsOn && (auto || flags.simulate)) {
    // Hands-on watches the machine for what the student did: unattended there is nobody to do it,
    // and a simulation changes nothing there is to see.
    process.stderr.write(
      `uwsgi-nginx-guide: --hands-on and ${auto ? '--yes' : '--simulate'} do not go together: in hands-on mode you type each step yourself on this machine while the wizard watches. Nothing was changed.\nTry: --hands-on alone, in a terminal, with a second terminal (or tmux pane) to type in.\n`,
    );
    return EXIT.badInput;
  }
  if (!flags.dryRun && !auto && !interactiveTerminal) {
    process.stderr.write(
      'uwsgi-nginx-guide: there is no terminal to confirm each command in. Nothing was changed.\nTry: run it in a terminal, or add --yes to run every step unattended (--dry-run shows them first).\n',
    );
    return EXIT.badInput;
  }
  if (flags.simulate) return runSimulation(flags, auto);
  // Root unattended needs --allow-root: refused first, before the run lock and the machine's state.
  if (auto && !flags.dryRun && !flags.allowRoot) await refuseRootUnasked(flags);
  // Taken before the questions: a person must not answer them all only to hear that another
  // wizard is running.
  const lock = flags.dryRun ? undefined : acquireRunLock(undefined, orphanStopped(pickLang(flags.lang)));
  if (lock) process.on('exit', lock.release);
  const interactive = interactiveTerminal && !auto && !flags.dryRun;
  const { ctx, plan, lang, reading, record } = await prepare(flags, interactive, flags.dryRun ? 'plan' : 'run');
  if (!lock) {
    process.stdout.write(formatPlan(plan, lang));
    return EXIT.ok;
  }
  // --platform is for planning another machine: running that plan here is allowed, but said.
  const here = flags.platform === undefined ? ctx.platform : detectPlatform();
  if (here.id !== ctx.platform.id)
    process.stderr.write(
      `uwsgi-nginx-guide: running the plan for ${ctx.platform.id} (--platform) on a machine detected as ${here.id}.\n`,
    );
  if (!ctx.privilege.isRoot && !(await obtainSudo(lang))) return EXIT.badInput;
  if (!ctx.privilege.isRoot) await takeMachineLock(lang);
  const system = createRealSystem({
    started: (group) => lock.noteCommand(group),
    ended: () => lock.noteCommand(undefined),
  });

  reportIgnoredProgress(reading, lang);
  if (reading.kind === 'ignored') {
    const aside = setAsideProgress();
    if (aside) process.stderr.write(`${LABELS[lang].progressSetAside.replace('{aside}', aside)}\n`);
  }
  await bringRecordForward(reading.kind === 'ok' ? reading.progress : undefined, ctx.answers);
  const overview = reconcile(plan, record, await surveyMachine(plan, system));
  let startAt = firstStepToDo(overview);
  const returning = overview.some((step) => step.state !== 'todo');
  if (returning && !auto) {
    const chosen = await chooseWhereToContinue(plan, overview, startAt, lang, record === undefined);
    if (chosen === undefined) {
      process.stderr.write(`${LABELS[lang].stoppedBeforeAnyStep}\n`);
      return EXIT.interrupted;
    }
    startAt = chosen;
  }

  const transcript = openTranscript();
  const recorder = progressRecorder(record ?? emptyProgress(ctx.answers, new Date().toISOString()));
  const session = new WizardSession(plan, system, {
    auto,
    transcript,
    resume: resumePoint(overview, startAt),
    journal: (record?.journal ?? []) as JournalEntry[],
    onJournal: recorder.journal,
    planRollback: (entries) => planUndo(ctx, entries),
    quiz: askQuizzes({ noQuiz: flags.quiz === false, auto, screen: Boolean(process.stdout.isTTY) })
      ? { questions: quizzes, answered: quizAnswersOf(record) }
      : undefined,
    handsOn: Boolean(flags.handsOn),
  });
  session.subscribe(recorder.listener);
  // The first step is timed from now, before its first event.
  recorder.listener(session.getState());
  const final = await presentRun(session, system, lang, auto);
  recorder.listener(final);
  await Promise.all([recorder.flushed(), transcript.close()]);
  // The screen is gone when a rollback ends a quit: say what was taken back, and what could not be.
  const notTakenBack = session.notRolledBack();
  const rollbacks = rollbackLines(session.rolledBack(), notTakenBack, lang);
  printSummary(final, lang, [...rollbacks, `log: ${transcript.path}`], overview);
  if (Object.keys(final.quizAnswers).length > 0) process.stdout.write(`${scoreLine(recorder.current(), lang)}\n`);
  return exitCodeOf(final, notTakenBack);
}

/**
 * Run the session on the screen (a terminal) or as plain lines, with the stack line (asked of
 * `system` at the start and after each step); resolves with the final state.
 */
async function presentRun(
  session: WizardSession,
  system: System,
  lang: Lang,
  auto: boolean,
  simulation?: SimulationInfo,
): Promise<WizardState> {
  const stop = () => session.interrupt();
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
  const stack = new StackMonitor(session.getState().plan, system);
  stack.follow(session);
  if (process.stdout.isTTY) {
    // ink and React are loaded only now: --help, --dry-run, status and bad input never pay for them.
    const [{ render }, { createElement }, { App }] = await Promise.all([
      loadInk(),
      import('react'),
      import('./ui/App.js'),
    ]);
    const screen = render(createElement(App, { session, lang, auto, stack, simulation }), { exitOnCtrlC: false });
    const final = await session.run();
    // Let the last frame (the finished step in the list) reach the terminal before unmounting.
    await new Promise((resolve) => setTimeout(resolve, 50));
    screen.unmount();
    return final;
  }
  process.on('SIGINT', stop);
  // In a simulation every step's heading says so too, so that no part of a log can pass for a real run.
  const write = simulation
    ? (text: string) => void process.stdout.write(text.replace(/^== /gm, `== [${SIMULATION_MARK}] `))
    : (text: string) => void process.stdout.write(text);
  if (simulation) write(`${simulationBanner(simulation, lang)}\n`);
  session.subscribe(plainPrinter(write, lang, session.getState()));
  if (simulation) session.subscribe(incidentPrinter(write, simulation, lang, auto));
  stack.subscribe(() => write(`  ${formatStackLine(stack.getState(), lang)}\n`));
  return session.run();
}

/**
 * `--simulate`: the whole guide replayed from a recording of a real run (src/simulate). Nothing
 * of this machine is detected, locked, asked, run or written: no platform detection, no run
 * lock, no sudo, no questions (the recording's answers are used, and said), no progress file (the
 * record lives in the session's memory only: a simulation must never look like an installation
 * to `status` or `undo`), no transcript.
 */
async function runSimulation(flags: Flags, auto: boolean): Promise<number> {
  const lang = pickLang(flags.lang);
  const { loadRecording, simulationPace, startSimulation } = await import('./simulate/simulation.js');
  const { fastClock } = await import('./simulate/simulated-system.js');
  const pace = simulationPace(auto);
  const simulation = startSimulation(loadRecording(), pace);
  const words = simulationWords(lang);
  const a = simulation.ctx.answers;
  // The screen and the plain output show the banner themselves; here, before either: whose answers these are.
  process.stderr.write(
    `${words.answers} --app-name ${a.appName} --user ${a.user} --app-dir ${a.appDir} --web-group ${a.webGroup} --server-name ${a.serverName} --processes ${a.processes} --test-port ${a.testPort}\n`,
  );
  // The quizzes are asked as in a real run; their answers are kept in memory only, for the score at the end.
  const quiz = askQuizzes({ noQuiz: flags.quiz === false, auto, screen: Boolean(process.stdout.isTTY) })
    ? { questions: quizzes, answered: {} }
    : undefined;
  const session = new WizardSession(simulation.plan, simulation.system, {
    auto,
    now: fastClock(pace.clockSpeed),
    pollMs: pace.pollMs,
    autoRetry: simulation.autoRetry,
    quiz,
  });
  simulation.follow(session);
  const final = await presentRun(session, simulation.system, lang, auto, simulation.info);
  printSummary(final, lang, [words.noLog, words.summary]);
  if (Object.keys(final.quizAnswers).length > 0) {
    const now = new Date().toISOString();
    process.stdout.write(
      `${scoreLine(recordQuizAnswers(emptyProgress(simulation.ctx.answers, now), final.quizAnswers, now), lang)}\n`,
    );
  }
  return exitCodeOf(final);
}

/**
 * A rollback that left something on the machine is a failure, whether the step failed or was quit:
 * a script running the wizard must not take the machine for as it was.
 */
export function exitCodeOf(state: WizardState, notTakenBack: readonly JournalEntry[] = []): number {
  if (notTakenBack.length > 0) return EXIT.stepFailed;
  if (state.phase.kind === 'quit') return state.phase.reason === 'failure' ? EXIT.stepFailed : EXIT.interrupted;
  return EXIT.ok;
}

/**
 * The steps and how the run ended; `closing`: where the log is (a simulation has none). `known`:
 * the machine's state found on start, for steps this run did not reach (a step redone earlier in
 * the list, then quit: what comes after it is still done, as `status` says).
 */
function printSummary(state: WizardState, lang: Lang, closing: string[], known?: StepOverview[]): void {
  const l = LABELS[lang];
  const word = (step: PlannedStep, index: number) =>
    index > state.stepIndex && state.statuses[step.id] === 'todo' && known?.[index]?.state === 'done'
      ? l.doneEarlier
      : l.status[state.statuses[step.id]];
  const lines = [
    '',
    ...state.plan.steps.map((s, i) => `  ${s.id.padEnd(11)} ${word(s, i)} · ${say(s.title, lang)}`),
    '',
  ];
  if (state.phase.kind === 'quit' && state.phase.reason === 'failure') {
    const failed = state.plan.steps[state.stepIndex];
    lines.push(`${l.failed} [${failed?.id}] ${failed ? say(failed.title, lang) : ''}`);
  } else if (state.phase.kind === 'quit') {
    lines.push(l.quit);
  } else {
    lines.push(l.finished);
  }
  lines.push(...closing, '');
  (state.phase.kind === 'quit' && state.phase.reason === 'failure' ? process.stderr : process.stdout).write(
    lines.join('\n'),
  );
}

/** The quiz score of a record, in one line. */
function scoreLine(progress: Progress | undefined, lang: Lang): string {
  const score = quizScore(progress, quizzes);
  return LABELS[lang].quiz.score
    .replace('{firstTry}', String(score.firstTry))
    .replace('{total}', String(score.total))
    .replace('{answered}', String(score.answered));
}

/** `status`: the same list as the resume screen, changing nothing; exit 0 only when all is done. */
export async function runStatus(flags: Flags): Promise<number> {
  const { ctx, plan, lang, reading, record } = await prepare(flags, false, 'inspect');
  // Some checks need root (nginx -t, the socket as www-data): without sudo they would fail and a
  // finished step would look changed.
  if (!ctx.privilege.isRoot && !(await obtainSudo(lang))) return EXIT.badInput;
  const overview = reconcile(plan, record, await surveyMachine(plan, realSystem));
  const complete = isComplete(overview);
  // On stderr in both forms: a script reading --json must still hear that its record was not used.
  reportIgnoredProgress(reading, lang);
  if (flags.json) {
    const steps = overview.map((step, i) => ({
      id: step.id,
      title: say(plan.steps[i]!.title, lang),
      state: step.state,
    }));
    const { firstTry, answered, total } = quizScore(record, quizzes);
    process.stdout.write(`${JSON.stringify({ complete, steps, quiz: { firstTry, answered, total } }, null, 2)}\n`);
  } else {
    const l = LABELS[lang];
    const { RESUME_MARK, padColumns } = await import('./ui/marks.js');
    const lines = overview.map((step, i) => {
      const hint = step.state === 'changed' ? ` (${l.changedHint})` : '';
      const state = padColumns(l.resumeState[step.state], 8);
      return `  ${RESUME_MARK[step.state]} ${state} ${step.id.padEnd(11)} ${say(plan.steps[i]!.title, lang)}${hint}`;
    });
    const next = plan.steps[firstStepToDo(overview)];
    lines.push('', complete ? l.complete : `${l.nextStep} ${next ? `${next.id} · ${say(next.title, lang)}` : '-'}`);
    if (Object.keys(record?.quiz ?? {}).length > 0) lines.push(scoreLine(record, lang));
    process.stdout.write(
      `${plan.answers.appName} (${plan.answers.user}, ${plan.answers.appDir}) · ${plan.platform.prettyName}\n${lines.join('\n')}\n`,
    );
  }
  return complete ? EXIT.ok : EXIT.stepFailed;
}

/**
 * `undo`: take back what the wizard created or changed for this app (files restored from their
 * backups or removed, links, the directories it made, uWSGI stopped), newest first, and nothing
 * else. Packages stay installed.
 */
export async function runUndo(flags: Flags): Promise<number> {
  // Taken before the record is read: a wizard run for another app could otherwise shelve it
  // between the reading and the writing back, and the person would confirm only to hear "busy".
  const lock = acquireRunLock(undefined, orphanStopped(pickLang(flags.lang)));
  process.on('exit', lock.release);
  const { ctx, lang, record, recordPath } = await prepare(flags, false, 'inspect');
  const l = LABELS[lang];
  const entries = (record?.journal ?? []) as JournalEntry[];
  if (entries.length === 0) {
    process.stdout.write(`${l.undoNothing.replace('{app}', ctx.answers.appName)}\n`);
    return EXIT.ok;
  }
  const touchesNginx = entries.some((entry) => entry.kind !== 'started' && entry.path.startsWith('/etc/nginx/'));
  const reloadNginx = withPrivilege(ctx, 'root', ctx.platform.nginxReload);
  const commands = [...planUndo(ctx, entries).map((action) => action.command), ...(touchesNginx ? [reloadNginx] : [])];
  process.stdout.write(
    `${l.undoTitle}\n${[...entries]
      .reverse()
      .map((entry) => `  - ${describeEntry(entry)}`)
      .join('\n')}\n\n${l.undoCommands}\n${commands.map((c) => `  $ ${c}`).join('\n')}\n\n`,
  );
  if (!flags.yes) {
    if (!process.stdin.isTTY) {
      process.stderr.write(`${l.undoNeedsYes}\n`);
      return EXIT.badInput;
    }
    const { confirm } = await import('@inquirer/prompts');
    // Declining is an answer, not an interruption: nothing to undo was asked for, and nothing failed.
    if (!(await confirm({ message: l.undoConfirm, default: false }))) {
      process.stdout.write(`${l.undoDeclined}\n`);
      return EXIT.ok;
    }
  }
  if (!ctx.privilege.isRoot && !(await obtainSudo(lang))) return EXIT.badInput;
  if (!ctx.privilege.isRoot) await takeMachineLock(lang);

  // One entry at a time, so that what could not be taken back stays in the record.
  let remaining = [...entries];
  let failures = 0;
  for (const entry of [...entries].reverse()) {
    const [undo] = planUndo(ctx, [entry]);
    const outcome = await runVisibly(undo!.command);
    if (outcome === 0) remaining = remaining.filter((e) => e !== entry);
    else {
      failures += 1;
      process.stdout.write(`  ✗ ${l.undoKept} ${describeEntry(entry)}\n`);
    }
  }
  if (touchesNginx) {
    // A reload returns as soon as nginx has been told; its old workers go on serving the removed
    // site until they finish. Undo is over only when they have, so that the page is really gone
    // when it says so (at most 10 s: a worker held by a slow client is left to finish on its own).
    const oldWorkers = await processesNamed('nginx: worker process');
    if ((await runVisibly(reloadNginx)) === 0) await processesEnded(oldWorkers, 10_000);
    else failures += 1;
  }
  await writeProgress({ ...record!, steps: {}, journal: remaining, updatedAt: new Date().toISOString() }, recordPath);
  process.stdout.write(`\n${failures === 0 ? l.undoDone : l.undoPartly}\n`);
  return failures === 0 ? EXIT.ok : EXIT.stepFailed;
}

/** Run one command with its output shown as plain lines; resolves with its exit code. */
async function runVisibly(commandLine: string): Promise<number | null> {
  process.stdout.write(`$ ${commandLine}\n`);
  const output = lineSplitter();
  const outcome = await realSystem.start(
    { kind: 'command', id: 'undo', command: commandLine, explain: { en: '', ja: '' }, timeoutSec: 120 },
    (text) => {
      for (const line of output.push(text)) process.stdout.write(`  | ${line}\n`);
    },
  ).done;
  const rest = output.flush();
  if (rest !== undefined) process.stdout.write(`  | ${rest}\n`);
  return outcome.exitCode;
}

/** `glossary [word]`: every term the wizard uses, explained; with a word, the terms that contain it. */
export function runGlossary(word: string | undefined, flags: Flags): number {
  const lang = pickLang(flags.lang);
  const found = lookUp(glossary, word);
  if (found.length === 0) {
    const l = LABELS[lang].glossary;
    process.stderr.write(`${l.noMatch.replace('{word}', word ?? '')}\n${l.tryAll}\n`);
    return EXIT.stepFailed;
  }
  process.stdout.write(formatGlossary(found, lang));
  return EXIT.ok;
}

/**
 * `report`: the teacher's report of this machine's record (issue 7): a Markdown page and the same
 * figures as JSON, named after the machine, the student and the app, so that a teacher can
 * collect them from every student's machine into one directory.
 */
export async function runReport(flags: Flags): Promise<number> {
  const lang = pickLang(flags.lang);
  const w = reportWords(lang);
  const { reading, path, otherApp } = await recordToReport(flags);
  if (reading.kind === 'none') {
    const message =
      otherApp === undefined
        ? w.noRecord.replace('{path}', path)
        : w.noRecordOfApp.replaceAll('{app}', otherApp).replace('{dir}', path);
    process.stderr.write(`uwsgi-nginx-guide: ${message}\n`);
    return EXIT.stepFailed;
  }
  if (reading.kind !== 'ok') {
    process.stderr.write(
      `uwsgi-nginx-guide: ${w.unusable.replace('{path}', path).replace('{reason}', reading.reason)}\n`,
    );
    return EXIT.stepFailed;
  }
  const meta = { generatedAt: new Date().toISOString(), student: invokingUser(), host: hostname() };
  const report = buildReport(reading.progress, curriculum, quizzes, lang, meta);
  const dir = flags.out ?? process.cwd();
  const base = join(
    dir,
    `uwsgi-nginx-guide-report-${[meta.host, meta.student, report.app.name].join('-').replace(/[^A-Za-z0-9._-]/g, '_')}`,
  );
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${base}.md`, reportMarkdown(report, lang));
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(
    `${summaryLine(report, lang)} · ${quizText(report.quiz, lang)}\n${w.written}\n  ${base}.md\n  ${base}.json\n`,
  );
  return EXIT.ok;
}

/**
 * The record a report is made of: the last run's (progress.json), or, when the app named before
 * `report` (--app-name, and --user if given) is another one, that app's record on the shelf.
 */
async function recordToReport(flags: Flags): Promise<{ reading: ProgressReading; path: string; otherApp?: string }> {
  const given = await givenAnswers(flags);
  const reading = await readProgress();
  const last = reading.kind === 'ok' ? reading.progress.answers : undefined;
  // What was named must all match: the same app of another account or directory is another record.
  const named = (answers: Answers) =>
    answers.appName === given.appName &&
    (given.user === undefined || answers.user === given.user) &&
    (given.appDir === undefined || answers.appDir === given.appDir);
  if (given.appName === undefined || (last && named(last))) return { reading, path: progressPath() };
  const answers = await shelvedAnswersOf(given.appName, given.user, undefined, given.appDir);
  const shelved = answers ? await readShelved(answers) : undefined;
  if (answers && shelved) return { reading: { kind: 'ok', progress: shelved }, path: shelvedPath(answers) };
  // The last run's record, if any, is of another installation, and the shelf has none of this one.
  if (reading.kind === 'ok')
    return { reading: { kind: 'none' }, path: join(transcriptDir(), 'apps'), otherApp: given.appName };
  return { reading, path: progressPath() };
}

/**
 * What a person can fix is told in their language with what to try, and given its exit code; any
 * other error is ours, and is thrown on.
 */
export function explainFailure(error: unknown, argv: string[]): number {
  if (error instanceof InvalidAnswerError) {
    const lang = pickLang(langInArgv(argv));
    process.stderr.write(
      `uwsgi-nginx-guide: ${localizeReason(error.message, lang)}\n${LABELS[lang].nothingChangedTryHelp}\n`,
    );
    return EXIT.badInput;
  }
  if (error instanceof Refusal) {
    process.stderr.write(`uwsgi-nginx-guide: ${error.message}\n`);
    return EXIT.badInput;
  }
  if (error instanceof RecordingError) {
    process.stderr.write(`uwsgi-nginx-guide: ${error.message}\nNothing was changed.\n`);
    return EXIT.badInput;
  }
  if (error instanceof WizardBusyError || error instanceof RunLockError) {
    process.stderr.write(`uwsgi-nginx-guide: ${runLockMessage(error, pickLang(langInArgv(argv)))}\n`);
    return error instanceof WizardBusyError ? EXIT.busy : EXIT.badInput;
  }
  if (error instanceof Error && error.name === 'ExitPromptError') return EXIT.interrupted;
  throw error;
}
