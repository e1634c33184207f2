#!/usr/bin/env node
// Entry point: read the flags, ask what is missing (inquirer, before the screen exists), plan,
// then either print the plan (--dry-run) or run it with the screen (a terminal) or plain lines.
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { curriculum } from '../steps/index.js';
import { ANSWER_KEYS, answerProblem, answersFromFile, FLAG_NAMES, GUIDE_DEFAULTS, InvalidAnswerError, validateAnswer, type AnswerKey } from './engine/answers.js';
import { buildPlan, formatPlan, say } from './engine/plan.js';
import { WizardSession } from './engine/session.js';
import type { Answers, Lang, PlanContext } from './engine/types.js';
import type { WizardState } from './engine/wizard.js';
import { defaultServerName, groupExists, invokingUser, lookupAccount } from './exec/accounts.js';
import { detectPlatform } from './exec/platform.js';
import { realSystem } from './exec/system.js';
import { openTranscript } from './exec/transcript.js';
import { LABELS } from './ui/labels.js';
import { plainPrinter } from './ui/plain.js';

/** Exit codes: 1 a step failed, 2 the input was refused (nothing ran), 130 the person stopped it. */
const EXIT = { ok: 0, stepFailed: 1, badInput: 2, interrupted: 130 } as const;

interface Flags {
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
}

function pickLang(flag: Lang | undefined): Lang {
  if (flag) return flag;
  const locale = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '';
  return locale.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

function program(): Command {
  const cmd = new Command('uwsgi-nginx-guide')
    .description('Step by step through "How To Set Up uWSGI and Nginx to Serve Python Apps": every command shown, run when you confirm, and proven.')
    .option('--app-name <name>', `name of the app, its files and its service (default ${GUIDE_DEFAULTS.appName})`)
    .option('--user <name>', 'account that owns the app and runs uWSGI (default: you, or SUDO_USER)')
    .option('--app-dir <path>', 'the app directory (default ~USER/APP)')
    .option('--web-group <group>', `the web server's group (default ${GUIDE_DEFAULTS.webGroup})`)
    .option('--server-name <name>', "this server's domain name or IP address, for nginx")
    .option('--processes <n>', `uWSGI worker processes (default ${GUIDE_DEFAULTS.processes})`)
    .option('--test-port <port>', `port of the test run (default ${GUIDE_DEFAULTS.testPort})`)
    .option('--answers <file>', 'YAML or JSON file with the answers (keys as the flags: app-name, user, …)')
    .addOption(new Option('--lang <lang>', 'language of the explanations (default from LANG)').choices(['ja', 'en']))
    .option('-y, --yes', 'run every step without asking; stop at the first failure')
    .option('--dry-run', 'print every step with its exact commands and files for this machine, change nothing')
    .showHelpAfterError();
  return cmd;
}

/** The answers given up front: the answers file first, flags over it. Every value is validated. */
function givenAnswers(flags: Flags): Partial<Answers> {
  const given: Partial<Answers> = {};
  if (flags.answers) {
    let data: unknown;
    try {
      const text = readFileSync(flags.answers, 'utf8');
      data = parseYaml(text); // JSON is YAML too.
    } catch (error) {
      throw new InvalidAnswerError('answers', `${flags.answers}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
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
 * Fill in what was not given: ask (a person at a terminal) or take the default (--yes, or no
 * terminal). Accounts must exist: the wizard does not create users.
 */
async function completeAnswers(given: Partial<Answers>, interactive: boolean, lang: Lang): Promise<{ answers: Answers; userGroup: string }> {
  // inquirer is loaded only when a question is asked; it reads stdin, so it is done before ink mounts.
  const ask = interactive ? await import('@inquirer/prompts') : undefined;
  const questions = LABELS[lang].questions;
  const value = async (key: AnswerKey, fallback: string): Promise<string> => {
    if (given[key] !== undefined) return String(given[key]);
    if (!ask) return fallback;
    return ask.input({ message: questions[key], default: fallback, validate: (v) => answerProblem(key, v) });
  };

  const appName = validateAnswer('appName', await value('appName', GUIDE_DEFAULTS.appName));
  const user = validateAnswer('user', await value('user', invokingUser()));
  const account = await lookupAccount(user);
  if (!account) throw new InvalidAnswerError(FLAG_NAMES.user, `there is no account "${user}" on this machine (create it first, e.g. adduser ${user})`);
  const appDir = validateAnswer('appDir', await value('appDir', `${account.home}/${appName}`));
  const webGroup = validateAnswer('webGroup', await value('webGroup', GUIDE_DEFAULTS.webGroup));
  if (!(await groupExists(webGroup))) throw new InvalidAnswerError(FLAG_NAMES.webGroup, `there is no group "${webGroup}" on this machine`);
  const serverName = validateAnswer('serverName', await value('serverName', defaultServerName()));
  const processes = validateAnswer('processes', await value('processes', String(GUIDE_DEFAULTS.processes)));
  const testPort = validateAnswer('testPort', await value('testPort', String(GUIDE_DEFAULTS.testPort)));
  return { answers: { appName, user, appDir, webGroup, serverName, processes, testPort }, userGroup: account.primaryGroup };
}

/**
 * Not root: let sudo ask for the password now, in the plain terminal, never inside the screen, and
 * keep its credentials fresh (without ever asking again) while the wizard runs: a long uWSGI build
 * must not outlast sudo's timeout and leave the next command asking on a terminal nobody reads.
 */
async function obtainSudo(): Promise<boolean> {
  const { spawn, spawnSync } = await import('node:child_process');
  if (spawnSync('sudo', ['-v'], { stdio: 'inherit' }).status !== 0) return false;
  setInterval(() => spawn('sudo', ['-n', '-v'], { stdio: 'ignore' }).on('error', () => undefined), 60_000).unref();
  return true;
}

function exitCodeOf(state: WizardState): number {
  if (state.phase.kind === 'quit') return state.phase.reason === 'failure' ? EXIT.stepFailed : EXIT.interrupted;
  return EXIT.ok;
}

async function main(argv: string[]): Promise<number> {
  const cmd = program();
  cmd.parse(argv);
  const flags = cmd.opts<Flags>();
  const lang = pickLang(flags.lang);
  const interactiveTerminal = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const auto = Boolean(flags.yes);

  let ctx: PlanContext;
  try {
    const given = givenAnswers(flags);
    const platform = detectPlatform();
    const { answers, userGroup } = await completeAnswers(given, interactiveTerminal && !auto && !flags.dryRun, lang);
    const isRoot = process.getuid?.() === 0;
    ctx = { answers, platform, privilege: { isRoot, runningAs: userInfo().username }, userGroup };
  } catch (error) {
    if (error instanceof InvalidAnswerError) {
      process.stderr.write(`uwsgi-nginx-guide: ${error.message}\nNothing was changed. Try: uwsgi-nginx-guide --help\n`);
      return EXIT.badInput;
    }
    if (error instanceof Error && error.name === 'ExitPromptError') return EXIT.interrupted;
    throw error;
  }

  const plan = buildPlan(curriculum, ctx);
  if (flags.dryRun) {
    process.stdout.write(formatPlan(plan, lang));
    return EXIT.ok;
  }
  if (!auto && !interactiveTerminal) {
    process.stderr.write('uwsgi-nginx-guide: there is no terminal to confirm each command in. Nothing was changed.\nTry: run it in a terminal, or add --yes to run every step unattended (--dry-run shows them first).\n');
    return EXIT.badInput;
  }
  if (!ctx.privilege.isRoot && !(await obtainSudo())) {
    process.stderr.write('uwsgi-nginx-guide: sudo is needed for the system steps (apt, nginx, the service). Try: run it as root, or from an account that may use sudo.\n');
    return EXIT.badInput;
  }

  const transcript = openTranscript();
  const session = new WizardSession(plan, realSystem, { auto, transcript });
  const stop = () => session.interrupt();
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);

  let final: WizardState;
  if (process.stdout.isTTY) {
    // ink and React are loaded only now: --help, --dry-run and bad input never pay for them.
    const [{ render }, { createElement }, { App }] = await Promise.all([import('ink'), import('react'), import('./ui/App.js')]);
    const screen = render(createElement(App, { session, lang, auto }), { exitOnCtrlC: false });
    final = await session.run();
    // Let the last frame (the finished step in the list) reach the terminal before unmounting.
    await new Promise((resolve) => setTimeout(resolve, 50));
    screen.unmount();
  } else {
    process.on('SIGINT', stop);
    session.subscribe(plainPrinter((text) => process.stdout.write(text), lang));
    final = await session.run();
  }
  await transcript.close();
  printSummary(final, lang, transcript.path);
  return exitCodeOf(final);
}

function printSummary(state: WizardState, lang: Lang, logPath: string): void {
  const l = LABELS[lang];
  const lines = ['', ...state.plan.steps.map((s) => `  ${s.id.padEnd(11)} ${l.status[state.statuses[s.id]]} · ${say(s.title, lang)}`), ''];
  if (state.phase.kind === 'quit' && state.phase.reason === 'failure') {
    const failed = state.plan.steps[state.stepIndex];
    lines.push(`${l.failed} [${failed?.id}] ${failed ? say(failed.title, lang) : ''}`);
  } else if (state.phase.kind === 'quit') {
    lines.push(l.quit);
  } else {
    lines.push(l.finished);
  }
  lines.push(`log: ${logPath}`, '');
  (state.phase.kind === 'quit' && state.phase.reason === 'failure' ? process.stderr : process.stdout).write(lines.join('\n'));
}

main(process.argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`uwsgi-nginx-guide: internal error (a bug, please report it): ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(70);
  },
);
