// The VM harness of `npm run test:vm`: real Debian machines, systemd as PID 1, booted with
// `systemd-nspawn -b` in a network namespace of their own, for the wizard to run in for real.
//
//   const guest = await bootGuest(t, 'trixie');          // cached tree → its disk → netns → boot → ready
//   await guest.createUser('demo', { password: 'pw', sudo: 'password' });
//   await guest.must('apt-get update', { user: 'demo' }); // over ssh, with a time limit
//   await guest.reboot();                                 // same disk, fresh /run, systemd boots again
//   tmux.start('w', guest.sshCommandLine('demo', '/usr/local/bin/wizard'));  // an interactive run
//   // t.after: poweroff, kill by pid, netns, veth, nft table, cgroups and the disk are removed.
//
// How it is put together (each choice measured on the CI machine: Debian 12 host, 2 cores, no
// init system, kernel 6.18, systemd-nspawn 252, hybrid cgroups: v1 controllers + cgroup2 at
// /sys/fs/cgroup/unified):
// - Trees: `debootstrap --variant=minbase` of each suite with what a booted, reachable machine
//   needs (PACKAGES), configured by configureTree() (the proxy's CA, apt sources, apt timers
//   off), cached in CACHE_DIR/trees/<suite>-<hash of the recipe>; built in a temporary directory
//   under a per-suite lock and renamed when complete, so a half-built tree is never used.
// - Each guest boots its own disk that survives its reboots and is removed at the end: an overlay
//   mounted on the cached tree (upper and work directories of its own; mounted in 0.0 s, only
//   what changes is written) or, with `disk: 'copy'` or without overlayfs, a copy (`cp -a`:
//   0.8–1.9 s with the tree in the page cache, 6–11 s right after other large writes, ~300 MB
//   each). `--ephemeral` would lose the disk at each reboot (nspawn exits on a reboot).
// - Network: `ip netns add`, a veth pair (host end 10.213.N.1/30, the other end moved into the
//   netns as eth0 with 10.213.N.2/30 and a default route, configured from the host: nothing in the
//   guest runs DHCP or networkd, and the netns keeps it across reboots), nftables masquerade in a
//   table of our own, ip_forward on while guests exist. nspawn joins the netns with
//   --network-namespace-path: `ip netns exec` mounts a fresh /sys, which hides the cgroup mounts
//   and makes nspawn fail ("Failed to determine whether the unified cgroups hierarchy is used").
//   The guest resolves with the host's nameservers (10.255.255.53 here), reached through the NAT.
// - cgroups: without a systemd on the host, `--keep-unit` makes nspawn use the cgroup it runs in
//   (the root here) and create payload/ and supervisor/ there; each guest's nspawn is moved first
//   into a cgroup of its own (uwsgi-guide-vm-N in every writable hierarchy) so that guests never
//   share one, and the leftovers are removed after each boot. SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1
//   gives the guest a pure cgroup2 tree, as real Debian 12 and 13 have (trixie's systemd 257 on
//   the host's hybrid layout boots but taints itself "cgroupsv1").
// - A reboot makes nspawn exit with 133; the harness starts it again on the same disk and netns.
// - nspawn runs in a session of its own (Ctrl-C at the terminal does not reach it) under
//   `setpriv --pdeathsig TERM` (a test process that dies shuts its guests down), and every guest is
//   recorded in STATE_DIR so that a later run removes what a killed one left (sweepStale()).
//
// Measured here (CI machine above, deb.debian.org through the transparent proxy):
//   debootstrap + configure: bookworm 73–127 s, trixie 69–120 s (both at once; ~290 MB each)
//   the guest's disk: overlay 0.0 s; a copy 0.8–11 s   boot to `is-system-running` = running: 1.5–2 s
//   reboot (`systemctl reboot` → nspawn exits 133 → boot again → running): 2.2–3 s
//   poweroff 0.6 s, removal (network, cgroups, disk) 0.8 s; apt-get update inside: 2.5–3 s
//   the smoke test (boot.test.ts, 6 tests, 7 guests): 57–67 s on a warm cache, 141 s building both trees
//   SIGINT/SIGTERM to a test run: its guests are gone ~1 s later; after SIGKILL nspawn halts at
//   once (pdeathsig) and the next run's sweep removes the rest
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  rmdirSync,
  statfsSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { log, q } from '../e2e/machine.js';

// ---------------------------------------------------------------------------------------------
// Constants

export type Suite = 'bookworm' | 'trixie';
/** The suites the harness can build, with the VERSION_ID their /etc/os-release says. */
export const SUITES: Record<Suite, { versionId: string }> = {
  bookworm: { versionId: '12' },
  trixie: { versionId: '13' },
};

/** Trees, guest copies and console logs; outside the repository, kept between runs. */
// Not UWSGI_…: uWSGI reads every UWSGI_* environment variable as an option of its own.
export const CACHE_DIR = process.env.GUIDE_VM_CACHE ?? '/var/cache/uwsgi-nginx-guide-vm';
/** What the live guests of all processes are: one directory per guest index, removed with it. */
export const STATE_DIR = '/run/uwsgi-guide-vm';
export const MIRROR = 'http://deb.debian.org/debian';
/** The machine lock the system-changing suites share (see package.json's scripts). */
export const MACHINE_LOCK = '/tmp/machine.lock';

/**
 * What a booted, reachable Debian machine needs beyond minbase. Not nginx, python3-venv or node:
 * installing those is the wizard's job. curl lets tests look at URLs from inside; adduser and
 * libpam-systemd (logind sessions for ssh logins) are on every real install.
 */
export const PACKAGES = [
  'systemd',
  'systemd-sysv',
  'dbus',
  'libpam-systemd',
  'openssh-server',
  'sudo',
  'adduser',
  'iproute2',
  'ca-certificates',
  'procps',
  'curl',
];

/** Raised when the recipe changes in a way its function text does not show (e.g. the mirror). */
const RECIPE_VERSION = 1;
/** The host's proxy CA (HTTPS from the guest goes through the same proxy). */
const HOST_CA_DIR = '/usr/local/share/ca-certificates';
/** Free space needed where trees and guests' disks live: two trees, a copy, and what the wizard installs. */
const MIN_FREE_BYTES = 4 * 1024 ** 3;

const NETNS_PREFIX = 'uwsgi-guide-vm-';
const VETH_PREFIX = 'ugvm';
const NFT_PREFIX = 'uwsgi_guide_vm_';
const CGROUP_PREFIX = 'uwsgi-guide-vm-';
/** nspawn's exit code when the guest rebooted (systemd-nspawn(1)). */
const EXIT_REBOOT = 133;

export interface Timeouts {
  /** From starting nspawn to `is-system-running` answering. */
  bootMs: number;
  /** From `systemctl reboot` to nspawn's exit. */
  shutdownMs: number;
  /** One command over ssh, unless the call says otherwise. */
  commandMs: number;
  /** debootstrap and the configuration of a tree. */
  buildMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  bootMs: 90_000,
  shutdownMs: 60_000,
  commandMs: 120_000,
  buildMs: 20 * 60_000,
};

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Run `body`, then log "label: 4.2 s" (also when it throws, with "failed"). */
export async function timed<T>(label: string, body: () => Promise<T> | T): Promise<T> {
  const started = Date.now();
  try {
    const value = await body();
    log(`${label}: ${seconds(started)}`);
    return value;
  } catch (error) {
    log(`${label}: failed after ${seconds(started)}`);
    throw error;
  }
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Block the thread (for the clean-up in exit and signal handlers, which cannot await). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export interface HostResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A short command on the host, to completion (no shell: arguments as they are). */
function host(file: string, args: string[], timeoutMs = 30_000, input?: string): HostResult {
  const stdin = input === undefined ? 'ignore' : 'pipe';
  const r = spawnSync(file, args, { encoding: 'utf8', timeout: timeoutMs, input, stdio: [stdin, 'pipe', 'pipe'] });
  const error = r.error ? `${r.error.message}\n` : '';
  return { code: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${error}` };
}

function hostMust(file: string, args: string[], timeoutMs?: number, input?: string): string {
  const r = host(file, args, timeoutMs, input);
  if (r.code !== 0) {
    throw new Error(`\`${[file, ...args].map(q).join(' ')}\` exited ${r.code}:\n${r.stdout}${r.stderr}`);
  }
  return r.stdout;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The time limit was reached and the process was stopped. */
  timedOut: boolean;
  ms: number;
}

export interface SpawnOptions {
  timeoutMs: number;
  input?: string;
  /** Each output line goes to the test log after this prefix, as it comes. */
  echo?: string;
}

/** A command on the host, asynchronously; on its time limit SIGTERM, then SIGKILL 5 s later (its whole group). */
export function runAsync(file: string, args: string[], options: SpawnOptions): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    // A group of its own: the time limit stops what it started too (debootstrap's wget, chroot).
    const stdin = options.input === undefined ? 'ignore' : 'pipe';
    const child = spawn(file, args, { detached: true, stdio: [stdin, 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const echo = (chunk: string, stream: string) => {
      if (options.echo === undefined) return;
      for (const line of chunk.replace(/\n$/, '').split('\n')) log(`${options.echo}${stream}${line}`);
    };
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      echo(chunk, '');
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      echo(chunk, '(stderr) ');
    });
    if (options.input !== undefined) {
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(options.input);
    }
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // Already gone.
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const limit = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), 5_000);
    }, options.timeoutMs);
    child.on('error', (error) => {
      stderr += `${error.message}\n`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      if (killTimer) clearTimeout(killTimer);
      resolve({ code, signal, stdout, stderr, timedOut, ms: Date.now() - started });
    });
  });
}

function tail(text: string, lines: number): string {
  return text.replace(/\n+$/, '').split('\n').slice(-lines).join('\n');
}

/** Whether a process runs: a zombie does not (our own nspawn stays one until the event loop reaps it). */
function alive(pid: number): boolean {
  const stat = readText(`/proc/${pid}/stat`);
  return stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The guard

/**
 * Why the suite must not run here, or undefined. Like the end-to-end suite (test/e2e/machine.ts's
 * refusal()) it changes the machine: network namespaces, veths, nftables, ip_forward, cgroups, and
 * a cache of Debian trees under CACHE_DIR. Not invited (neither CI=true nor
 * E2E_ALLOW_SYSTEM_CHANGES=1) it is skipped; invited, anything missing makes it fail (preflight()).
 */
export function vmSkipReason(): string | undefined {
  if (process.env.CI === 'true' || process.env.E2E_ALLOW_SYSTEM_CHANGES === '1') return undefined;
  return (
    'the VM suite changes this machine (network namespaces, veths, nftables, ip_forward, cgroups, a cache of ' +
    `Debian trees in ${CACHE_DIR}) and runs only as root with CI=true or E2E_ALLOW_SYSTEM_CHANGES=1; neither is set`
  );
}

/** What this machine lacks for the suite, one sentence each (empty: all there). */
export function preflight(): string[] {
  const problems: string[] = [];
  const uid = process.getuid?.();
  if (uid !== 0) problems.push(`it runs as uid ${uid ?? '(unknown)'}, not as root`);
  const tools: Record<string, string> = {
    debootstrap: 'debootstrap',
    'systemd-nspawn': 'systemd-container',
    ip: 'iproute2',
    nft: 'nftables',
    ssh: 'openssh-client',
    scp: 'openssh-client',
    'ssh-keygen': 'openssh-client',
    setpriv: 'util-linux',
    flock: 'util-linux',
    mount: 'mount',
    umount: 'mount',
    chroot: 'coreutils',
    journalctl: 'systemd',
  };
  const missing = Object.entries(tools).filter(([tool]) => host('/bin/sh', ['-c', `command -v ${tool}`]).code !== 0);
  if (missing.length > 0) {
    problems.push(`missing commands: ${missing.map(([tool, pkg]) => `${tool} (apt-get install ${pkg})`).join(', ')}`);
  }
  if (cgroupHierarchies().length === 0) {
    problems.push('no writable cgroup2 or name=systemd cgroup hierarchy is mounted (systemd-nspawn needs one)');
  }
  let probe = CACHE_DIR;
  while (!existsSync(probe)) probe = dirname(probe);
  const fs = statfsSync(probe);
  const free = fs.bavail * fs.bsize;
  if (free < MIN_FREE_BYTES) {
    problems.push(
      `only ${(free / 1024 ** 3).toFixed(1)} GiB free at ${probe} (for ${CACHE_DIR}); ` +
        `${MIN_FREE_BYTES / 1024 ** 3} GiB are needed`,
    );
  }
  const nameservers = hostNameservers();
  if (nameservers.length === 0) {
    problems.push("the host's /etc/resolv.conf names no nameserver the guests could reach (127.x cannot be)");
  }
  return problems;
}

let prepared: Promise<void> | undefined;

/** Once per process: preflight (throws, naming what is missing), the machine lock, stale guests swept. */
export function prepareMachine(): Promise<void> {
  prepared ??= (async () => {
    const problems = preflight();
    if (problems.length > 0) {
      throw new Error(`the VM suite cannot run on this machine: ${problems.join('; ')}`);
    }
    await holdMachineLock();
    installExitHandlers();
    await waitForOthersCleanUp();
    sweepStale();
  })();
  return prepared;
}

/**
 * A test of the VM suite: skipped (with the reason, loudly) unless invited; invited, it first
 * makes sure the machine can run it (failing, not skipping, when it cannot) and holds the machine
 * lock. Guests booted with bootGuest(t, …) are removed when the test ends.
 */
export function vmTest(
  name: string,
  body: (t: TestContext) => Promise<void>,
  options: { timeout?: number } = {},
): void {
  const reason = vmSkipReason();
  if (reason) {
    log(`uwsgi-nginx-guide vm: "${name}" SKIPPED — ${reason}.`);
    test(name, { skip: reason }, () => undefined);
    return;
  }
  test(name, { timeout: options.timeout ?? 30 * 60_000 }, async (t) => {
    await prepareMachine();
    await body(t);
  });
}

// ---------------------------------------------------------------------------------------------
// The machine lock

/** The pids from this process up to PID 1. */
function ancestors(): Set<number> {
  const found = new Set<number>();
  for (let pid = process.pid; pid > 1 && !found.has(pid); ) {
    found.add(pid);
    const stat = readText(`/proc/${pid}/stat`);
    if (!stat) break;
    pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  }
  return found;
}

/** Whether a process above this one holds an flock on `path` (as `flock /tmp/machine.lock npm …` does). */
function lockHeldByAncestor(path: string): boolean {
  if (!existsSync(path)) return false;
  const inode = statSync(path).ino;
  const mine = ancestors();
  // "1: FLOCK  ADVISORY  WRITE 1234 fd:00:5678 0 EOF": the holder's pid, then major:minor:inode.
  return (readText('/proc/locks') ?? '').split('\n').some((line) => {
    const fields = line.trim().split(/\s+/);
    if (fields[1] !== 'FLOCK') return false;
    return Number(fields[5]!.split(':')[2]) === inode && mine.has(Number(fields[4]));
  });
}

let releaseMachineLock: (() => void) | undefined;

/**
 * Hold MACHINE_LOCK for the rest of this process. `npm run test:vm` takes it around the whole run
 * (a process above us holds it: nothing to do); a test file run by itself takes it here, through a
 * `flock` child that holds it until our end closes its stdin (also when we are killed).
 */
export async function holdMachineLock(timeoutMs = 60 * 60_000): Promise<void> {
  if (releaseMachineLock || lockHeldByAncestor(MACHINE_LOCK)) return;
  log(`taking ${MACHINE_LOCK} (waiting while another system-changing suite holds it)`);
  releaseMachineLock = await timed(`machine lock ${MACHINE_LOCK}`, () => takeFlock(MACHINE_LOCK, timeoutMs));
}

// ---------------------------------------------------------------------------------------------
// Trees

/** How the tree is configured after debootstrap; its text is part of the cache key. */
function configureTree(suite: Suite, tree: string): void {
  const chroot = (...args: string[]) => hostMust('chroot', [tree, ...args], 120_000);
  // apt: the suite, its updates and its security archive, as the installer writes them.
  const security = MIRROR.replace(/\/debian$/, '/debian-security');
  if (suite === 'bookworm') {
    writeFileSync(
      join(tree, 'etc/apt/sources.list'),
      [
        `deb ${MIRROR} ${suite} main`,
        `deb ${MIRROR} ${suite}-updates main`,
        `deb ${security} ${suite}-security main`,
        '',
      ].join('\n'),
    );
  } else {
    rmSync(join(tree, 'etc/apt/sources.list'), { force: true });
    writeFileSync(
      join(tree, 'etc/apt/sources.list.d/debian.sources'),
      [
        `Types: deb\nURIs: ${MIRROR}\nSuites: ${suite} ${suite}-updates\nComponents: main\n` +
          'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
        `Types: deb\nURIs: ${security}\nSuites: ${suite}-security\nComponents: main\n` +
          'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
        '',
      ].join('\n\n'),
    );
  }
  // HTTPS leaves this machine through a proxy that signs with its own CA: the guest must trust it
  // as the host does. The system store is enough for pip too (measured: Debian's pip in a venv, and
  // pip 26 after `pip install --upgrade pip`, which uses truststore), so pip is not configured.
  for (const name of readdirSync(HOST_CA_DIR).filter((n) => n.endsWith('.crt'))) {
    writeFileSync(join(tree, 'usr/local/share/ca-certificates', name), readFileSync(join(HOST_CA_DIR, name)));
  }
  chroot('update-ca-certificates');
  // apt's daily timers would take the dpkg lock at a random moment of a test (the wizard's
  // apt-get would then wait or fail): off, so each run is the same.
  chroot('systemctl', 'disable', 'apt-daily.timer', 'apt-daily-upgrade.timer');
  // Per guest: machine-id, hostname, hosts, resolv.conf and root's key are written into its disk.
  writeFileSync(join(tree, 'etc/machine-id'), '');
  rmSync(join(tree, 'etc/resolv.conf'), { force: true });
  // The journal on disk: readable from the host (journalctl -D) after a boot that went wrong.
  mkdirSync(join(tree, 'var/log/journal'), { recursive: true });
  chroot('apt-get', 'clean');
}

/** The cache key of a suite's tree: the suite and a hash of everything the tree is made from. */
export function treeKey(suite: Suite): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ RECIPE_VERSION, suite, MIRROR, PACKAGES }));
  hash.update(buildTree.toString());
  hash.update(configureTree.toString());
  // A new proxy CA makes a new tree (the old one would fail HTTPS).
  for (const name of readdirSync(HOST_CA_DIR).sort()) hash.update(name).update(readFileSync(join(HOST_CA_DIR, name)));
  return `${suite}-${hash.digest('hex').slice(0, 12)}`;
}

/** Where the finished tree of a suite is (or will be). */
export function treePath(suite: Suite): string {
  return join(CACHE_DIR, 'trees', treeKey(suite), 'tree');
}

async function buildTree(suite: Suite, final: string, timeoutMs: number): Promise<void> {
  const trees = dirname(dirname(final));
  const building = join(trees, `.building-${suite}-${process.pid}`);
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const target = join(building, 'tree');
  const args = ['--variant=minbase', `--include=${PACKAGES.join(',')}`, suite, target, MIRROR];
  log(`$ debootstrap ${args.join(' ')}`);
  const run = await timed(`debootstrap ${suite}`, () => runAsync('debootstrap', args, { timeoutMs }));
  writeFileSync(join(building, 'debootstrap.log'), `${run.stdout}${run.stderr}`);
  if (run.code !== 0) {
    // debootstrap's own log names the package or the download that failed.
    const detail = readText(join(target, 'debootstrap/debootstrap.log')) ?? '';
    rmSync(building, { recursive: true, force: true });
    const why = run.timedOut ? `did not finish within ${timeoutMs / 1000} s` : `exited ${run.code}`;
    throw new Error(
      `debootstrap ${suite} ${why}:\n` +
        `${tail(`${run.stdout}${run.stderr}`, 30)}\n--- debootstrap/debootstrap.log (tail) ---\n${tail(detail, 30)}`,
    );
  }
  await timed(`configure ${suite} tree`, () => configureTree(suite, target));
  const recipe = { suite, key: treeKey(suite), packages: PACKAGES, mirror: MIRROR, built: new Date().toISOString() };
  writeFileSync(join(building, 'recipe.json'), `${JSON.stringify(recipe, null, 2)}\n`);
  // The rename is what makes the tree usable: a build that died before it left only .building-*.
  renameSync(building, dirname(final));
}

/**
 * The cached tree of a suite, built first if missing (a few minutes; the build takes a per-suite
 * lock, so concurrent callers wait for one build). Older trees of the suite are removed.
 */
export async function ensureTree(suite: Suite, timeouts: Timeouts = DEFAULT_TIMEOUTS): Promise<string> {
  await prepareMachine();
  const final = treePath(suite);
  if (existsSync(final)) return final;
  const trees = join(CACHE_DIR, 'trees');
  mkdirSync(trees, { recursive: true });
  const release = await takeFlock(join(trees, `.lock-${suite}`), timeouts.buildMs);
  try {
    if (existsSync(final)) return final; // Built by whoever held the lock before us.
    // Under the lock, .building-<suite>-* directories are remains of builds that died, and a
    // <suite>-<key> without its tree/ is not a finished one either.
    for (const entry of readdirSync(trees)) {
      if (entry.startsWith(`.building-${suite}-`) || entry.startsWith(`${suite}-`)) {
        const what = entry === treeKey(suite) || entry.startsWith('.') ? 'an unfinished build' : 'an older recipe';
        log(`tree cache: removing ${entry} (${what})`);
        rmSync(join(trees, entry), { recursive: true, force: true });
      }
    }
    await timed(`build ${suite} tree`, () => buildTree(suite, final, timeouts.buildMs));
    return final;
  } finally {
    release();
  }
}

/**
 * An flock on `path`, held by a `flock` child until the returned release is called, or until this
 * process ends (its end of the child's stdin closes; the child never keeps this process alive).
 */
async function takeFlock(path: string, timeoutMs: number): Promise<() => void> {
  const args = ['-w', String(Math.ceil(timeoutMs / 1000)), path, 'sh', '-c', 'echo locked; exec cat >/dev/null'];
  // A group of its own: a Ctrl-C at the terminal must not end the lock before this process (which
  // still removes its guests then) has ended.
  const child = spawn('flock', args, { stdio: ['pipe', 'pipe', 'inherit'], detached: true });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`flock ${path} exited ${code} before it had the lock`)));
    child.once('error', reject);
  });
  child.unref();
  (child.stdin as unknown as { unref(): void }).unref();
  (child.stdout as unknown as { unref(): void }).unref();
  return () => {
    child.stdin!.end();
  };
}

// ---------------------------------------------------------------------------------------------
// The host's side: nameservers, cgroups, ip_forward, stale guests

function hostNameservers(): string[] {
  return (
    [...(readText('/etc/resolv.conf') ?? '').matchAll(/^nameserver\s+(\S+)/gm)]
      .map((m) => m[1]!)
      // A stub on the host's loopback (systemd-resolved's 127.0.0.53) is not reachable from a guest.
      .filter((ns) => /^\d+\.\d+\.\d+\.\d+$/.test(ns) && !ns.startsWith('127.'))
  );
}

/** The writable cgroup hierarchies nspawn looks at: cgroup2 mounts and the v1 name=systemd one. */
function cgroupHierarchies(): string[] {
  return (readText('/proc/self/mounts') ?? '').split('\n').flatMap((line) => {
    const [, mountPoint, type, options] = line.split(' ');
    if (!mountPoint || !options?.split(',').includes('rw')) return [];
    if (type === 'cgroup2' || (type === 'cgroup' && options.split(',').includes('name=systemd'))) return [mountPoint];
    return [];
  });
}

/** Remove a cgroup directory of ours, deepest first (only empty ones can go). */
function removeCgroup(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeCgroup(join(dir, entry.name));
  }
  try {
    rmdirSync(dir);
  } catch {
    // Still has processes; the caller kills them and tries again.
  }
}

function overlayAvailable(): boolean {
  return /\toverlay$/m.test(readText('/proc/filesystems') ?? '');
}

/** The mount points in this mount namespace below `dir` (octal escapes of mountinfo decoded). */
function mountsBelow(dir: string): string[] {
  return (readText('/proc/self/mountinfo') ?? '')
    .split('\n')
    .map((line) => line.split(' ')[4]?.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((point): point is string => !!point && (point === dir || point.startsWith(`${dir}/`)));
}

/** Unmount a guest's overlay if it is mounted; whether it is gone. A lazy unmount is the last resort. */
function unmount(point: string): boolean {
  for (const args of [[point], [point], ['-l', point]]) {
    if (!mountsBelow(point).includes(point)) return true;
    if (host('umount', args).code !== 0) sleepSync(500);
  }
  return !mountsBelow(point).includes(point);
}

/** Every pid in a cgroup directory and below. */
function cgroupPids(dir: string): number[] {
  if (!existsSync(dir)) return [];
  const pids = (readText(join(dir, 'cgroup.procs')) ?? '').split('\n').filter(Boolean).map(Number);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) pids.push(...cgroupPids(join(dir, entry.name)));
  }
  return pids;
}

const IP_FORWARD = '/proc/sys/net/ipv4/ip_forward';
const IP_FORWARD_SAVED = join(STATE_DIR, 'ip_forward.before');

/** Forwarding on while any guest exists; the value before the first one is kept to be restored. */
function enableForwarding(): void {
  mkdirSync(STATE_DIR, { recursive: true });
  if (!existsSync(IP_FORWARD_SAVED)) writeFileSync(IP_FORWARD_SAVED, readFileSync(IP_FORWARD, 'utf8'));
  writeFileSync(IP_FORWARD, '1\n');
}

function restoreForwarding(): void {
  const guestsLeft = existsSync(STATE_DIR) && readdirSync(STATE_DIR).some((e) => e.startsWith('guest-'));
  if (guestsLeft || !existsSync(IP_FORWARD_SAVED)) return;
  writeFileSync(IP_FORWARD, readFileSync(IP_FORWARD_SAVED, 'utf8'));
  rmSync(IP_FORWARD_SAVED);
}

/** Guests of this process not yet removed (the exit and signal handlers remove them). */
const live = new Set<Guest>();

/** What a guest made on the host, recorded in STATE_DIR/guest-N/state.json so a later run can remove it. */
interface GuestRecord {
  index: number;
  owner: number;
  nspawnPid?: number;
  netns: string;
  veth: string;
  nftTable: string;
  cgroups: string[];
  dir: string;
  /** The overlay mounted at dir/tree (disk 'overlay'), unmounted before dir is removed. */
  mount?: string;
}

function namesOf(index: number): Pick<GuestRecord, 'netns' | 'veth' | 'nftTable' | 'cgroups'> {
  return {
    netns: `${NETNS_PREFIX}${index}`,
    veth: `${VETH_PREFIX}${index}`,
    nftTable: `${NFT_PREFIX}${index}`,
    cgroups: cgroupHierarchies().map((h) => join(h, `${CGROUP_PREFIX}${index}`)),
  };
}

/** Remove, synchronously, whatever of a guest is there: its processes (by pid), cgroups, network, disk. */
function removeGuestSync(record: GuestRecord, say: (text: string) => void): void {
  // A recorded pid counts only while it is still that nspawn (pids are reused): its arguments name the disk.
  const cmdline = record.nspawnPid ? (readText(`/proc/${record.nspawnPid}/cmdline`) ?? '') : '';
  const nspawn = record.dir && cmdline.includes(`--directory=${record.dir}/`) ? record.nspawnPid : undefined;
  if (nspawn && alive(nspawn)) {
    // nspawn halts its guest on SIGTERM. Only nspawn: a SIGTERM to the guest's systemd would make
    // it re-execute itself, not stop (measured: the halt then took the whole 15 s).
    say(`SIGTERM to nspawn ${nspawn}`);
    signal(nspawn, 'SIGTERM');
    const deadline = Date.now() + 15_000;
    while (alive(nspawn) && Date.now() < deadline) sleepSync(100);
  }
  const left = [...(nspawn ? [nspawn] : []), ...record.cgroups.flatMap(cgroupPids)].filter(alive);
  if (left.length > 0) {
    say(`SIGKILL to ${left.join(' ')}`);
    for (const pid of left) signal(pid, 'SIGKILL');
    const deadline = Date.now() + 5_000;
    while (left.some(alive) && Date.now() < deadline) sleepSync(100);
  }
  for (const cg of record.cgroups) removeCgroup(cg);
  if (host('nft', ['list', 'table', 'ip', record.nftTable]).code === 0) {
    host('nft', ['delete', 'table', 'ip', record.nftTable]);
  }
  if (host('ip', ['link', 'show', record.veth]).code === 0) host('ip', ['link', 'delete', record.veth]);
  if (existsSync(`/run/netns/${record.netns}`)) host('ip', ['netns', 'delete', record.netns]);
  if (record.mount && !unmount(record.mount)) {
    // Removing the directory through a mount still there would be removing the wrong thing.
    say(`${record.mount} is still mounted: its directory ${record.dir} is left`);
  } else if (record.dir.startsWith(`${join(CACHE_DIR, 'guests')}/`)) {
    rmSync(record.dir, { recursive: true, force: true });
  }
  rmSync(join(STATE_DIR, `guest-${record.index}`), { recursive: true, force: true });
  restoreForwarding();
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Gone already.
  }
}

/**
 * Under the machine lock no other process has guests, except one that is still removing them: a
 * run stopped with Ctrl-C under `flock /tmp/machine.lock npm …`, whose flock ended at once. Give it
 * time to finish, so that its removal and ours do not cross (ip_forward is restored by the last).
 */
async function waitForOthersCleanUp(timeoutMs = 30_000): Promise<void> {
  const others = () =>
    (existsSync(STATE_DIR) ? readdirSync(STATE_DIR) : []).filter((entry) => {
      const record = JSON.parse(readText(join(STATE_DIR, entry, 'state.json')) ?? 'null') as GuestRecord | null;
      return entry.startsWith('guest-') && record !== null && record.owner !== process.pid && alive(record.owner);
    });
  if (others().length === 0) return;
  log(`waiting for other processes to remove their guests: ${others().join(' ')}`);
  const deadline = Date.now() + timeoutMs;
  while (others().length > 0 && Date.now() < deadline) await sleep(250);
  if (others().length > 0) log(`still there after ${timeoutMs / 1000} s, going on beside them: ${others().join(' ')}`);
}

/**
 * Remove what guests of earlier runs left behind when their test process was killed outright
 * (its exit handlers never ran): guests whose owner process is gone. Also run by prepareMachine().
 */
export function sweepStale(): void {
  if (!existsSync(STATE_DIR)) return;
  for (const entry of readdirSync(STATE_DIR)) {
    const m = /^guest-(\d+)$/.exec(entry);
    if (!m) continue;
    const record = JSON.parse(readText(join(STATE_DIR, entry, 'state.json')) ?? 'null') as GuestRecord | null;
    const index = Number(m[1]);
    // A live owner keeps its guests; so does this process, for the guests it has (a record with our
    // pid but no guest of ours is from an earlier process that had the same pid).
    const ours = [...live].some((guest) => guest.index === index);
    if (record && alive(record.owner) && (record.owner !== process.pid || ours)) continue;
    log(`sweep: guest ${index} of a run that ended without cleaning up`);
    const fallback: GuestRecord = { index, owner: 0, ...namesOf(index), dir: '' };
    removeGuestSync(record ?? fallback, (text) => log(`sweep: guest ${index}: ${text}`));
  }
  restoreForwarding();
  // The ssh keys of processes that were killed before their exit handler could remove them.
  for (const entry of readdirSync(dirname(KEY_DIR_PREFIX))) {
    const owner = Number(/^uwsgi-guide-vm-key-(\d+)-/.exec(entry)?.[1]);
    if (owner && owner !== process.pid && !alive(owner)) {
      rmSync(join(dirname(KEY_DIR_PREFIX), entry), { recursive: true, force: true });
    }
  }
}

/**
 * What of the harness is left on this machine, one line each: network namespaces, veths, nft
 * tables, cgroups, nspawn processes, guest copies, records. Empty when everything was cleaned up.
 */
export function leftovers(): string[] {
  const found: string[] = [];
  const netns = existsSync('/run/netns') ? readdirSync('/run/netns').filter((n) => n.startsWith(NETNS_PREFIX)) : [];
  found.push(...netns.map((n) => `network namespace ${n}`));
  const links = hostMust('ip', ['-o', 'link', 'show'])
    .split('\n')
    .map((line) => /^\d+:\s+([^:@]+)/.exec(line)?.[1])
    .filter((name): name is string => !!name && new RegExp(`^${VETH_PREFIX}\\d+`).test(name));
  found.push(...links.map((l) => `link ${l}`));
  const tables = hostMust('nft', ['list', 'tables'])
    .split('\n')
    .map((line) => line.trim().split(' ')[2])
    .filter((table) => table?.startsWith(NFT_PREFIX));
  found.push(...tables.map((t) => `nft table ${t}`));
  for (const h of cgroupHierarchies()) {
    found.push(
      ...readdirSync(h)
        .filter((e) => e.startsWith(CGROUP_PREFIX))
        .map((e) => `cgroup ${join(h, e)}`),
    );
  }
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    const cmdline = (readText(`/proc/${entry}/cmdline`) ?? '').split('\0');
    if (cmdline[0]?.endsWith('systemd-nspawn') && cmdline.some((a) => a.startsWith(join(CACHE_DIR, 'guests')))) {
      found.push(`process ${entry}: ${cmdline.join(' ').trim()}`);
    }
  }
  const guests = join(CACHE_DIR, 'guests');
  found.push(...mountsBelow(guests).map((point) => `mount ${point}`));
  if (existsSync(guests)) found.push(...readdirSync(guests).map((g) => `guest disk ${join(guests, g)}`));
  if (existsSync(STATE_DIR)) found.push(...readdirSync(STATE_DIR).map((e) => `record ${join(STATE_DIR, e)}`));
  // Ssh keys of processes that are gone (this one's is removed when it exits).
  for (const entry of readdirSync(dirname(KEY_DIR_PREFIX))) {
    const owner = Number(/^uwsgi-guide-vm-key-(\d+)-/.exec(entry)?.[1]);
    if (owner && !alive(owner)) found.push(`ssh key ${join(dirname(KEY_DIR_PREFIX), entry)}`);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Access: the harness's ssh key

let keyDir: string | undefined;
/** /tmp/uwsgi-guide-vm-key-PID-XXXXXX: the pid tells the sweep whose it was. */
const KEY_DIR_PREFIX = '/tmp/uwsgi-guide-vm-key-';

/** The harness's private key (ed25519, made once per process in a 0700 directory, removed at exit). */
export function sshKey(): string {
  if (!keyDir) {
    const dir = mkdtempSync(`${KEY_DIR_PREFIX}${process.pid}-`);
    const key = join(dir, 'id_ed25519');
    hostMust('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'uwsgi-guide-vm harness', '-f', key]);
    keyDir = dir;
  }
  return join(keyDir, 'id_ed25519');
}

function publicKey(): string {
  return readFileSync(`${sshKey()}.pub`, 'utf8');
}

// ---------------------------------------------------------------------------------------------
// Guests

export interface GuestOptions {
  /** The guest's hostname (default: `<suite>-vm`). */
  hostname?: string;
  /**
   * Its disk: an overlay on the cached tree (default where the kernel has overlayfs: mounted at
   * once, only what changes is written) or a copy of it (`cp -a`, 1–11 s and ~300 MB of writes).
   */
  disk?: 'overlay' | 'copy';
  timeouts?: Partial<Timeouts>;
}

export interface CommandOptions {
  /** Who runs it (default root). */
  user?: string;
  /**
   * Time limit (default: the guest's commandMs); then ssh is stopped and the call fails. Without a
   * terminal, what the command started in the guest may go on there until it next writes.
   */
  timeoutMs?: number;
  /** Given to the command's stdin. */
  input?: string;
  /** Each output line to the test log after this prefix, as it comes (for long commands). */
  echo?: string;
  /** Do not log the command line. */
  quiet?: boolean;
}

export interface UserOptions {
  /** Set as the account's password (for sudo, or a login at a prompt). Default: none (locked). */
  password?: string;
  /** The home directory's mode: Debian 12 makes homes 0700 (DIR_MODE), older releases 0755. Default '700'. */
  homeMode?: string;
  /**
   * A rule in /etc/sudoers.d/USER: 'password' (`USER ALL=(ALL:ALL) ALL`, sudo asks for the
   * password), 'nopasswd' (`USER ALL=(ALL:ALL) NOPASSWD: ALL`), a rule of your own (the whole
   * line), or none (default).
   */
  sudo?: 'password' | 'nopasswd' | string;
  /** Default /bin/bash. */
  shell?: string;
  /** The harness's key in ~/.ssh/authorized_keys, so that run(…, { user }) works (default true). */
  sshKey?: boolean;
}

/** A Debian machine, systemd as PID 1, in a network namespace of its own. Made by bootGuest() or createGuest(). */
export class Guest {
  readonly suite: Suite;
  readonly index: number;
  readonly hostname: string;
  /** The guest's address (10.213.N.2), reachable from the host (ssh on 22, the wizard's nginx on 80). */
  readonly address: string;
  /** The host's end of the veth (10.213.N.1), the guest's default gateway. */
  readonly hostAddress: string;
  /** The guest's own copy of the tree: its disk, kept across reboots. Write into it only while stopped. */
  readonly tree: string;
  /** nspawn's console output, every boot appended (kept after the guest is removed). */
  readonly consoleLog: string;
  readonly timeouts: Timeouts;
  /** How many times it booted (1 after the first start). */
  boots = 0;
  private record: GuestRecord;
  private nspawn: ChildProcess | undefined;
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  private lastExit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private destroyed = false;

  /** @internal use createGuest() */
  constructor(suite: Suite, record: GuestRecord, hostname: string, consoleLog: string, timeouts: Timeouts) {
    this.suite = suite;
    this.index = record.index;
    this.record = record;
    this.hostname = hostname;
    this.address = `10.213.${record.index}.2`;
    this.hostAddress = `10.213.${record.index}.1`;
    this.tree = join(record.dir, 'tree');
    this.consoleLog = consoleLog;
    this.timeouts = timeouts;
  }

  get name(): string {
    return `${this.suite}#${this.index}`;
  }

  /** Its disk: an overlay on the cached tree, or a copy of it (GuestOptions.disk). */
  get disk(): 'overlay' | 'copy' {
    return this.record.mount ? 'overlay' : 'copy';
  }

  /** The nspawn process's id while the guest runs. */
  get pid(): number | undefined {
    return this.running ? this.nspawn?.pid : undefined;
  }

  get running(): boolean {
    return this.nspawn !== undefined && this.lastExit === undefined;
  }

  /** Boot (systemd from scratch, fresh /run) and wait until it is ready; see waitReady(). */
  async start(): Promise<void> {
    assert.ok(!this.destroyed, `${this.name} was removed`);
    assert.ok(!this.running, `${this.name} is already running`);
    // nspawn's payload/ and supervisor/ of the boot before, empty now.
    for (const cg of this.record.cgroups) removeCgroup(cg);
    await timed(`boot ${this.suite}`, async () => {
      this.spawnNspawn();
      await this.waitReady();
    });
  }

  private spawnNspawn(): void {
    const console = openSync(this.consoleLog, 'a');
    writeFileSync(console, `\n==== boot ${this.boots + 1} of ${this.name} at ${new Date().toISOString()} ====\n`);
    // The shell moves itself into the guest's own cgroups, then becomes nspawn (same pid).
    const script =
      'for d in $UGVM_CGROUPS; do mkdir -p "$d" && echo $$ > "$d/cgroup.procs" || exit 1; done; ' +
      'unset UGVM_CGROUPS; exec setpriv --pdeathsig TERM -- systemd-nspawn "$@"';
    const args = [
      '--boot',
      '--register=no',
      '--keep-unit',
      '--quiet',
      // The machine name is per guest (nspawn keeps /run/systemd/nspawn/propagate/NAME while it runs),
      // so two guests with the same hostname can run at once.
      `--directory=${this.tree}`,
      `--machine=${NETNS_PREFIX}${this.index}`,
      `--hostname=${this.hostname}`,
      `--network-namespace-path=/run/netns/${this.record.netns}`,
      // With a network of its own the guest may manage it: CAP_NET_ADMIN and a writable
      // /proc/sys/net, as a real machine's root has (ufw's iptables and sysctls need both).
      '--private-network',
      // The disk has its own resolv.conf; no host journal link; a console log, no input.
      '--resolv-conf=off',
      '--link-journal=no',
      '--timezone=off',
      '--console=read-only',
    ];
    const child = spawn('/bin/sh', ['-c', script, 'sh', ...args], {
      detached: true, // a session of its own: a Ctrl-C at the terminal is for us, not for it
      stdio: ['ignore', console, console],
      env: { ...process.env, UGVM_CGROUPS: this.record.cgroups.join(' '), SYSTEMD_NSPAWN_UNIFIED_HIERARCHY: '1' },
    });
    closeSync(console);
    child.unref();
    this.nspawn = child;
    this.lastExit = undefined;
    this.boots += 1;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, sig) => {
        this.lastExit = { code, signal: sig };
        resolve(this.lastExit);
      });
      child.once('error', (error) => {
        writeFileSync(this.consoleLog, `spawn failed: ${error.message}\n`, { flag: 'a' });
        this.lastExit = { code: null, signal: null };
        resolve(this.lastExit);
      });
    });
    this.record.nspawnPid = child.pid;
    this.saveRecord();
  }

  /**
   * Wait until sshd answers, `systemctl is-system-running --wait` says running (or degraded: the
   * failed units are logged) and PID 1 is systemd; fail with the console and journal tails when
   * nspawn exits first or the boot time limit passes.
   */
  async waitReady(): Promise<string> {
    const deadline = Date.now() + this.timeouts.bootMs;
    const remaining = () => deadline - Date.now();
    for (;;) {
      if (!this.running) await this.fail(`nspawn exited (${describeExit(this.lastExit)}) before the guest was ready`);
      const probe = await this.run('true', { quiet: true, timeoutMs: Math.max(1000, Math.min(10_000, remaining())) });
      if (probe.code === 0) break;
      if (remaining() <= 0) {
        await this.fail(`sshd did not answer within ${this.timeouts.bootMs / 1000} s: ${probe.stderr.trim()}`);
      }
      await sleep(250);
    }
    const waitSeconds = Math.max(1, Math.floor(remaining() / 1000));
    const state = await this.run(`timeout ${waitSeconds} systemctl is-system-running --wait`, {
      quiet: true,
      timeoutMs: waitSeconds * 1000 + 5000,
    });
    const word = state.stdout.trim().split('\n').at(-1) ?? '';
    if (word === 'degraded') {
      const failed = await this.run('systemctl --failed --no-legend', { quiet: true });
      log(`${this.name} is degraded; failed units:\n${failed.stdout}`);
    } else if (word !== 'running') {
      await this.fail(`systemctl is-system-running says "${word || state.stderr.trim()}" (exit ${state.code})`);
    }
    const pid1 = (await this.must('ps -p 1 -o comm=', { quiet: true })).trim();
    if (pid1 !== 'systemd') await this.fail(`PID 1 in the guest is "${pid1}", not systemd`);
    return word;
  }

  /** Run a shell command in the guest over ssh (as root, or options.user); never throws for its exit code. */
  async run(command: string, options: CommandOptions = {}): Promise<RunResult> {
    const user = options.user ?? 'root';
    if (!options.quiet) log(`[${this.name} ${user}]$ ${command}`);
    return runAsync('ssh', [...this.sshArgs(user), command], {
      timeoutMs: options.timeoutMs ?? this.timeouts.commandMs,
      input: options.input,
      echo: options.echo,
    });
  }

  /**
   * Run a command that must succeed; its stdout is returned. Otherwise it throws with the output,
   * and the tails of the guest's journal and console (a failure inside is usually explained there).
   */
  async must(command: string, options: CommandOptions = {}): Promise<string> {
    const result = await this.run(command, options);
    if (result.code !== 0) {
      const why = result.timedOut
        ? `did not finish within ${(options.timeoutMs ?? this.timeouts.commandMs) / 1000} s`
        : result.code === 255
          ? 'failed: ssh exited 255 (no connection, or the guest went away)'
          : `exited ${result.code ?? result.signal}`;
      await this.fail(
        `\`${command}\` as ${options.user ?? 'root'} ${why}\n` +
          `--- stdout ---\n${tail(result.stdout, 40)}\n--- stderr ---\n${tail(result.stderr, 40)}`,
      );
    }
    return result.stdout;
  }

  /** ssh's arguments up to and including USER@ADDRESS (a command may follow). `tty`: -t, for an interactive program. */
  sshArgs(user = 'root', options: { tty?: boolean } = {}): string[] {
    return [
      '-i',
      sshKey(),
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=5',
      '-o',
      'LogLevel=ERROR',
      // A guest that went away ends the command within ~30 s instead of leaving ssh waiting.
      '-o',
      'ServerAliveInterval=5',
      '-o',
      'ServerAliveCountMax=6',
      options.tty ? '-tt' : '-T',
      `${user}@${this.address}`,
    ];
  }

  /**
   * A shell command line that logs in with a terminal (`ssh -tt … USER@ADDRESS 'COMMAND'`): for
   * Tmux.start() of test/e2e/machine.ts, to drive an interactive program in the guest.
   */
  sshCommandLine(user = 'root', command?: string): string {
    return ['ssh', ...this.sshArgs(user, { tty: true }), ...(command === undefined ? [] : [command])].map(q).join(' ');
  }

  /** Copy a file or directory from the host into the guest (scp -r), then give it an owner and mode. */
  async copyIn(hostPath: string, guestPath: string, options: { owner?: string; mode?: string } = {}): Promise<void> {
    // ssh's options without -T and USER@ADDRESS (the last two), which scp does not take.
    const args = [...this.sshArgs('root').slice(0, -2), '-r', '-p', hostPath, `root@${this.address}:${guestPath}`];
    log(`[${this.name}] copy ${hostPath} → ${guestPath}`);
    const result = await runAsync('scp', args, { timeoutMs: this.timeouts.commandMs });
    if (result.code !== 0) await this.fail(`scp ${hostPath} → ${guestPath} exited ${result.code}: ${result.stderr}`);
    if (options.owner) await this.must(`chown -R ${q(options.owner)} ${q(guestPath)}`, { quiet: true });
    if (options.mode) await this.must(`chmod ${q(options.mode)} ${q(guestPath)}`, { quiet: true });
  }

  /** Write a file in the guest (through ssh's stdin), with an owner (USER or USER:GROUP) and mode. */
  async writeFile(guestPath: string, content: string, options: { owner?: string; mode?: string } = {}): Promise<void> {
    const steps = [`cat > ${q(guestPath)}`];
    if (options.owner) steps.push(`chown ${q(options.owner)} ${q(guestPath)}`);
    if (options.mode) steps.push(`chmod ${q(options.mode)} ${q(guestPath)}`);
    await this.must(steps.join(' && '), { input: content, quiet: true });
  }

  /** A file's content in the guest. */
  async readFile(guestPath: string): Promise<string> {
    return this.must(`cat ${q(guestPath)}`, { quiet: true });
  }

  /** A new account (useradd -m), with a password, home mode, sudo rule and the harness's ssh key, as options say. */
  async createUser(name: string, options: UserOptions = {}): Promise<void> {
    assert.match(name, /^[a-z_][a-z0-9_-]{0,30}$/, `"${name}" is not a user name the harness makes`);
    const homeMode = options.homeMode ?? '700';
    assert.match(homeMode, /^[0-7]{3,4}$/);
    const steps = [
      `useradd --create-home --shell ${q(options.shell ?? '/bin/bash')} ${name}`,
      `chmod ${homeMode} /home/${name}`,
    ];
    if (options.password !== undefined) steps.push(`printf '%s:%s\\n' ${name} ${q(options.password)} | chpasswd`);
    if (options.sshKey !== false) {
      steps.push(
        `install -d -m 700 -o ${name} -g ${name} /home/${name}/.ssh`,
        `printf '%s' ${q(publicKey())} > /home/${name}/.ssh/authorized_keys`,
        `chown ${name}:${name} /home/${name}/.ssh/authorized_keys`,
        `chmod 600 /home/${name}/.ssh/authorized_keys`,
      );
    }
    if (options.sudo) {
      const rule =
        options.sudo === 'password'
          ? `${name} ALL=(ALL:ALL) ALL`
          : options.sudo === 'nopasswd'
            ? `${name} ALL=(ALL:ALL) NOPASSWD: ALL`
            : options.sudo;
      // visudo checks the file before it counts: a broken rule would lock sudo out for everyone.
      steps.push(
        `printf '%s\\n' ${q(rule)} > /etc/sudoers.d/${name}.new`,
        `chmod 440 /etc/sudoers.d/${name}.new`,
        `visudo -cqf /etc/sudoers.d/${name}.new`,
        `mv /etc/sudoers.d/${name}.new /etc/sudoers.d/${name}`,
      );
    }
    const password = options.password === undefined ? 'no password' : 'a password';
    log(`[${this.name}] user ${name}: home ${homeMode}, ${password}, sudo ${options.sudo ?? 'none'}`);
    await this.must(steps.join(' && '), { quiet: true });
  }

  /**
   * Reboot: `systemctl reboot` inside, nspawn exits (133), and the same disk boots again in the
   * same netns: systemd from scratch, a fresh /run, the disk as it was.
   */
  async reboot(): Promise<void> {
    assert.ok(this.running, `${this.name} is not running`);
    await timed(`reboot ${this.suite}`, async () => {
      await this.run('systemctl reboot', { quiet: true, timeoutMs: 20_000 });
      const exit = await this.waitExit(this.timeouts.shutdownMs);
      if (!exit) await this.fail(`nspawn did not exit within ${this.timeouts.shutdownMs / 1000} s of a reboot`);
      if (exit!.code !== EXIT_REBOOT) {
        await this.fail(`nspawn exited ${describeExit(exit)} after \`systemctl reboot\`, not ${EXIT_REBOOT}`);
      }
      for (const cg of this.record.cgroups) removeCgroup(cg);
      this.spawnNspawn();
      await this.waitReady();
    });
  }

  /** Wait for nspawn to exit; undefined when it is still running at the time limit. */
  async waitExit(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
    if (!this.exited) return this.lastExit;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    const result = await Promise.race([this.exited, limit]);
    clearTimeout(timer);
    return result;
  }

  /** Shut the guest down: `systemctl poweroff` inside, then SIGTERM and SIGKILL to nspawn by pid if it stays. */
  async stop(): Promise<void> {
    if (!this.running) return;
    await timed(`poweroff ${this.suite}`, async () => {
      const poweroff = await this.run('systemctl poweroff', { quiet: true, timeoutMs: 15_000 });
      // ssh that never got in (no sshd: a boot that failed) leaves nothing to wait for.
      const noWayIn = /Connection refused|Connection timed out|No route to host/.test(poweroff.stderr);
      if (!noWayIn && (await this.waitExit(30_000))) return;
      log(`${this.name}: ${noWayIn ? 'no ssh' : 'no exit 30 s after poweroff'}; SIGTERM to nspawn ${this.nspawn!.pid}`);
      signal(this.nspawn!.pid!, 'SIGTERM');
      if (await this.waitExit(15_000)) return;
      log(`${this.name}: SIGKILL to nspawn ${this.nspawn!.pid}`);
      signal(this.nspawn!.pid!, 'SIGKILL');
      await this.waitExit(5_000);
    });
  }

  /** Stop it and remove all it made: cgroups, nft table, veth, netns, its disk, its record. Safe to call twice. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    try {
      await this.stop();
    } finally {
      this.destroySync();
    }
  }

  /** @internal the synchronous part of destroy(), also used by the exit and signal handlers */
  destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    live.delete(this);
    const started = Date.now();
    removeGuestSync(this.record, (text) => log(`${this.name}: ${text}`));
    log(`remove ${this.name} (network, cgroups, disk): ${seconds(started)}`);
  }

  /** The last lines of the guest's journal, read from its disk on the host (also when it never came up). */
  journalTail(lines = 50): string {
    const dir = join(this.tree, 'var/log/journal');
    if (!existsSync(dir)) return '(no journal on the disk)';
    const r = host('journalctl', ['-D', dir, '-n', String(lines), '--no-pager', '-q'], 20_000);
    return (r.stdout || r.stderr).trimEnd() || '(the journal is empty)';
  }

  /** The last lines nspawn wrote to the console log (boot messages, nspawn's own errors). */
  consoleTail(lines = 40): string {
    // Colours and cursor controls make a failure message hard to read.
    return tail((readText(this.consoleLog) ?? '').replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g, ''), lines);
  }

  /** Throw with the reason, nspawn's state and the console and journal tails. */
  async fail(reason: string): Promise<never> {
    throw new Error(
      `${this.name} (${this.address}): ${reason}\n` +
        `--- nspawn: ${this.running ? `running, pid ${this.nspawn!.pid}` : describeExit(this.lastExit)} ---\n` +
        `--- console (${this.consoleLog}, tail) ---\n${this.consoleTail()}\n` +
        `--- journal (tail) ---\n${this.journalTail()}\n`,
    );
  }

  /** @internal */
  saveRecord(): void {
    writeFileSync(join(STATE_DIR, `guest-${this.index}`, 'state.json'), `${JSON.stringify(this.record, null, 2)}\n`);
  }
}

function describeExit(exit: { code: number | null; signal: NodeJS.Signals | null } | undefined): string {
  if (!exit) return 'not started';
  if (exit.signal) return `killed by ${exit.signal}`;
  return exit.code === EXIT_REBOOT ? 'exit 133: rebooted' : `exit ${exit.code}`;
}

/**
 * A guest of this suite, not booted: a disk on the cached tree (built if missing); its own netns,
 * veth, addresses, routes and NAT; hostname, machine-id, resolv.conf and root's authorized key
 * written into its disk. start() boots it; destroy() removes it all.
 */
export async function createGuest(suite: Suite, options: GuestOptions = {}): Promise<Guest> {
  await prepareMachine();
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const tree = await ensureTree(suite, timeouts);
  // The lowest free index: claimed by making its record directory (mkdir is atomic).
  mkdirSync(STATE_DIR, { recursive: true });
  let index = 1;
  for (; index < 255; index += 1) {
    try {
      mkdirSync(join(STATE_DIR, `guest-${index}`));
      break;
    } catch {
      // Taken.
    }
  }
  assert.ok(index < 255, `no free guest index in ${STATE_DIR}`);
  const dir = join(CACHE_DIR, 'guests', `${suite}-${index}-${process.pid}`);
  const record: GuestRecord = { index, owner: process.pid, ...namesOf(index), dir };
  const hostname = options.hostname ?? `${suite}-vm`;
  const logs = join(CACHE_DIR, 'logs');
  mkdirSync(logs, { recursive: true });
  pruneLogs(logs);
  const consoleLog = join(logs, `${new Date().toISOString().replace(/[:.]/g, '-')}-${suite}-${index}.console.log`);
  const guest = new Guest(suite, record, hostname, consoleLog, timeouts);
  guest.saveRecord();
  live.add(guest);
  try {
    mkdirSync(join(CACHE_DIR, 'guests'), { recursive: true });
    const disk = options.disk ?? (overlayAvailable() ? 'overlay' : 'copy');
    if (disk === 'overlay') {
      await timed(`overlay on the ${suite} tree`, () => {
        for (const part of ['upper', 'work', 'tree']) mkdirSync(join(dir, part), { recursive: true });
        record.mount = join(dir, 'tree');
        guest.saveRecord(); // first, so that a sweep knows to unmount it
        const layers = `lowerdir=${tree},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`;
        hostMust('mount', ['-t', 'overlay', 'overlay', '-o', layers, record.mount]);
      });
    } else {
      await timed(`copy ${suite} tree`, () => {
        hostMust('cp', ['-a', '--reflink=auto', dirname(tree), dir], 10 * 60_000);
      });
    }
    personalize(guest);
    timedSync(`network for ${guest.name}`, () => makeNetwork(record, guest));
  } catch (error) {
    guest.destroySync();
    throw error;
  }
  return guest;
}

function timedSync<T>(label: string, body: () => T): T {
  const started = Date.now();
  const value = body();
  log(`${label}: ${seconds(started)}`);
  return value;
}

/** Keep the console logs of the last 40 guests. */
function pruneLogs(dir: string): void {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.console.log'))
    .sort();
  for (const old of files.slice(0, Math.max(0, files.length - 40))) rmSync(join(dir, old), { force: true });
}

/** What makes the disk this guest's: names, a machine-id of its own, the nameservers, root's key. */
function personalize(guest: Guest): void {
  const at = (path: string) => join(guest.tree, path);
  writeFileSync(at('etc/hostname'), `${guest.hostname}\n`);
  writeFileSync(
    at('etc/hosts'),
    `127.0.0.1\tlocalhost\n127.0.1.1\t${guest.hostname}\n\n` +
      '::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n',
  );
  writeFileSync(at('etc/machine-id'), `${randomBytes(16).toString('hex')}\n`);
  writeFileSync(
    at('etc/resolv.conf'),
    hostNameservers()
      .map((ns) => `nameserver ${ns}\n`)
      .join(''),
  );
  mkdirSync(at('root/.ssh'), { recursive: true, mode: 0o700 });
  writeFileSync(at('root/.ssh/authorized_keys'), publicKey(), { mode: 0o600 });
}

/** The guest's network, from the host: netns, veth (eth0 inside), addresses, default route, NAT. */
function makeNetwork(record: GuestRecord, guest: Guest): void {
  const { netns, veth, nftTable } = record;
  const subnet = `10.213.${record.index}.0/30`;
  const inner = `${veth}g`;
  hostMust('ip', ['netns', 'add', netns]);
  hostMust('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', inner]);
  hostMust('ip', ['link', 'set', inner, 'netns', netns]);
  hostMust('ip', ['-n', netns, 'link', 'set', inner, 'name', 'eth0']);
  hostMust('ip', ['addr', 'add', `${guest.hostAddress}/30`, 'dev', veth]);
  hostMust('ip', ['link', 'set', veth, 'up']);
  hostMust('ip', ['-n', netns, 'addr', 'add', `${guest.address}/30`, 'dev', 'eth0']);
  hostMust('ip', ['-n', netns, 'link', 'set', 'eth0', 'up']);
  hostMust('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
  hostMust('ip', ['-n', netns, 'route', 'add', 'default', 'via', guest.hostAddress]);
  // Masquerade what leaves the host from the guest's subnet; accept forwarding to and from it
  // (in case the host's forward policy drops; other tables' drops still win, as nftables does).
  hostMust(
    'nft',
    ['-f', '-'],
    30_000,
    [
      `table ip ${nftTable} {`,
      '  chain nat_out {',
      '    type nat hook postrouting priority srcnat; policy accept;',
      `    ip saddr ${subnet} oifname != "${veth}" masquerade`,
      '  }',
      '  chain pass {',
      '    type filter hook forward priority filter; policy accept;',
      `    ip saddr ${subnet} accept`,
      `    ip daddr ${subnet} accept`,
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  enableForwarding();
}

/**
 * The usual way in a test: a guest of `suite`, booted and ready, removed when the test ends
 * (t.after; also on failure, and by the exit and signal handlers if the process is stopped).
 */
export async function bootGuest(t: TestContext, suite: Suite, options: GuestOptions = {}): Promise<Guest> {
  const guest = await createGuest(suite, options);
  t.after(() => guest.destroy());
  await guest.start();
  return guest;
}

// ---------------------------------------------------------------------------------------------
// Exit and signal handlers

let handlersInstalled = false;

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const removeAll = (why: string) => {
    if (live.size > 0) log(`uwsgi-nginx-guide vm: ${why}: removing ${live.size} guest(s)`);
    for (const guest of [...live]) {
      try {
        guest.destroySync();
      } catch (error) {
        log(`could not remove ${guest.name}: ${(error as Error).message}`);
      }
    }
    if (keyDir) rmSync(keyDir, { recursive: true, force: true });
  };
  process.on('exit', () => removeAll('exit'));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      removeAll(sig);
      process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const)[sig]);
    });
  }
}
