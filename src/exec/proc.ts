// The one walk over /proc: what the wizard reads of the machine's running processes (the probes'
// process counts, nginx's workers waited for, the run lock's check that a pid is still the same
// process, a dpkg at work under a running apt, apt or dpkg under a command a killed run left).
// Read straight from /proc: no `ps` to spawn, nothing parsed from its columns.
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';

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

/**
 * The first option of dpkg's that only asks (apt asks `dpkg --print-foreign-architectures` before
 * it takes any lock): such a dpkg changes nothing. Any other dpkg counts as at work, the safe side.
 */
const DPKG_QUERY =
  /^(--print-|--compare-versions$|--assert-|--validate-|--version$|--help$|--audit$|-C$|-l$|--list$|-s$|--status$|-L$|--listfiles$|-S$|--search$|--get-selections$)/;

/** Each running process's name (/proc/PID/comm), state and parent, read from /proc/PID/stat. */
interface TreeEntry {
  name: string;
  state: string;
  ppid: number;
}

function processTree(): Map<number, TreeEntry> {
  const tree = new Map<number, TreeEntry>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid …": the name may hold spaces and parentheses, so the fields after its last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      tree.set(Number(entry), { name, state: state!, ppid: Number(ppid) });
    } catch {
      // The process ended while we looked.
    }
  }
  return tree;
}

function descendsFrom(tree: Map<number, TreeEntry>, pid: number, root: number): boolean {
  for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 64; hops++) {
    if (p === root) return true;
    p = tree.get(p)?.ppid;
  }
  return false;
}

/**
 * The processes under `root` (itself included) that are alive and named as one of `names`.
 * A zombie has ended and shows no command line: apt's `dpkg --print-foreign-architectures` not
 * yet reaped would count as work.
 */
function runningUnder(tree: Map<number, TreeEntry>, root: number, names: readonly string[]): number[] {
  return [...tree]
    .filter(([pid, p]) => names.includes(p.name) && p.state !== 'Z' && descendsFrom(tree, pid, root))
    .map(([pid]) => pid);
}

/** Whether a dpkg that changes the package database runs under process `root` (its descendants: sudo and apt between). */
export function dpkgAtWorkUnder(root: number): boolean {
  // A dpkg that worked ran far longer than the executor's look (every 100 ms).
  return runningUnder(processTree(), root, ['dpkg']).some((pid) => !onlyAsks(pid));
}

/** apt's programs: between two runs of dpkg (unpack, then configure) apt alone holds the work half-done. */
const APT_PROGRAMS = ['apt', 'apt-get', 'aptitude'] as const;

/**
 * Whether apt, or a dpkg at work, runs under process `root`. For a command whose past is unknown
 * (one a killed run left running), apt may be between two of dpkg's runs: it must not be cut off either.
 */
export function packageManagerAtWorkUnder(root: number): boolean {
  const tree = processTree();
  if (runningUnder(tree, root, APT_PROGRAMS).length > 0) return true;
  return runningUnder(tree, root, ['dpkg']).some((pid) => !onlyAsks(pid));
}

function onlyAsks(dpkg: number): boolean {
  try {
    const args = readFileSync(`/proc/${dpkg}/cmdline`, 'utf8').split('\0').slice(1);
    const firstOption = args.find((arg) => arg.startsWith('-'));
    return firstOption !== undefined && DPKG_QUERY.test(firstOption);
  } catch {
    // Ended already: it is no longer at work.
    return true;
  }
}

/**
 * A uWSGI's command line from the program on: `uwsgi …`, `uwsgi-core …`, or, for PyPI's prebuilt pyuwsgi
 * (`--uwsgi-from wheel`), whose `uwsgi` is a Python script, `…/bin/python3 …/bin/uwsgi …` without its interpreter.
 * undefined for any other program.
 */
export function uwsgiArgv(words: string[]): string[] | undefined {
  const isUwsgi = (word: string | undefined) => /(^|\/)uwsgi(-core)?$/.test(word ?? '');
  if (isUwsgi(words[0])) return words;
  if (/(^|\/)python[0-9.]*$/.test(words[0] ?? '') && isUwsgi(words[1])) return words.slice(1);
  return undefined;
}
