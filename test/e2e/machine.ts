// What the end-to-end suite needs to look at and drive the real machine: the guard that keeps it
// off machines where it was not invited, shell look-ups, the wizard run as a child process with
// its output streamed to the test log, `status --json`, the run lock, the guide followed by hand,
// the transcript, the plan printed by --dry-run, /proc, tmux, and the clean-up. Nothing here
// belongs to the wizard: the suite looks at the machine from outside.
import { GUIDE_STEP_IDS } from '../helpers.js';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { StepId } from '../../src/engine/types.js';
import { processStart } from '../../src/exec/proc.js';
import { parseRunLock, runLockPath, type RunLockContent } from '../../src/exec/run-lock.js';

/** The project: this file runs as dist/test/e2e/machine.js. */
export const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The shipped CLI, the bundled file package.json's bin names (`npm run build` makes it). */
export const CLI = join(
  PROJECT,
  (JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin[
    'uwsgi-nginx-guide'
  ]!,
);

/** Why the suite must not run here, or undefined when it may. */
export function refusal(): string | undefined {
  const problems: string[] = [];
  const uid = process.getuid?.();
  if (uid !== 0) problems.push(`it runs as uid ${uid ?? '(unknown)'}, not as root`);
  if (process.env.CI !== 'true' && process.env.E2E_ALLOW_SYSTEM_CHANGES !== '1')
    problems.push('neither CI=true nor E2E_ALLOW_SYSTEM_CHANGES=1 is set');
  if (problems.length === 0) return undefined;
  return (
    'the end-to-end suite changes this machine (apt packages, a user, uWSGI, nginx on port 80) and runs only as root ' +
    `with CI=true or E2E_ALLOW_SYSTEM_CHANGES=1; here ${problems.join(' and ')}`
  );
}

/**
 * One test of the suite, run only where `refusal()` allows it (elsewhere it is reported skipped,
 * with the reason). The body gets a private work directory, removed afterwards, and `stateOf(name)`:
 * an XDG_STATE_HOME of its own below it, so that progress files and transcripts never mix.
 */
export function machineTest(
  name: string,
  body: (t: TestContext, work: { dir: string; stateOf: (name: string) => { XDG_STATE_HOME: string } }) => Promise<void>,
): void {
  const reason = refusal();
  if (reason) {
    log(`uwsgi-nginx-guide e2e: "${name}" SKIPPED — ${reason}.`);
    test(name, { skip: reason }, () => undefined);
    return;
  }
  test(name, async (t) => {
    assert.ok(existsSync(CLI), `${CLI} is missing: build first (npm run build)`);
    const dir = mkdtempSync('/tmp/uwsgi-guide-e2e-');
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    await body(t, { dir, stateOf: (state) => ({ XDG_STATE_HOME: join(dir, `state-${state}`) }) });
  });
}

/** Print to the test log (the spec reporter shows a test file's stdout as it comes). */
export function log(text = ''): void {
  process.stdout.write(`${text}\n`);
}

export function heading(text: string): void {
  log(`\n======== ${text} ${'='.repeat(Math.max(0, 90 - text.length))}`);
}

export interface ShResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a short shell command to completion (stdin from /dev/null). */
export function sh(command: string, timeoutMs = 60_000): ShResult {
  const result = spawnSync('/bin/sh', ['-c', command], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
  });
  return {
    code: result.status,
    stdout: result.stdout ?? '',
    stderr: `${result.stderr ?? ''}${result.error ? `${result.error.message}\n` : ''}`,
  };
}

/** Run a command that must succeed; its output is returned. */
export function must(command: string, timeoutMs?: number): string {
  const result = sh(command, timeoutMs);
  if (result.code !== 0) throw new Error(`\`${command}\` exited ${result.code}:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** Quote one word for /bin/sh. */
export function q(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Whether dpkg has the package installed (not only unpacked, not removed). */
export function packageInstalled(name: string): boolean {
  return sh(`dpkg-query -W -f='\${db:Status-Status}' ${q(name)}`).stdout === 'installed';
}

/** Put a package back that a test removed: the rest of the suite expects the machine as it was. */
export function ensurePackageInstalled(name: string): void {
  if (!packageInstalled(name)) must(`DEBIAN_FRONTEND=noninteractive apt-get install -y ${q(name)}`, 600_000);
}

/**
 * Whether a process with this command name (/proc/PID/comm) runs, and when `argvHas` is given, whose
 * arguments include it: the suite holds the machine lock, but unit tests of other work on the same
 * machine start stand-ins of the same name (a fake apt-get), which only the arguments tell apart.
 */
export function processRunning(comm: string, argvHas?: string): boolean {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .some((pid) => {
      try {
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== comm) return false;
        return argvHas === undefined || readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(argvHas);
      } catch {
        return false;
      }
    });
}

/** A literal text inside a regular expression. */
export function regexLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function curlPage(host: string, url = 'http://127.0.0.1/'): ShResult {
  return sh(`curl -s --max-time 10 -H ${q(`Host: ${host}`)} ${q(url)}`);
}

// ---------------------------------------------------------------------------------------------
// The wizard as a child process

export interface Line {
  at: number;
  text: string;
}

export interface WizardRun {
  code: number | null;
  signal: string | null;
  startedAt: number;
  endedAt: number;
  lines: Line[];
  stdout: string;
  stderr: string;
  /** The transcript, from the "log: PATH" line at the end. */
  logPath?: string;
  /** The wizard's process id. */
  pid?: number;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  prefix?: string;
  limitMs?: number;
  /** Told of each line of the plain output as it arrives, with the wizard's process (to signal it). */
  onLine?: (text: string, wizard: ChildProcess) => void;
  /**
   * Run exactly once, even while another wizard holds the run lock (to see it refused, or for `status`, which takes no
   * lock).
   */
  once?: boolean;
}

/**
 * The wizard's run lock: one wizard at a time on a machine (it refuses with exit 75 otherwise).
 * The suite runs as root: root's lock, which a run of another account takes too, through sudo.
 */
export const RUN_LOCK = runLockPath(0);
/** The wizard's exit code when another wizard holds the run lock. */
export const EXIT_BUSY = 75;

/** What the run lock says: its owner's pid and start time, and the running command's group, if any. */
export function lockContent(): RunLockContent | undefined {
  try {
    return parseRunLock(readFileSync(RUN_LOCK, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The pid the run lock names as its owner, alive or not. */
export function lockOwner(): number | undefined {
  return lockContent()?.owner.pid;
}

/** The pid of another wizard that holds the run lock, if one does (the very process that wrote it). */
export function lockHolder(): number | undefined {
  const owner = lockContent()?.owner;
  return owner && processStart(owner.pid) === owner.start ? owner.pid : undefined;
}

/**
 * Someone else may run the wizard on this machine (by hand, for other apps): wait until it has
 * finished rather than fail, since two wizards at once are refused on purpose.
 */
export async function waitForRunLock(timeoutMs = 20 * 60_000): Promise<void> {
  const holder = lockHolder();
  if (holder === undefined) return;
  log(`(another wizard, pid ${holder}, holds ${RUN_LOCK}: waiting for it to finish)`);
  if (!(await waitUntil(() => lockHolder() === undefined, timeoutMs, 1000)))
    throw new Error(`another wizard still holds ${RUN_LOCK} after ${timeoutMs / 1000}s`);
}

/**
 * Run the wizard with stdout and stderr piped (so it prints plain lines) and no stdin, the way CI
 * runs it. Each line is timed as it arrives and echoed to the test log after `prefix`. A run
 * refused because another wizard holds the run lock is tried again once that one has finished.
 */
export async function runWizard(args: string[], options: RunOptions = {}): Promise<WizardRun> {
  if (options.once) return runWizardOnce(args, options);
  for (let attempt = 1; ; attempt += 1) {
    await waitForRunLock();
    const run = await runWizardOnce(args, options);
    if (run.code !== EXIT_BUSY || attempt >= 5) return run;
    log('(the wizard found another one running; trying again when it has finished)');
  }
}

function runWizardOnce(args: string[], options: RunOptions): Promise<WizardRun> {
  const prefix = options.prefix ?? 'wizard│ ';
  log(`$ node ${relative(PROJECT, CLI)} ${args.map(q).join(' ')}`);
  return new Promise((resolvePromise, reject) => {
    const startedAt = Date.now();
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: PROJECT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Line[] = [];
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const parts = (pending + chunk).split('\n');
      pending = parts.pop() ?? '';
      const at = Date.now();
      for (const text of parts) {
        lines.push({ at, text });
        log(`${prefix}${text}`);
        options.onLine?.(text, child);
      }
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      for (const text of chunk.replace(/\n$/, '').split('\n')) log(`${prefix}(stderr) ${text}`);
    });
    // A wizard that hangs must not hang CI: SIGTERM makes it stop its command and end the run.
    const limitMs = options.limitMs ?? 25 * 60_000;
    const limit = setTimeout(() => {
      log(`${prefix}(the suite stops the wizard: no end after ${limitMs / 1000}s)`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    }, limitMs);
    child.on('error', (error) => {
      clearTimeout(limit);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      if (pending) lines.push({ at: Date.now(), text: pending });
      const logPath = /^log: (.+)$/m.exec(`${stdout}\n${stderr}`)?.[1]?.trim();
      resolvePromise({ code, signal, startedAt, endedAt: Date.now(), lines, stdout, stderr, logPath, pid: child.pid });
    });
  });
}

/** Plain output: `== Step i/N [id] title` opens a step. */
const STEP_LINE = /^== \S+ (\d+)\/(\d+) \[([a-z0-9-]+)\] (.*)$/;
/** Plain output: the step's end, `✓ [id] done`, `✓ [id] already done`, `↷ [id] skipped`. */
const STATUS_LINE = /^([✓↷✗]) \[([a-z0-9-]+)\] (.+)$/;
/** The summary at the end: `  id   status · title`. */
const SUMMARY_LINE = /^ {2}([a-z0-9-]+) +(.+?) · (.+)$/;

export interface StepTiming {
  index: number;
  total: number;
  id: string;
  title: string;
  seconds: number;
}

/** How long each announced step took: from its `== Step` line to the next one (or the end). */
export function stepTimings(run: WizardRun): StepTiming[] {
  const starts = run.lines.flatMap((line) => {
    const m = STEP_LINE.exec(line.text);
    return m ? [{ at: line.at, index: Number(m[1]), total: Number(m[2]), id: m[3]!, title: m[4]! }] : [];
  });
  // The last step ends where the summary begins (or at the exit).
  const summaryAt =
    run.lines.find((line, i) => i > 0 && SUMMARY_LINE.test(line.text) && run.lines[i - 1]!.text === '')?.at ??
    run.endedAt;
  return starts.map((start, i) => ({ ...start, seconds: ((starts[i + 1]?.at ?? summaryAt) - start.at) / 1000 }));
}

/** Each step's status as the summary at the end states it (on stderr when the run stopped at a failed step). */
export function summaryStatuses(run: WizardRun): Map<string, string> {
  const statuses = new Map<string, string>();
  for (const text of [...run.lines.map((line) => line.text), ...run.stderr.split('\n')]) {
    const m = SUMMARY_LINE.exec(text);
    if (m) statuses.set(m[1]!, m[2]!);
  }
  return statuses;
}

/** The `✓ [id] already done` style lines of the plain output, by step id. */
export function statusLines(run: WizardRun): Map<string, string> {
  const statuses = new Map<string, string>();
  for (const { text } of run.lines) {
    const m = STATUS_LINE.exec(text);
    if (m) statuses.set(m[2]!, `${m[1]} ${m[3]}`);
  }
  return statuses;
}

/** The id of the step the run began with: its first `== Step` line. */
export function firstStep(run: WizardRun): string | undefined {
  for (const { text } of run.lines) {
    const m = STEP_LINE.exec(text);
    if (m) return m[3];
  }
  return undefined;
}

/** The run ended with exit 0, and its summary has every step done or already done. */
export function assertCompleted(run: WizardRun, label: string, steps: readonly StepId[] = STEP_IDS): void {
  assert.equal(run.code, 0, `${label}: the wizard exited ${run.code ?? run.signal}; stderr:\n${run.stderr}`);
  const statuses = summaryStatuses(run);
  assert.equal(
    statuses.size,
    steps.length,
    `${label}: the summary names every step: ${[...statuses.keys()].join(' ')}`,
  );
  for (const [id, status] of statuses)
    assert.match(status, /^(done|already done)$/, `${label}: step ${id} ended "${status}"`);
}

/** The guide's page answers through nginx on port 80 for this server name. */
export function assertPageAnswers(server: string): void {
  const page = curlPage(server);
  log(`$ curl -s -H 'Host: ${server}' http://127.0.0.1/\n${page.stdout.trim()}`);
  assert.equal(page.code, 0, `curl exited ${page.code}: ${page.stderr}`);
  assert.match(page.stdout, /Hello There!/, `the page answers through nginx for Host: ${server}`);
}

/** A small table: step, status, seconds; steps the summary names but no `== Step` line announced are shown too. */
export function timingTable(title: string, run: WizardRun): string {
  const timings = stepTimings(run);
  const statuses = summaryStatuses(run);
  const ids = [...new Set([...statuses.keys(), ...timings.map((t) => t.id)])];
  const rows = ids.map((id) => {
    const t = timings.find((x) => x.id === id);
    return [t ? `${t.index}/${t.total}` : '', id, statuses.get(id) ?? '?', t ? t.seconds.toFixed(1) : '—'];
  });
  const header = ['#', 'step', 'status', 'seconds'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (cells: string[]) =>
    `  ${cells.map((c, i) => (i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ')}`;
  return [
    `${title} — ${((run.endedAt - run.startedAt) / 1000).toFixed(1)}s in all, exit ${run.code ?? run.signal}`,
    format(header),
    format(widths.map((w) => '-'.repeat(w))),
    ...rows.map(format),
    ...(rows.some((r) => r[3] === '—')
      ? ['  (—: not run; the wizard found it in place before it began, so no "== Step" line)']
      : []),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The suite's own service user and apps

/** An app the suite installs: its names, and the answer flags that give them to the wizard. */
export interface TestApp {
  name: string;
  user: string;
  server: string;
  port: number;
  dir: string;
  answers: string[];
}

export function testApp(user: string, name: string, server: string, port: number): TestApp {
  ensureOurs(user);
  ensureOurs(name);
  return {
    name,
    user,
    server,
    port,
    dir: `/home/${user}/${name}`,
    answers: ['--app-name', name, '--user', user, '--server-name', server, '--test-port', String(port), '--lang', 'en'],
  };
}

/** A new account for the app, its home private as Debian 12 makes homes (DIR_MODE=0700), whatever adduser.conf says. */
export function createServiceUser(user: string): void {
  ensureOurs(user);
  must(`adduser --disabled-password --gecos "" ${q(user)}`);
  must(`chmod 700 /home/${user}`);
  log(`/home/${user}: mode ${stat(`/home/${user}`).mode}, owner ${stat(`/home/${user}`).owner}`);
}

// ---------------------------------------------------------------------------------------------
// status, the run lock held on purpose, the guide followed by hand

/** The guide's steps in the curriculum's order, by id: the wizard's own list, not a copy of it. */
export const STEP_IDS: readonly StepId[] = GUIDE_STEP_IDS;

export interface StatusReport {
  complete: boolean;
  steps: { id: string; title: string; state: 'done' | 'todo' | 'changed' | 'skipped' }[];
}

/** `status --json` with these answer flags: it takes no run lock and changes nothing, so it runs at once. */
export async function statusJson(
  answers: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ run: WizardRun; report: StatusReport }> {
  const run = await runWizard(['status', '--json', ...answers], { env, once: true, prefix: 'status│ ' });
  try {
    return { run, report: JSON.parse(run.stdout) as StatusReport };
  } catch {
    throw new Error(`status --json printed no JSON (exit ${run.code ?? run.signal}):\n${run.stdout}${run.stderr}`);
  }
}

/** Each step's state in a status report, as `id state` lines in order (for a readable diff). */
export function statesOf(report: StatusReport): string[] {
  return report.steps.map((s) => `${s.id} ${s.state}`);
}

/**
 * Hold the wizard's run lock for `pid` (a process of the suite's own, a `sleep`), exactly as a
 * running wizard holds it, so that a second wizard can be seen refused. Taken only when nobody
 * holds it: another wizard is waited for. Returns the release, which removes the lock only while
 * it still names `pid`.
 */
export async function holdRunLock(pid: number): Promise<() => void> {
  for (let attempt = 1; ; attempt += 1) {
    await waitForRunLock();
    try {
      // As the wizard writes it: in root's private directory, the owner's pid and start time.
      mkdirSync(dirname(RUN_LOCK), { recursive: true, mode: 0o700 });
      writeFileSync(RUN_LOCK, `${pid} ${processStart(pid)}\n`, { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw error;
      // A lock whose wizard is gone: a wizard would take it over, stopping the command it names
      // first; the suite takes it over only when no such command is left.
      if (lockHolder() !== undefined) continue;
      const command = lockContent()?.command;
      if (command && processStart(command.pid) === command.start) {
        const why = `its command (process group ${command.pid}) still runs`;
        throw new Error(`${RUN_LOCK} names a dead wizard, but ${why}; not taking it over`);
      }
      rmSync(RUN_LOCK, { force: true });
    }
  }
  return () => {
    if (lockOwner() === pid) rmSync(RUN_LOCK, { force: true });
  };
}

/**
 * The guide followed by hand up to the uWSGI install, as the service user, the way a person does it
 * from the article (§3-4): mkdir, python3 -m venv, pip install uwsgi. The wizard has no part in it.
 */
export function followGuideByHand(user: string, app: string, appDir: string): void {
  ensureOurs(user);
  ensureOurs(app);
  const venv = `${appDir}/${app}env`;
  const steps: [string, number][] = [
    [`cd / && mkdir ${q(appDir)}`, 60_000],
    [`cd ${q(appDir)} && /usr/bin/python3 -m venv ${q(venv)}`, 300_000],
    [`cd ${q(appDir)} && ${q(`${venv}/bin/pip`)} install uwsgi`, 20 * 60_000],
  ];
  for (const [command, timeoutMs] of steps) {
    const line = `runuser -u ${q(user)} -- sh -c ${q(command)}`;
    const started = Date.now();
    const result = sh(line, timeoutMs);
    const tail = `${result.stdout}${result.stderr}`.trim().split('\n').slice(-2).join('\n    ');
    log(
      `by hand$ ${line}\n    → exit ${result.code} after ${((Date.now() - started) / 1000).toFixed(1)}s${tail ? `\n    ${tail}` : ''}`,
    );
    if (result.code !== 0) throw new Error(`\`${line}\` exited ${result.code}:\n${result.stdout}${result.stderr}`);
  }
}

/** The lines of `ss -ltn` whose local address ends in :port. */
export function listeners(port: number): string[] {
  return must('ss -ltn')
    .split('\n')
    .filter((line) => new RegExp(`:${port}\\s`).test(line));
}

/** The pid of nginx's master process, from its pidfile. */
export function nginxMaster(): number | undefined {
  try {
    const pid = Number(readFileSync('/run/nginx.pid', 'utf8').trim());
    return pid > 0 && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The transcript (the run's log)

export interface TranscriptCommand {
  step: string;
  /** `command`: a step's own (`== [step] $ …`); `rollback`: one taking a failed step back (`$ …` after `== [step] rolling back …`). */
  kind: 'command' | 'rollback';
  command: string;
  /** From its `-- exit CODE after SECONDSs` line; undefined when there is none. */
  exit?: string;
  seconds?: string;
}

/** The commands a transcript records, in order, each with the end recorded for it. */
export function transcriptCommands(transcript: string): TranscriptCommand[] {
  const found: TranscriptCommand[] = [];
  let rollingBack: string | undefined;
  for (const line of transcript.split('\n')) {
    const own = /^== \[([a-z0-9-]+)\] \$ (.*?)(?: {4}\(in [^)]*\))?$/.exec(line);
    const rollback = /^== \[([a-z0-9-]+)\] rolling back /.exec(line);
    const undo = rollingBack !== undefined ? /^\$ (.*)$/.exec(line) : null;
    const end = /^-- exit (\S+)(?: \(time limit reached\))? after (\d+\.\d)s$/.exec(line);
    const open = found.at(-1);
    if (own) {
      rollingBack = undefined;
      found.push({ step: own[1]!, kind: 'command', command: own[2]! });
    } else if (rollback) {
      rollingBack = rollback[1]!;
    } else if (undo) {
      found.push({ step: rollingBack!, kind: 'rollback', command: undo[1]! });
    } else if (end && open && open.exit === undefined) {
      Object.assign(open, { exit: end[1], seconds: end[2] });
    } else if (/^== \[/.test(line)) {
      rollingBack = undefined;
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// The plan as --dry-run prints it

export interface PlannedFile {
  path: string;
  owner: string;
  group: string;
  mode: string;
  content: string;
}

/**
 * The files of a --dry-run, `file: PATH    (owner U:G, mode 0644)` followed after its explanation
 * by the content as `  | ` lines (the final newline is not shown); or of the plain output of a
 * run, `File: PATH (owner U:G, mode 0644)` followed by the content as `  > ` lines.
 */
export function plannedFiles(text: string, contentPrefix: '  | ' | '  > ' = '  | '): PlannedFile[] {
  const files: PlannedFile[] = [];
  let current: (PlannedFile & { lines: string[] }) | undefined;
  const close = () => {
    if (current)
      files.push({
        path: current.path,
        owner: current.owner,
        group: current.group,
        mode: current.mode,
        content: `${current.lines.join('\n')}\n`,
      });
    current = undefined;
  };
  for (const line of text.split('\n')) {
    const header = /^file: (\S+)\s+\(owner ([^:\s]+):([^,\s]+), mode (0[0-7]{3,4})\)$/i.exec(line);
    if (header) {
      close();
      current = { path: header[1]!, owner: header[2]!, group: header[3]!, mode: header[4]!, content: '', lines: [] };
    } else if (current && (line.startsWith(contentPrefix) || line === contentPrefix.trimEnd())) {
      current.lines.push(line.slice(4));
    } else if (current && current.lines.length > 0) {
      close();
    }
  }
  close();
  return files;
}

/** The links a --dry-run makes: `run: ln -sfn TARGET LINK`. */
export function plannedLinks(dryRun: string): { target: string; link: string }[] {
  return [...dryRun.matchAll(/^run: (?:sudo )?ln -sfn (\S+) (\S+)$/gm)].map((m) => ({ target: m[1]!, link: m[2]! }));
}

/** Owner, group, octal mode and type of a path (the link itself with `lstat`, its target without). */
export function stat(path: string, followLinks = true): { owner: string; group: string; mode: string; type: string } {
  const [owner, group, mode, type] = must(`stat ${followLinks ? '-L ' : ''}-c '%U|%G|%a|%F' ${q(path)}`)
    .trim()
    .split('|');
  return { owner: owner!, group: group!, mode: mode!.padStart(4, '0'), type: type! };
}

// ---------------------------------------------------------------------------------------------
// Processes, from /proc

export interface Proc {
  pid: number;
  ppid: number;
  uid: number;
  gid: number;
  cmdline: string;
}

export function uidOf(user: string): number | undefined {
  const result = sh(`id -u ${q(user)}`);
  return result.code === 0 ? Number(result.stdout.trim()) : undefined;
}

export function gidOf(group: string): number | undefined {
  const result = sh(`getent group ${q(group)}`);
  return result.code === 0 ? Number(result.stdout.split(':')[2]) : undefined;
}

export function processesOf(uid: number): Proc[] {
  const found: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const realUid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
      if (realUid !== uid) continue;
      found.push({
        pid: Number(entry),
        ppid: Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]),
        uid: realUid,
        gid: Number(/^Gid:\s+(\d+)/m.exec(status)?.[1]),
        cmdline: readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim(),
      });
    } catch {
      // It ended while we looked.
    }
  }
  return found;
}

/**
 * The processes of a process group, whoever runs them, from /proc (a command the wizard started is a group of its
 * own).
 */
export function groupMembers(pgid: number): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so count from the last ")".
      const [, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) !== pgid) continue;
      found.push({
        pid: Number(entry),
        cmdline: readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim(),
      });
    } catch {
      // It ended while we looked.
    }
  }
  return found;
}

/** Whether a path exists, a dangling link included. */
export function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

export function alive(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

export async function waitUntil(what: () => boolean, timeoutMs: number, pollMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (what()) return true;
    await sleep(pollMs);
  }
  return what();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function listening(port: number): boolean {
  return sh(`curl -s -o /dev/null --max-time 3 http://127.0.0.1:${port}/`).code !== 7;
}

// ---------------------------------------------------------------------------------------------
// tmux: a real terminal for the interactive wizard, on a server of the suite's own

export class Tmux {
  constructor(readonly socket: string) {}

  private tmux(args: string[]): ShResult {
    // -u and a UTF-8 locale: the screen's ✓ ▶ ↷ and box lines must come back as they are drawn.
    const result = spawnSync('tmux', ['-u', '-L', this.socket, ...args], {
      encoding: 'utf8',
      env: { ...process.env, LANG: 'C.UTF-8' },
    });
    return {
      code: result.status,
      stdout: result.stdout ?? '',
      stderr: `${result.stderr ?? ''}${result.error?.message ?? ''}`,
    };
  }

  private must(args: string[]): string {
    const result = this.tmux(args);
    if (result.code !== 0) throw new Error(`tmux ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  }

  start(session: string, command: string, width = 160, height = 50): void {
    const args = ['new-session', '-d', '-s', session, '-x', String(width), '-y', String(height), command];
    // A session started just as the server's last session ended (Ctrl-C to the one before) reaches
    // a server on its way out: "server exited unexpectedly". A moment later a new server starts.
    for (let attempt = 1; ; attempt += 1) {
      const result = this.tmux(args);
      if (result.code === 0) return;
      if (attempt >= 3 || !/server exited unexpectedly/.test(result.stderr))
        throw new Error(`tmux ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      spawnSync('sleep', ['0.5']);
    }
  }

  /**
   * A second pane below the first, running `command`, `lines` high: the student's own shell beside
   * the wizard. Panes are then addressed as `SESSION:0.0` (the first) and `SESSION:0.1` (this one).
   */
  split(session: string, command: string, lines: number): void {
    this.must(['split-window', '-v', '-l', String(lines), '-t', `${session}:0.0`, command]);
  }

  /**
   * What the terminal shows now; with `history`, the lines scrolled off the top as well; with
   * `joinWrapped`, a line the terminal wrapped as one line (as the program wrote it).
   */
  capture(session: string, history = false, joinWrapped = false): string {
    const args = ['capture-pane', '-p', '-t', session, ...(history ? ['-S', '-'] : []), ...(joinWrapped ? ['-J'] : [])];
    return this.must(args).replace(/\s+$/, '\n');
  }

  /** Keys by tmux's names (Enter, Escape) or single characters. */
  keys(session: string, ...keys: string[]): void {
    this.must(['send-keys', '-t', session, ...keys]);
  }

  /** Everything the pane draws from now on, appended to `file` as it comes (escape codes and all). */
  record(session: string, file: string): void {
    this.must(['pipe-pane', '-t', session, '-o', `cat >> ${q(file)}`]);
  }

  /** Text typed literally. */
  type(session: string, text: string): void {
    this.must(['send-keys', '-t', session, '-l', text]);
  }

  /** Poll the screen until `ready` holds; the screen that satisfied it is returned. */
  async waitFor(
    session: string,
    label: string,
    ready: (screen: string) => boolean,
    timeoutMs = 60_000,
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = this.capture(session);
      if (ready(screen)) return screen;
      await sleep(200);
    }
    screen = this.capture(session);
    if (ready(screen)) return screen;
    throw new Error(`the screen did not show ${label} within ${timeoutMs / 1000}s; it shows:\n${screen}`);
  }

  killServer(): void {
    this.tmux(['kill-server']);
  }
}

/** A screen capture in the test log, framed. */
export function printScreen(label: string, screen: string): void {
  log(`\n┄┄┄┄ screen: ${label} ┄┄┄┄`);
  log(screen.replace(/\n+$/, ''));
  log('┄┄┄┄ end of screen ┄┄┄┄');
}

// ---------------------------------------------------------------------------------------------
// Clean-up: only what the suite made. Names are checked so that nothing else can be touched.

// The suite's own names, and those of the simulation's recorded run (test/record-simulation.ts).
const OURS = /^(e2e[a-z0-9]*|sammy|hello)$/;

function ensureOurs(name: string): void {
  if (!OURS.test(name)) throw new Error(`refusing to remove "${name}": the suite only removes names it made (e2e…)`);
}

/**
 * Stop the uWSGI started for APP (pidfile /run/APP/APP.pid), remove its nginx site and /run/APP. Returns whether
 * nginx's sites changed.
 */
export async function removeApp(app: string, user: string): Promise<boolean> {
  ensureOurs(app);
  ensureOurs(user);
  const pidFile = `/run/${app}/${app}.pid`;
  const uid = uidOf(user);
  if (existsSync(pidFile) && uid !== undefined) {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    const master = processesOf(uid).find((p) => p.pid === pid);
    if (master) {
      log(`cleanup: stopping uWSGI master ${pid} of ${app} (SIGTERM: die-on-term)`);
      process.kill(pid, 'SIGTERM');
      if (!(await waitUntil(() => !alive(pid), 15_000))) process.kill(pid, 'SIGKILL');
    }
  }
  let sitesChanged = false;
  for (const path of [`/etc/nginx/sites-enabled/${app}`, `/etc/nginx/sites-available/${app}`]) {
    if (sh(`test -e ${q(path)} || test -L ${q(path)}`).code === 0) {
      log(`cleanup: removing ${path}`);
      must(`rm -f ${q(path)}`);
      sitesChanged = true;
    }
  }
  // Backups the wizard keeps when it replaces a different file (APP.bak-…).
  sh(`rm -f /etc/nginx/sites-available/${app}.bak-*`);
  if (existsSync(`/run/${app}`)) {
    log(`cleanup: removing /run/${app}`);
    must(`rm -rf ${q(`/run/${app}`)}`);
  }
  return sitesChanged;
}

/** Make nginx forget removed sites (only when it runs and its configuration is valid). */
export function reloadNginx(): void {
  if (sh('command -v nginx').code !== 0 || sh('pgrep -x nginx').code !== 0) return;
  const test = sh('nginx -t');
  if (test.code !== 0) {
    log(`cleanup: nginx -t fails, not reloading:\n${test.stderr}`);
    return;
  }
  const reload = sh('service nginx reload');
  log(`cleanup: service nginx reload → exit ${reload.code}`);
}

/** Stop every process of the user (by pid), then delete the user and its home. */
export async function removeUser(user: string): Promise<void> {
  ensureOurs(user);
  const uid = uidOf(user);
  if (uid === undefined) return;
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    const left = processesOf(uid);
    if (left.length === 0) break;
    log(`cleanup: ${signal} to ${user}'s processes ${left.map((p) => p.pid).join(' ')}`);
    for (const p of left) {
      try {
        process.kill(p.pid, signal);
      } catch {
        // Gone already.
      }
    }
    await waitUntil(() => processesOf(uid).length === 0, 10_000);
  }
  log(`cleanup: deluser --remove-home ${user}`);
  const result = sh(`deluser --remove-home ${q(user)}`);
  if (result.code !== 0) log(`cleanup: deluser exited ${result.code}: ${result.stderr}`);
  if (sh(`getent group ${q(user)}`).code === 0) sh(`delgroup ${q(user)}`);
}

/**
 * Remove a file the suite itself put into nginx's configuration (sites-enabled/e2e…, e.g. a broken site). Returns
 * whether it was there.
 */
export function removeNginxFile(path: string): boolean {
  if (!/^\/etc\/nginx\/sites-(enabled|available)\/e2e[a-z0-9-]*$/.test(path))
    throw new Error(`refusing to remove "${path}": the suite only removes nginx files it made (e2e…)`);
  if (sh(`test -e ${q(path)} || test -L ${q(path)}`).code !== 0) return false;
  log(`cleanup: removing ${path}`);
  must(`rm -f ${q(path)}`);
  return true;
}

/**
 * Everything the suite made for these apps and this user (and the nginx files it wrote itself), then what is left,
 * named.
 */
export async function removeAppsAndUser(user: string, apps: string[], nginxFiles: string[] = []): Promise<void> {
  let sitesChanged = false;
  for (const file of nginxFiles) sitesChanged = removeNginxFile(file) || sitesChanged;
  for (const app of apps) sitesChanged = (await removeApp(app, user)) || sitesChanged;
  if (sitesChanged) reloadNginx();
  await removeUser(user);
  const places = [
    `/home/${user}`,
    ...nginxFiles,
    ...apps.flatMap((app) => [`/run/${app}`, `/etc/nginx/sites-enabled/${app}`, `/etc/nginx/sites-available/${app}`]),
  ];
  for (const path of places) if (present(path)) log(`cleanup: ${path} is still there`);
}

/** Every file of a directory with its bytes, mode, owner and time: what "left as it was" compares. */
export function treeSnapshot(dir: string): string {
  const lines: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(at, entry.name);
      const stat = statSync(path);
      const what = entry.isDirectory()
        ? 'dir'
        : createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
      lines.push(`${path.slice(dir.length)} ${stat.mode.toString(8)} ${stat.uid} ${stat.mtimeMs} ${what}`);
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return lines.join('\n');
}
