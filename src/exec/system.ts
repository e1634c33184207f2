// The real machine: the only module that runs commands, writes files and looks at the system.
// Commands run asynchronously and stream their output: a synchronous run would block the event
// loop and freeze the screen for the whole of a minute-long build.
//
// Commands are started with child_process.spawn rather than shelljs's async exec: exec (Node's
// execFile underneath) neither puts the child in a process group of its own, so Ctrl-C could not
// reach a uWSGI under runuser under /bin/sh, nor lets stdin be /dev/null, and uWSGI adopts a
// socket on fd 0 as an extra listening socket ("inherited UNIX address @ fd 0"). It also keeps
// the whole output in memory for its callback. (shelljs is gone: its one other use, `which`, is a PATH look-up in
// platform.ts.)
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { octal } from '../engine/plan.js';
import type {
  FileDifference,
  PathState,
  ProbeAnswer,
  RunOutcome,
  RunningCommand,
  System,
  WriteOutcome,
} from '../engine/ports.js';
import { WriteFileError } from '../engine/ports.js';
import type {
  CommandAction,
  FileAction,
  Probe,
  UwsgiExpectation,
  UwsgiInstance,
  UwsgiTarget,
} from '../engine/types.js';
import { runsPackageManager, shellLine } from '../engine/commands.js';
import { batchOutput } from './output-batch.js';
import { dpkgAtWorkUnder, listProcesses, processExists, uwsgiArgv } from './proc.js';
import { openOutputPipe } from './output-pipe.js';
import { readSource } from './own-app-source.js';

/** After Ctrl-C (SIGINT), how long a command gets before SIGTERM, then SIGKILL. */
const STOP_GRACE_MS = 5000;
/** After the command exits, how long the output of what it left running is still read. */
export const DRAIN_AFTER_EXIT_MS = 2000;

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a short command to completion without blocking the event loop. */
export function execQuiet(command: string, options: { cwd?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = spawnShell(command, options.cwd);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: string) => (stdout += d));
    child.stderr?.on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: `${stderr}${error.message}\n` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

// Each command gets its own process group (detached), so that stopping it reaches the shell's
// children too: a uWSGI under runuser under /bin/sh must not outlive a Ctrl-C. The wizard still
// waits for it and stops it on exit; detached here only means "own group".
// With `outputFd`, the command writes its stdout and stderr there (see output-pipe.ts); otherwise
// to Node's pipes, read as text.
function spawnShell(command: string, cwd = '/', outputFd?: number): ChildProcess {
  const output = outputFd ?? 'pipe';
  const child = spawn('/bin/sh', ['-c', command], { cwd, detached: true, stdio: ['ignore', output, output] });
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  return child;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Told when a command's process group starts and ends (the run lock keeps it, see progress-store). */
export interface CommandWatcher {
  started(processGroup: number): void;
  ended(processGroup: number): void;
}

export function startCommand(
  action: CommandAction,
  onOutput: (text: string) => void,
  watcher?: CommandWatcher,
): RunningCommand {
  const startedAt = Date.now();
  const pipe = openOutputPipe();
  let child: ChildProcess;
  try {
    child = pipe ? spawnShell(action.command, action.cwd, pipe.writeFd) : spawnShell(action.command, action.cwd);
  } catch (error) {
    // spawn throws (rather than emitting 'error') for some refusals, e.g. a directory that is a file.
    pipe?.reader.destroy();
    throw error;
  } finally {
    pipe?.closeWriteEnd();
  }
  if (child.pid !== undefined) watcher?.started(child.pid);
  let timedOut = false;
  let closed = false;
  // stdout and stderr share one batch (and, with the pipe, one stream), so that their lines stay
  // in the order they came.
  const output = batchOutput(onOutput);
  const streams = pipe ? [pipe.reader] : [child.stdout, child.stderr].filter((stream) => stream !== null);
  // Both kinds are read as text already (openOutputPipe, spawnShell).
  for (const stream of streams) {
    stream.on('data', output.push);
    // A failed read ends the output (the stream then closes), not the wizard.
    stream.on('error', (error) => output.push(`${error.message}\n`));
  }
  // apt and dpkg are never signalled once dpkg has begun its work, not even at their time limit:
  // dpkg cut off while it unpacks leaves the machine's packages half-installed ("dpkg was
  // interrupted"). A stop then waits for them (the screen says so); apt's own network and lock
  // timeouts bound them. Before that, while apt only waits for another's lock or downloads, a stop
  // interrupts it (SIGINT once: apt then exits having changed nothing).
  const packageManager = runsPackageManager(action.command);
  let dpkgHasWorked = false;
  const mustFinish = (): boolean => {
    if (!packageManager) return false;
    if (!dpkgHasWorked && child.pid !== undefined) dpkgHasWorked = dpkgAtWorkUnder(child.pid);
    return dpkgHasWorked;
  };
  // dpkg runs several times for one apt (unpack, configure) with apt's own work between: once seen
  // at work, the command is never signalled again, so it is looked for while it runs.
  const dpkgWatch = packageManager
    ? setInterval(() => {
        if (mustFinish()) clearInterval(dpkgWatch);
      }, DPKG_WATCH_MS)
    : undefined;
  const escalate = (steps: NodeJS.Signals[]) => {
    const [first, ...rest] = steps;
    if (!first || closed) return;
    killGroup(child, first);
    if (rest.length > 0) setTimeout(() => escalate(rest), STOP_GRACE_MS).unref();
  };
  const limit = packageManager
    ? undefined
    : setTimeout(() => {
        timedOut = true;
        escalate(['SIGTERM', 'SIGKILL']);
      }, action.timeoutSec * 1000);
  const done = new Promise<RunOutcome>((resolve) => {
    const finish = (exitCode: number | null, signal: string | null) => {
      if (closed) return;
      closed = true;
      output.flush();
      if (child.pid !== undefined) watcher?.ended(child.pid);
      clearTimeout(limit);
      clearInterval(dpkgWatch);
      resolve({ exitCode, signal, timedOut, durationMs: Date.now() - startedAt });
    };
    if (pipe) {
      // Done when the command has exited and its output is read to the end. A process it left
      // running in the background may keep the output open for ever; its output is read for
      // DRAIN_AFTER_EXIT_MS more, then no longer (Node's own 'close' would wait for it).
      const exited = new Promise<[number | null, string | null]>((resolveExit) =>
        child.on('exit', (code, signal) => {
          setTimeout(() => pipe.reader.destroy(), DRAIN_AFTER_EXIT_MS).unref();
          resolveExit([code, signal]);
        }),
      );
      const drained = new Promise<void>((resolveDrain) => pipe.reader.on('close', () => resolveDrain()));
      void Promise.all([exited, drained]).then(([[code, signal]]) => finish(code, signal));
    } else {
      child.on('close', finish);
    }
    // The shell could not be started at all (its directory is missing): no 'exit' follows.
    child.on('error', (error) => {
      pipe?.reader.destroy();
      output.push(`${error.message}\n`);
      finish(127, null);
    });
  });
  const stop = (): void => {
    if (!packageManager) escalate(['SIGINT', 'SIGTERM', 'SIGKILL']);
    // Checked at this very moment: a dpkg that started since the last look is not signalled.
    else if (!mustFinish()) escalate(['SIGINT']);
  };
  return { done, stop, mustFinish };
}

/** How often a running apt is looked at for a dpkg at work (reading /proc: well under a millisecond). */
const DPKG_WATCH_MS = 100;

async function lookupIds(owner: string, group: string): Promise<{ uid: number; gid: number }> {
  const result = await execQuiet(`${shellLine('id', '-u', owner)} && ${shellLine('getent', 'group', group)}`);
  const [uidLine, groupLine] = result.stdout.trim().split('\n');
  const uid = Number(uidLine);
  const gid = Number(groupLine?.split(':')[2]);
  if (result.code !== 0 || !Number.isInteger(uid) || !Number.isInteger(gid)) {
    throw new WriteFileError({ kind: 'no-account', owner, group });
  }
  return { uid, gid };
}

/**
 * Write a file as shown, atomically (temporary file, then rename). A file already holding exactly
 * this content is left alone; one that differs is first copied beside itself with a timestamp, so
 * that nothing the person had is lost.
 */
export async function writeFileAs(file: FileAction): Promise<WriteOutcome> {
  try {
    return await writeFileShown(file);
  } catch (error) {
    // The system's refusal as data (its code), so that the screen says it in the person's language.
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof WriteFileError || typeof code !== 'string') throw error;
    throw new WriteFileError({ kind: 'refused', path: file.path, code });
  }
}

async function writeFileShown(file: FileAction): Promise<WriteOutcome> {
  const current = await readText(file.path);
  if (current === file.content) return { written: false };
  const asRoot = process.getuid?.() === 0;
  let backup: string | undefined;
  if (current !== undefined) {
    backup = `${file.path}.bak-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`;
    const copy = await execQuiet(shellLine(...(asRoot ? [] : ['sudo']), 'cp', '-p', file.path, backup));
    if (copy.code !== 0) throw new WriteFileError({ kind: 'no-backup', path: file.path, output: copy.stderr.trim() });
  }
  if (asRoot) {
    const { uid, gid } = await lookupIds(file.owner, file.group);
    await writeFileAtomic(file.path, file.content, { mode: file.mode, chown: { uid, gid } });
    // write-file-atomic applies mode through the umask; set it exactly as shown.
    await fs.chmod(file.path, file.mode);
    return { written: true, backup };
  }
  // Not root: write a private temporary copy, then let sudo install it with the shown owner and mode.
  const tempPath = `${process.env.TMPDIR ?? '/tmp'}/${file.path.replace(/\//g, '_')}.${process.pid}.tmp`;
  await writeFileAtomic(tempPath, file.content, { mode: 0o600 });
  const result = await execQuiet(
    shellLine('sudo', 'install', '-o', file.owner, '-g', file.group, '-m', octal(file.mode), tempPath, file.path),
  );
  await fs.rm(tempPath, { force: true });
  if (result.code !== 0)
    throw new WriteFileError({
      kind: 'not-installed',
      output: result.stderr.trim() || `sudo install exited with ${result.code}`,
    });
  return { written: true, backup };
}

/** The last lines a program printed, as it printed them (empty lines left out). */
function lastLines(text: string, count = 5): string[] {
  return text.trim().split('\n').filter(Boolean).slice(-count);
}

export async function probe(p: Probe): Promise<ProbeAnswer> {
  switch (p.kind) {
    case 'packages': {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format, not a template
      const result = await execQuiet(shellLine('dpkg-query', '-W', '-f=${Package} ${db:Status-Status}\\n', ...p.names));
      const installed = new Set(
        result.stdout
          .split('\n')
          .filter((line) => line.endsWith(' installed'))
          .map((line) => line.split(' ')[0]),
      );
      const missing = p.names.filter((name) => !installed.has(name));
      return { ok: missing.length === 0, observed: { kind: 'packages', missing } };
    }
    case 'command': {
      const result = await execQuiet(p.command, { cwd: p.cwd });
      const matches = p.expectOutput === undefined || new RegExp(p.expectOutput, 'm').test(result.stdout);
      return {
        ok: result.code === 0 && matches,
        observed: { kind: 'command', exitCode: result.code, output: lastLines(`${result.stdout}${result.stderr}`) },
      };
    }
    case 'file':
      return probeFile(p);
    case 'http':
      return probeHttp(p.url, p.host, p.expectBody);
    case 'processes':
      return probeProcesses(p.user, p.match, p.count);
    case 'socket':
      return probeSocket(p);
    case 'port-free':
      return probePortFree(p.port);
    case 'uwsgi': {
      const found = await findUwsgiServing(p.serving);
      return { ok: uwsgiAsExpected(found, p.expect), observed: { kind: 'uwsgi', found } };
    }
  }
}

async function probeSocket(p: Extract<Probe, { kind: 'socket' }>): Promise<ProbeAnswer> {
  const result = await execQuiet(shellLine('stat', '-c', '%F|%a|%G', p.path));
  if (result.code !== 0) {
    const missing = await fs.lstat(p.path).then(
      () => false,
      (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
    );
    return {
      ok: false,
      observed: missing
        ? { kind: 'socket', exists: false }
        : { kind: 'socket', exists: false, error: lastLines(result.stderr).join('\n') },
    };
  }
  const [type, mode, group = ''] = result.stdout.trim().split('|');
  const isSocket = type === 'socket';
  const foundMode = parseInt(mode ?? '', 8);
  return {
    ok: isSocket && foundMode === p.mode && group === p.group,
    observed: { kind: 'socket', exists: true, isSocket, mode: foundMode, group },
  };
}

/** Lines of a diff shown under a check; the screen says how many more a longer one has. */
const DIFF_LINES = 12;

/**
 * How a file differs from what was expected: the changed lines with one line of context, `-` expected and `+` found,
 * short enough to read under a check.
 */
export async function shortDiff(expected: string, found: string): Promise<{ diff: string[]; more?: number }> {
  // Loaded only when a file differs, not on every probe.
  const { structuredPatch } = await import('diff');
  const patch = structuredPatch('expected', 'found', expected, found, '', '', { context: 1 });
  const lines = patch.hunks.flatMap((hunk) => [
    `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`,
    ...hunk.lines.filter((line) => !line.startsWith('\\')),
  ]);
  if (lines.length <= DIFF_LINES) return { diff: lines };
  return { diff: lines.slice(0, DIFF_LINES), more: lines.length - DIFF_LINES };
}

async function probeFile(p: Extract<Probe, { kind: 'file' }>): Promise<ProbeAnswer> {
  let content: string;
  try {
    content = await fs.readFile(p.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      observed:
        code === 'ENOENT'
          ? { kind: 'file', exists: false }
          : { kind: 'file', exists: false, error: code ?? String(error) },
    };
  }
  const differences: FileDifference[] = [];
  if (p.content !== undefined && content !== p.content)
    differences.push({ what: 'content', ...(await shortDiff(p.content, content)) });
  if (p.owner || p.group || p.mode !== undefined || p.executable) {
    const result = await execQuiet(shellLine('stat', '-L', '-c', '%U|%G|%a', p.path));
    const [owner = '', group = '', mode = '0'] = result.stdout.trim().split('|');
    if (p.owner && owner !== p.owner) differences.push({ what: 'owner', found: owner });
    if (p.group && group !== p.group) differences.push({ what: 'group', found: group });
    if (p.mode !== undefined && parseInt(mode, 8) !== p.mode)
      differences.push({ what: 'mode', found: parseInt(mode, 8) });
    if (p.executable && !(parseInt(mode, 8) & 0o111)) differences.push({ what: 'not-executable' });
  }
  return { ok: differences.length === 0, observed: { kind: 'file', exists: true, differences } };
}

function probeHttp(url: string, host: string | undefined, expectBody: string): Promise<ProbeAnswer> {
  return new Promise((resolve) => {
    const answered = (response: http.IncomingMessage): void => {
      // nginx sending the browser on to HTTPS for the same name (certbot's redirect, issue 18): asked there next, on
      // the same machine, as the browser would. The certificate is not judged here: the HTTPS step's checks prove it.
      const location = response.headers.location;
      if (
        host &&
        url.startsWith('http:') &&
        isRedirect(response.statusCode) &&
        location?.startsWith(`https://${host}/`)
      ) {
        response.resume();
        const { hostname } = new URL(url);
        const options = {
          hostname,
          port: 443,
          path: new URL(location).pathname,
          servername: host,
          headers: { Host: host },
        };
        const again = https.get({ ...options, rejectUnauthorized: false, timeout: 5000 }, read);
        watch(again);
        return;
      }
      read(response);
    };
    const read = (response: http.IncomingMessage): void => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (body.length < 64 * 1024) body += chunk;
      });
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        const summary = body.replace(/\s+/g, ' ').trim().slice(0, 120);
        resolve({ ok: status === 200 && body.includes(expectBody), observed: { kind: 'http', status, body: summary } });
      });
    };
    const watch = (request: http.ClientRequest): void => {
      // No answer within 5 s: reported with the code a connect timeout has.
      request.on('timeout', () => request.destroy(Object.assign(new Error('ETIMEDOUT'), { code: 'ETIMEDOUT' })));
      request.on('error', (error: NodeJS.ErrnoException) =>
        resolve({ ok: false, observed: { kind: 'http', error: error.code ?? error.message } }),
      );
    };
    watch(http.get(url, { headers: host ? { Host: host } : {}, timeout: 5000 }, answered));
  });
}

function isRedirect(status: number | undefined): boolean {
  return status === 301 || status === 302 || status === 307 || status === 308;
}

/** Count the processes of `user` whose command line contains `match`, straight from /proc. */
async function probeProcesses(user: string, match: string, count: number): Promise<ProbeAnswer> {
  const idResult = await execQuiet(shellLine('id', '-u', user));
  const uid = idResult.stdout.trim();
  if (idResult.code !== 0) return { ok: false, observed: { kind: 'processes', running: 0, userMissing: true } };
  const running = (await listProcesses()).filter(
    (process) => String(process.realUid) === uid && process.commandLine.includes(match),
  ).length;
  return { ok: running === count, observed: { kind: 'processes', running } };
}

/** Whether the uWSGI found serving the app is what the probe expects (types.ts, UwsgiExpectation). */
export function uwsgiAsExpected(found: UwsgiInstance[], expect: UwsgiExpectation): boolean {
  if (expect.kind === 'by-hand-none') return found.every((instance) => instance.startedBy !== 'by-hand');
  const [only] = found;
  return (
    found.length === 1 &&
    only !== undefined &&
    (expect.by === 'any' || only.startedBy === expect.by) &&
    only.workers + 1 === expect.processes
  );
}

interface ProcInfo {
  pid: number;
  ppid: number;
  uid: string;
  argv: string[];
  comm: string;
  startTicks: number;
}

/** The socket inodes held by a process (readable for one's own processes, or as root). */
async function socketInodes(pid: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  const fds = await fs.readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  for (const fd of fds) {
    const target = await fs.readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  return inodes;
}

/**
 * The unix sockets bound to a path, by inode: the path as it was bound, so relative to the binder's
 * directory when not absolute (the guide's `socket = myapp.sock`), or `@name` for an abstract one.
 */
async function boundUnixSockets(): Promise<Map<string, string>> {
  const table = (await readText('/proc/net/unix')) ?? '';
  const bound = new Map<string, string>();
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const inode = fields[6];
    const path = fields.slice(7).join(' ');
    if (inode && path) bound.set(inode, path);
  }
  return bound;
}

/** Where a socket bound as `bound` by a process running in `cwd` is: a relative bind is in its directory. */
function socketPath(bound: string, cwd: string | undefined): string {
  return bound.startsWith('/') || bound.startsWith('@') || cwd === undefined ? bound : join(cwd, bound);
}

/** Inodes of TCP sockets listening on `port` (IPv4 and IPv6). */
async function listeningInodes(port: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of ((await readText(file)) ?? '').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const localPort = Number.parseInt(fields[1]?.split(':').pop() ?? '', 16);
      // 0A: LISTEN.
      if (fields[3] === '0A' && localPort === port && fields[9]) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** A uWSGI process, read from /proc; undefined for any other (only its name and command line are read then). */
async function readUwsgiProc(pid: number): Promise<ProcInfo | undefined> {
  try {
    const [comm, cmdline] = await Promise.all([
      fs.readFile(`/proc/${pid}/comm`, 'utf8'),
      fs.readFile(`/proc/${pid}/cmdline`, 'utf8'),
    ]);
    if (!isUwsgi(comm.trim(), cmdline)) return undefined;
    const [status, stat] = await Promise.all([
      fs.readFile(`/proc/${pid}/status`, 'utf8'),
      fs.readFile(`/proc/${pid}/stat`, 'utf8'),
    ]);
    // The fields after the command name, which is in parentheses and may hold spaces.
    const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      pid,
      ppid: Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0),
      uid: /^Uid:\s+(\d+)/m.exec(status)?.[1] ?? '',
      argv: cmdline.split('\0').filter(Boolean),
      comm: comm.trim(),
      // Field 22 of stat, the 20th after the name: start time in clock ticks after boot.
      startTicks: Number(afterName[19] ?? 0),
    };
  } catch {
    // The process ended while we looked.
    return undefined;
  }
}

// The wheel's uWSGI (pyuwsgi) is a Python script: named uwsgi when started, but after a reload through
// the ini's binary-path its processes are `python …/bin/uwsgi` with the comm `python`.
function isUwsgi(comm: string, cmdline: string): boolean {
  return comm === 'uwsgi' || uwsgiArgv(cmdline.split('\0').filter(Boolean)) !== undefined;
}

/**
 * Every uWSGI serving the app, however it was started: each uWSGI process on the machine (by its
 * program name) is grouped with its master, and a group serves the app when one of its processes
 * runs in the app's directory, names one of its paths, holds its socket or test port, or is named
 * by its pidfile. Working directories and open sockets of another account's processes can only be
 * read as root; the command line always can.
 */
export async function findUwsgiServing(target: UwsgiTarget): Promise<UwsgiInstance[]> {
  const procs: ProcInfo[] = [];
  for (const entry of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const proc = await readUwsgiProc(Number(entry));
    if (proc) procs.push(proc);
  }
  if (procs.length === 0) return [];
  const byPid = new Map(procs.map((proc) => [proc.pid, proc]));
  const masterOf = (proc: ProcInfo): ProcInfo => {
    let master = proc;
    while (byPid.has(master.ppid)) master = byPid.get(master.ppid)!;
    return master;
  };
  const unixSockets = await boundUnixSockets();
  const portInodesWanted = target.port !== undefined ? await listeningInodes(target.port) : new Set<string>();
  const pidFilePid = target.pidFile ? Number((await readText(target.pidFile))?.trim()) : Number.NaN;
  const mentions = [target.appDir, target.socket, ...(target.paths ?? [])].filter((m): m is string => !!m);
  const instances = new Map<number, { master: ProcInfo; members: ProcInfo[]; serves: Set<string>; matched: boolean }>();
  for (const proc of procs) {
    const master = masterOf(proc);
    const instance = instances.get(master.pid) ?? { master, members: [], serves: new Set<string>(), matched: false };
    instances.set(master.pid, instance);
    instance.members.push(proc);
    const cwd = await fs.readlink(`/proc/${proc.pid}/cwd`).catch(() => undefined);
    const inodes = [...(await socketInodes(proc.pid))];
    // What it serves is where its sockets really are: a socket of the same name in another directory
    // (the guide's beside the app, the service's in /run) is not the app's socket.
    const sockets = inodes.flatMap((inode) => {
      const bound = unixSockets.get(inode);
      return bound === undefined ? [] : [socketPath(bound, cwd)];
    });
    const holdsSocket = target.socket !== undefined && sockets.includes(target.socket);
    const holdsPort = inodes.some((inode) => portInodesWanted.has(inode));
    for (const socket of sockets) instance.serves.add(socket);
    if (holdsPort) instance.serves.add(`:${target.port}`);
    // What it was told to run, after the program itself: the venv's uwsgi lies in the app directory, and
    // started by that path to serve another directory and socket it is not this app's (tried: a test
    // that borrowed the app's uwsgi was stopped by the app's undo).
    const program = proc.argv.findIndex((word) => word.split('/').pop() === 'uwsgi');
    const args = proc.argv.slice(Math.max(program, 0) + 1);
    if (
      holdsSocket ||
      holdsPort ||
      proc.pid === pidFilePid ||
      (target.appDir !== undefined && cwd === target.appDir) ||
      mentions.some((mention) => args.some((word) => namesPath(word, mention)))
    )
      instance.matched = true;
  }
  const names = await accountNames();
  const bootSec = await bootTime();
  const found: UwsgiInstance[] = [];
  for (const { master, members, serves, matched } of instances.values()) {
    if (!matched) continue;
    const cgroup = (await readText(`/proc/${master.pid}/cgroup`)) ?? '';
    const startedBy =
      target.unit && cgroup.includes(`/${target.unit}`) ? 'systemd' : master.pid === pidFilePid ? 'pidfile' : 'by-hand';
    const cwd = await fs.readlink(`/proc/${master.pid}/cwd`).catch(() => undefined);
    found.push({
      pid: master.pid,
      user: names.get(master.uid) ?? master.uid,
      startedBy,
      // USER_HZ: 100 on every Linux the wizard runs on (sysconf(_SC_CLK_TCK)).
      since: new Date((bootSec + master.startTicks / 100) * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
      command: master.argv.join(' '),
      ...(cwd ? { cwd } : {}),
      workers: members.length - 1,
      others: members.filter((member) => member !== master).map((member) => member.pid),
      serves: [...serves],
    });
  }
  return found.sort((a, b) => a.pid - b.pid);
}

/** Whether a word of a command line names `path` or a file under it, alone or as an option's value (`--ini=…`). */
function namesPath(word: string, path: string): boolean {
  const value = word.slice(word.indexOf('=') + 1);
  return value === path || value.startsWith(`${path}/`);
}

async function accountNames(): Promise<Map<string, string>> {
  const passwd = (await readText('/etc/passwd')) ?? '';
  return new Map(
    passwd
      .split('\n')
      .map((line) => line.split(':'))
      .filter((fields) => fields.length > 2)
      .map((fields) => [fields[2]!, fields[0]!]),
  );
}

async function bootTime(): Promise<number> {
  return Number(/^btime\s+(\d+)/m.exec((await readText('/proc/stat')) ?? '')?.[1] ?? 0);
}

/** The pids of processes whose command line starts with `prefix` (`nginx: worker process`), from /proc. */
export async function processesNamed(prefix: string): Promise<number[]> {
  return (await listProcesses()).filter((process) => process.commandLine.startsWith(prefix)).map(({ pid }) => pid);
}

/** Resolves once none of `pids` exists any more, or after `timeoutMs`; tells which. */
export async function processesEnded(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const alive = () => pids.filter(processExists);
  while (alive().length > 0) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

function probePortFree(port: number): Promise<ProbeAnswer> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      resolve({
        ok: false,
        observed:
          error.code === 'EADDRINUSE'
            ? { kind: 'port-free', inUse: true }
            : { kind: 'port-free', inUse: false, error: error.code ?? error.message },
      }),
    );
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () =>
      server.close(() => resolve({ ok: true, observed: { kind: 'port-free', inUse: false } })),
    );
  });
}

export function readText(path: string): Promise<string | undefined> {
  return fs.readFile(path, 'utf8').catch(() => undefined);
}

export async function inspectPath(path: string): Promise<PathState> {
  try {
    const stat = await fs.lstat(path);
    if (stat.isSymbolicLink()) return { kind: 'link', target: await fs.readlink(path) };
    return { kind: stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other' };
  } catch {
    // Missing, or hidden from this account (a private home directory): nothing the wizard made.
    return { kind: 'none' };
  }
}

export function createRealSystem(watcher?: CommandWatcher): System {
  return {
    start: (action, onOutput) => startCommand(action, onOutput, watcher),
    inspect: inspectPath,
    readText,
    writeFile: writeFileAs,
    probe,
    readSource,
  };
}

export const realSystem: System = createRealSystem();
