// The one walk over /proc: what the wizard reads of the machine's running processes (the probes'
// process counts, nginx's workers waited for, the run lock's check that a pid is still the same
// process). Read straight from /proc: no `ps` to spawn, nothing parsed from its columns.
import { existsSync, promises as fs, readFileSync } from 'node:fs';

export interface ProcessEntry {
  pid: number;
  /** The real user id (the first of /proc/PID/status's Uid line): whose process it is. */
  realUid: number;
  /** Its arguments joined by spaces: what `ps` shows and what a person would search for. */
  commandLine: string;
}

/** Every process that could be read; one that ends while it is looked at is left out. */
export async function listProcesses(): Promise<ProcessEntry[]> {
  const entries = (await fs.readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  const read = await Promise.all(
    entries.map(async (entry): Promise<ProcessEntry | undefined> => {
      try {
        const [status, cmdline] = await Promise.all([
          fs.readFile(`/proc/${entry}/status`, 'utf8'),
          fs.readFile(`/proc/${entry}/cmdline`, 'utf8'),
        ]);
        const realUid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
        return { pid: Number(entry), realUid, commandLine: cmdline.split('\0').join(' ').trimEnd() };
      } catch {
        return undefined;
      }
    }),
  );
  return read.filter((entry) => entry !== undefined);
}

/** Whether a process with this pid exists now. */
export function processExists(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

/** When a process started (field 22 of /proc/PID/stat), or undefined when there is no such process. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces and ")": count from the last one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
