// The surroundings of a use case (src/app/surroundings.ts) made of fakes: a FakeSystem for the
// machine, records kept in memory, accounts and groups from a table, scripted answers to the
// questions, and the lines written kept for the test to read. Nothing is run, read or written.
import type { Output, Prompts, Surroundings } from '../src/app/surroundings.js';
import type { Progress, ProgressReading } from '../src/engine/progress.js';
import type { Answers } from '../src/engine/types.js';
import type { Account } from '../src/exec/accounts.js';
import { debian12, FakeSystem } from './helpers.js';

export class Captured implements Output {
  text = '';
  constructor(readonly isTTY = false) {}
  write(text: string): boolean {
    this.text += text;
    return true;
  }
}

/** One scripted answer per question, in order; a question with none left fails the test. */
export interface ScriptedAnswers {
  input?: string[];
  confirm?: boolean[];
  password?: string[];
}

export interface FakeOptions {
  system?: FakeSystem;
  /** progress.json's content (undefined: none). */
  progress?: Progress;
  accounts?: Record<string, Account>;
  groups?: string[];
  answers?: ScriptedAnswers;
  stdinIsTTY?: boolean;
  stdoutIsTTY?: boolean;
  isRoot?: boolean;
  now?: Date;
  cwd?: string;
  /** Files an answers file may be read from. */
  files?: Record<string, string>;
}

export const FAKE_ACCOUNTS: Record<string, Account> = {
  demo: { name: 'demo', uid: 1000, home: '/home/demo', primaryGroup: 'demo' },
  root: { name: 'root', uid: 0, home: '/root', primaryGroup: 'root' },
};

/** Where the fake transcript says it is. */
export const TRANSCRIPT_PATH = '/state/uwsgi-nginx-guide/run-test.log';

export function fakeSurroundings(options: FakeOptions = {}) {
  const system = options.system ?? new FakeSystem();
  const stdout = new Captured(options.stdoutIsTTY);
  const stderr = new Captured();
  let progress = options.progress;
  /** Every record written, with where. */
  const written: { progress: Progress; path: string }[] = [];
  /** The report's files, by directory and name. */
  const reports: { dir: string; files: Record<string, string> }[] = [];
  const asked: { kind: keyof ScriptedAnswers; message: string }[] = [];
  const exitHandlers: (() => void)[] = [];
  const bugReports: string[] = [];
  /** What was written to the run's transcript (kept in memory, as if at TRANSCRIPT_PATH). */
  const transcript: string[] = [];
  const accounts = options.accounts ?? FAKE_ACCOUNTS;
  const groups = options.groups ?? ['www-data', 'demo'];
  const script = {
    input: [...(options.answers?.input ?? [])],
    confirm: [...(options.answers?.confirm ?? [])],
    password: [...(options.answers?.password ?? [])],
  };
  const next = <K extends keyof ScriptedAnswers>(kind: K, message: string) => {
    asked.push({ kind, message });
    const queue = script[kind] as unknown[];
    if (queue.length === 0) throw new Error(`unexpected question (${kind}): ${message}`);
    return queue.shift();
  };
  const prompts: Prompts = {
    input: async ({ message }) => next('input', message) as string,
    confirm: async ({ message }) => next('confirm', message) as boolean,
    password: async ({ message }) => next('password', message) as string,
  };
  const PROGRESS_PATH = '/state/uwsgi-nginx-guide/progress.json';
  const s: Surroundings = {
    machine: {
      system,
      watchedSystem: () => system,
      store: {
        path: () => PROGRESS_PATH,
        read: async (): Promise<ProgressReading> => (progress ? { kind: 'ok', progress } : { kind: 'none' }),
        write: async (next, path = PROGRESS_PATH) => {
          written.push({ progress: next, path });
          if (path === PROGRESS_PATH) progress = next;
        },
        shelvedPath: (answers: Answers) => `/state/uwsgi-nginx-guide/apps/${answers.appName}.json`,
        readShelved: async () => undefined,
        shelvedAnswersOf: async () => undefined,
        bringRecordForward: async () => undefined,
        setAside: () => undefined,
        dir: () => '/state/uwsgi-nginx-guide',
      },
      detectPlatform: () => debian12(),
      lookupAccount: async (name) => accounts[name],
      accountFacts: async () => ({
        passwd: Object.values(accounts)
          .map((a) => `${a.name}:x:${a.uid}:${a.uid}::${a.home}:/bin/sh`)
          .join('\n'),
        loginDefs: 'UID_MIN 1000\nUID_MAX 60000\n',
        sudoUser: undefined,
        uid: options.isRoot === false ? 1000 : 0,
        runningAs: options.isRoot === false ? 'demo' : 'root',
      }),
      createAccount: async () => ({ code: 1, stdout: '', stderr: 'not in a test' }),
      groupExists: async (name) => groups.includes(name),
      defaultServerName: () => 'example.com',
      invokingUser: () => 'demo',
      hostname: () => 'testhost',
      readAnswersFile: (path) => {
        const text = options.files?.[path];
        if (text === undefined)
          throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
        return text;
      },
      writeReport: (dir, files) => void reports.push({ dir, files }),
      writeExport: () => {
        throw new Error('the fake machine writes no export');
      },
      processesNamed: async () => [],
      processesEnded: async () => true,
      acquireRunLock: () => ({ release: () => undefined, noteCommand: () => undefined }),
      holdMachineLock: async () => undefined,
      sudo: {
        need: async () => ({ kind: 'no-password', sudoPath: '/usr/bin/sudo' }),
        askpass: async () => {
          throw new Error('no askpass in a test');
        },
      },
      openTranscript: () => ({
        path: TRANSCRIPT_PATH,
        write: (text) => void transcript.push(text),
        close: async () => undefined,
      }),
      keepBugReport: (text) => {
        bugReports.push(text);
        return '/state/uwsgi-nginx-guide/bug.log';
      },
    },
    prompts,
    stdout,
    stderr,
    stdinIsTTY: options.stdinIsTTY ?? false,
    locale: 'C.UTF-8',
    argv: ['node', 'uwsgi-nginx-guide'],
    privilege: { isRoot: options.isRoot ?? true, runningAs: options.isRoot === false ? 'demo' : 'root' },
    uid: options.isRoot === false ? 1000 : 0,
    cwd: options.cwd ?? '/work',
    now: () => options.now ?? new Date('2026-01-02T03:04:05.000Z'),
    onExit: (release) => void exitHandlers.push(release),
    onStopSignal: () => undefined,
    loadInk: () => Promise.reject(new Error('no screen in a test')),
  };
  return {
    s,
    system,
    stdout,
    stderr,
    written,
    reports,
    asked,
    exitHandlers,
    bugReports,
    transcript: () => transcript.join(''),
    progress: () => progress,
  };
}
