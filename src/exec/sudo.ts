// sudo for a wizard run by an account that is not root.
//
// Every command runs in a session of its own, detached from the terminal (system.ts: so that
// stopping it reaches all its children). sudo ties its remembered password to the terminal
// (Debian's default, timestamp_type=tty), so a `sudo -v` typed before the screen does not carry
// over, and a sudo without a terminal cannot ask: "a terminal is required to read the password".
//
// So the password is asked once, before the screen, and checked; from then on the commands' sudo
// gets it from a helper of ours, as sudo's own askpass mechanism intends (`sudo -A`, SUDO_ASKPASS):
// - a private directory (0700, ours) holds a `sudo` that runs the real sudo with -A, first on the
//   commands' PATH, so that each line runs exactly as shown (`sudo apt-get install …`);
// - and `askpass`, which sudo runs when it needs the password: it re-runs this program in its
//   askpass mode, which fetches the password over a unix socket in that directory and prints it;
// - the wizard answers on that socket. The password stays in this process's memory and that one
//   pipe: it is never written to a file, an environment variable or a log.
//   Who may ask: only this account (and root), as the directory is 0700. A program of this same
//   account running meanwhile (the app's own code, a package's build) could ask too; it could as
//   well read this process's memory or the account's shell start-up files, so that is the same
//   trust, not a new one, and the socket is gone when the wizard ends.
// An account that may use sudo without a password (NOPASSWD) needs none of this.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellLine } from '../engine/commands.js';
import { findOnPath } from './platform.js';
import { directoryProblem } from './run-lock.js';

/** The flag that turns this program into the askpass helper (never typed by a person). */
export const ASKPASS_FLAG = '--sudo-askpass';

export interface SudoResult {
  code: number | null;
  output: string;
}

/**
 * Run sudo with these arguments the way commands run: no terminal, stdin empty. In the C locale:
 * its answer is read below, and Debian's sudo speaks Japanese too.
 */
function runSudo(sudoPath: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<SudoResult> {
  return new Promise((resolve) => {
    const child = spawn(sudoPath, args, {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...env, LC_ALL: 'C' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, output: error.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

export type SudoNeed =
  | { kind: 'no-sudo' }
  /** sudo will not run commands for this account at all (not in sudoers, requiretty): what it said. */
  | { kind: 'refused'; output: string }
  /** sudo runs without asking (NOPASSWD). */
  | { kind: 'no-password'; sudoPath: string }
  | { kind: 'password'; sudoPath: string };

/** Whether this account's sudo, run as the commands run it (no terminal), needs a password. */
export async function sudoNeed(): Promise<SudoNeed> {
  const sudoPath = findOnPath('sudo');
  if (!sudoPath) return { kind: 'no-sudo' };
  // -n: never ask; it fails at once when a password would be needed (or the account may not sudo).
  // -k: not from a password remembered a moment ago (a ticket would run out in the middle of the run).
  const result = await runSudo(sudoPath, ['-n', '-k', 'true']);
  if (result.code === 0) return { kind: 'no-password', sudoPath };
  return /a password is required/.test(result.output)
    ? { kind: 'password', sudoPath }
    : { kind: 'refused', output: result.output };
}

export type PasswordCheck = 'accepted' | 'wrong' | 'refused';

/** Whether sudo's output (C locale) says the password was wrong; anything else is another refusal. */
function wrongPassword(output: string): boolean {
  return /incorrect password|Sorry, try again|no password was provided/.test(output);
}

/** The askpass helper: the private directory, its socket, and the environment the commands get. */
export interface Askpass {
  /** What sudo prints, once the password is settled: commands add it to their environment. */
  readonly env: Record<string, string>;
  /** Try a password: sudo asks for it once (never from its memory, -k); accepted, it is kept. */
  check(password: string): Promise<{ result: PasswordCheck; output: string }>;
  /** Stop answering and remove the directory. */
  close(): void;
}

/**
 * Set up the helper. `self` is the command line that runs this same program (self.ts): the
 * askpass script runs it with ASKPASS_FLAG and the socket's path.
 */
export async function startAskpass(sudoPath: string, self: string[]): Promise<Askpass> {
  // mkdtemp makes the directory 0700: only this account (and root) may enter it, use its socket
  // or change its scripts. Under XDG_RUNTIME_DIR when there is one (the account's own tmpfs).
  // Not one kept from another account by `su` (it would not let us in), nor one others may write to.
  const runtime = process.env.XDG_RUNTIME_DIR;
  const base = runtime?.startsWith('/') && directoryProblem(runtime) === undefined ? runtime : tmpdir();
  const dir = mkdtempSync(join(base, 'uwsgi-nginx-guide-sudo-'));
  const socketPath = join(dir, 'askpass.sock');
  const askpassPath = join(dir, 'askpass');
  // sudo runs the helper with its prompt as the one argument; the helper does not need it.
  writeFileSync(askpassPath, `#!/bin/sh\nexec ${shellLine(...self, ASKPASS_FLAG, socketPath)}\n`, { mode: 0o700 });
  writeFileSync(join(dir, 'sudo'), `#!/bin/sh\nexec ${shellLine(sudoPath)} -A "$@"\n`, { mode: 0o700 });

  let password: string | undefined;
  // While a password is tried, it is given once: a wrong one asked for again fails at once
  // instead of counting sudo's three attempts against the account.
  let answersLeft = 0;
  const server = net.createServer((connection) => {
    connection.on('error', () => undefined);
    if (password === undefined || answersLeft <= 0) {
      connection.destroy();
      return;
    }
    answersLeft -= 1;
    connection.end(`${password}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  server.unref();

  const env = { SUDO_ASKPASS: askpassPath, PATH: `${dir}:${process.env.PATH ?? ''}` };
  let closed = false;
  return {
    env,
    async check(candidate) {
      password = candidate;
      answersLeft = 1;
      // -k: ask, even if sudo remembers an earlier password; -A: through the helper.
      const result = await runSudo(sudoPath, ['-k', '-A', 'true'], { ...process.env, SUDO_ASKPASS: askpassPath });
      if (result.code === 0) {
        answersLeft = Number.POSITIVE_INFINITY;
        return { result: 'accepted', output: result.output };
      }
      password = undefined;
      return { result: wrongPassword(result.output) ? 'wrong' : 'refused', output: result.output };
    },
    close() {
      if (closed) return;
      closed = true;
      password = undefined;
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The askpass helper's side: fetch the password from the wizard's socket and print it for sudo.
 * Exits 1 with nothing printed when the wizard does not answer: sudo then stops asking.
 */
export function runAskpassClient(socketPath: string): Promise<number> {
  return new Promise((resolve) => {
    let answer = '';
    const connection = net.connect(socketPath);
    connection.setEncoding('utf8');
    connection.on('data', (chunk: string) => (answer += chunk));
    connection.on('error', () => resolve(1));
    connection.on('close', () => {
      if (!answer.endsWith('\n')) return resolve(1);
      process.stdout.write(answer, () => resolve(0));
    });
  });
}
