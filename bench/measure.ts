// Timing helpers of the bench: medians, a command's wall time, and the time until a text appears
// on a pseudo-terminal (util-linux `script` gives the command one, as a terminal would).
import { spawn, spawnSync } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Wall time of one command run to its end (ms); it must exit 0 unless `anyExit`. */
export function timeCommand(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  anyExit = false,
): number {
  const startedAt = process.hrtime.bigint();
  const result = spawnSync(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
  if (!anyExit && result.status !== 0)
    throw new Error(`${file} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

/** A shell command line run by `script` on a pseudo-terminal of `cols`×`rows`. */
export function onTerminal(commandLine: string, cols = 120, rows = 40): [string, string[]] {
  return ['script', ['-qfec', `stty cols ${cols} rows ${rows}; exec ${commandLine}`, '/dev/null']];
}

/**
 * Launch a command on a pseudo-terminal and resolve with the ms until `text` is on its screen
 * (or, with `text` undefined, until it ends). The command is then killed with its process group.
 */
export function timeUntilShown(
  commandLine: string,
  text: string | undefined,
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): Promise<number> {
  const [file, args] = onTerminal(commandLine);
  return new Promise((resolve, reject) => {
    const startedAt = process.hrtime.bigint();
    // stdin stays an open pipe: `script` would pass an end of input on to the command.
    const child = spawn(file, args, { env, detached: true, stdio: ['pipe', 'pipe', 'ignore'] });
    let screen = '';
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // It has ended already.
      }
      if (error) reject(error);
      else resolve(ms);
    };
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `"${text}" did not appear within ${timeoutMs / 1000}s; the screen:\n${stripVTControlCharacters(screen)}`,
          ),
        ),
      timeoutMs,
    );
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      screen += chunk;
      if (text !== undefined && stripVTControlCharacters(screen).includes(text)) finish();
    });
    child.on('close', () =>
      text === undefined
        ? finish()
        : finish(new Error(`it ended before "${text}" appeared:\n${stripVTControlCharacters(screen)}`)),
    );
  });
}

/** Run `measure` for `a` and `b` alternately, `runs` times each (machines drift: alternate, then take medians). */
export async function alternate(
  runs: number,
  a: () => number | Promise<number>,
  b: () => number | Promise<number>,
): Promise<{ a: number[]; b: number[] }> {
  const times = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < runs; i++) {
    times.a.push(await a());
    times.b.push(await b());
  }
  return times;
}
