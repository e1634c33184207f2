// The shipped CLI run as a person runs it, by tests that must leave this machine as it is. As root
// the wizard takes the machine's run lock (/run/uwsgi-nginx-guide/run.lock) before its questions:
// a real run here (the e2e suite's, for minutes) would make such a test fail as busy, and the test
// holding it would make that run fail. So, as root, the CLI runs in a mount namespace of its own
// with an empty /run: its lock is its own. `mounts` can also give it an /etc and a /home of its own
// (a machine without normal accounts, where adduser may then create one, in the copy only).
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plain, sleep } from './helpers.js';

/** This file runs as dist/test/cli-run.js. */
const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHIPPED = join(PROJECT, 'dist', 'bundle', 'uwsgi-nginx-guide.cjs');
export const IS_ROOT = process.getuid?.() === 0;

/** Why the CLI cannot be kept apart from the machine here (false: it can). */
export const cannotIsolate: string | false = !IS_ROOT
  ? false
  : spawnSync('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', 'mount -t tmpfs none /run'])
        .status === 0
    ? false
    : "as root without a mount namespace of its own (unshare --mount) the wizard would take the machine's run lock";

export interface Mounts {
  /** A directory mounted on /etc (a copy of it). */
  etc?: string;
  /** A directory mounted on /home. */
  home?: string;
}

/** The program and arguments that run `shellCommand` kept apart from the machine's run lock. */
function isolated(shellCommand: string, mounts: Mounts = {}): [string, string[]] {
  if (!IS_ROOT) return ['sh', ['-c', shellCommand]];
  const mount = [
    'mount -t tmpfs none /run',
    ...(mounts.etc ? ['mount --bind "$1" /etc'] : []),
    ...(mounts.home ? ['mount --bind "$2" /home'] : []),
  ].join(' && ');
  const script = `${mount} && exec sh -c "$3"`;
  return [
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      '--',
      'sh',
      '-c',
      script,
      'sh',
      mounts.etc ?? '',
      mounts.home ?? '',
      shellCommand,
    ],
  ];
}

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * The environment of a person's run: a state directory of the test's own, no runtime directory (a
 * lock of another account's runs there), and no SUDO_USER but the one given.
 */
export function personEnv(state: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_STATE_HOME: state, LANG: 'C.UTF-8', TERM: 'xterm', ...extra };
  delete env.XDG_RUNTIME_DIR;
  if (extra.SUDO_USER === undefined) delete env.SUDO_USER;
  return env;
}

/** Run the shipped CLI without a terminal, to its end. */
export function runShipped(args: string[], env: NodeJS.ProcessEnv) {
  const [file, argv] = isolated([process.execPath, SHIPPED, ...args].map(quote).join(' '));
  return spawnSync(file, argv, { encoding: 'utf8', env, timeout: 60_000 });
}

/**
 * The shipped CLI in a pseudo-terminal (util-linux's `script`, as bundle.test.ts draws the
 * screen), typed at as a person would: `until` waits for text to appear after what was waited for
 * before, `type` sends keys, `ended` waits for the exit.
 */
export function inTerminal(args: string[], env: NodeJS.ProcessEnv, mounts?: Mounts) {
  // Sized, or the prompts wrap at column 0.
  const command = `stty cols 160 rows 50; exec ${[process.execPath, SHIPPED, ...args].map(quote).join(' ')}`;
  const [file, argv] = isolated(`exec script -qfec ${quote(command)} /dev/null`, mounts);
  const child = spawn(file, argv, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let raw = '';
  child.stdout.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
  let closed = false;
  const exited = new Promise<number | null>((done) =>
    child.on('close', (code) => {
      closed = true;
      done(code);
    }),
  );
  let seenUpTo = 0;
  const screen = () => plain(raw).replace(/\r/g, '');
  return {
    screen,
    /** Wait for `text` after the point the last `until` found; resolves with what came in between. */
    async until(text: RegExp | string, timeoutMs = 20_000): Promise<string> {
      const find = () => {
        const rest = screen().slice(seenUpTo);
        const at = typeof text === 'string' ? rest.indexOf(text) : rest.search(text);
        return at === -1 ? undefined : { at, rest };
      };
      const deadline = Date.now() + timeoutMs;
      while (find() === undefined) {
        if (Date.now() > deadline || closed) {
          throw new Error(`no ${String(text)} in the terminal, after:\n${screen().slice(seenUpTo)}`);
        }
        await sleep(20);
      }
      const { at, rest } = find()!;
      const matched = typeof text === 'string' ? text.length : (rest.slice(at).match(text)?.[0].length ?? 0);
      seenUpTo += at + matched;
      return rest.slice(0, at + matched);
    },
    type(keys: string): void {
      child.stdin.write(keys);
    },
    async ended(timeoutMs = 20_000): Promise<number | null> {
      const timer = setTimeout(() => child.pid !== undefined && child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    stop(): void {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
