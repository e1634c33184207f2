// The configuration the doctor reads from the machine (issue 16): nginx's as `nginx -T` prints it,
// and the uWSGI instances, wherever a person may have made one: systemd units, Upstart jobs, the
// ini files of Debian's uwsgi package and of an emperor's vassals, and the running uWSGI processes
// (their command lines from /proc, as argv, with their working directories). The parsing is pure
// (src/engine/doctor/); here is only the reading. Files are read as the logs are (doctor-logs.ts):
// a link planted in a directory others can write to is not followed.
import { execFile } from 'node:child_process';
import { promises as fs, readdirSync } from 'node:fs';
import { shellLine } from '../engine/commands.js';
import { type NginxConfig, NginxParseError, parseNginxDump } from '../engine/doctor/nginx-config.js';
import {
  instancesFromProcesses,
  mergeOptions,
  type ProcessInfo,
  type UwsgiInstance,
} from '../engine/doctor/pairing.js';
import {
  parseSystemdUnit,
  parseUpstartJob,
  parseUwsgiArgs,
  parseUwsgiIni,
  type UwsgiOptions,
} from '../engine/doctor/uwsgi-config.js';
import { readTail } from './doctor-logs.js';
import { uwsgiArgv } from './proc.js';

/** nginx's configuration, or why `nginx -T` gave none (its exit code and what it printed). */
export type NginxRead =
  | { ok: true; config: NginxConfig; command: string }
  | { ok: false; command: string; exitCode: number | null; output: string[]; parseError?: string };

/** `nginx -T`: the whole configuration as nginx reads it; it fails, saying where, when `nginx -t` would. */
export async function readNginxConfig(nginx = 'nginx', args: string[] = []): Promise<NginxRead> {
  const command = shellLine(nginx, '-T', ...args);
  // nginx takes a NGINX variable for sockets handed over by an upgrade, and complains of any other.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NGINX'));
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(nginx, ['-T', ...args], { env, timeout: 15_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr: error && code === null ? `${stderr}${error.message}\n` : stderr });
    });
  });
  const output = result.stderr.split('\n').filter(Boolean);
  if (result.code !== 0) return { ok: false, command, exitCode: result.code, output };
  try {
    return { ok: true, config: parseNginxDump(result.stdout), command };
  } catch (error) {
    if (!(error instanceof NginxParseError)) throw error;
    return { ok: false, command, exitCode: result.code, output, parseError: error.message };
  }
}

/** Config files are small; this is more than any real one. */
const CONFIG_MAX_BYTES = 1024 * 1024;

/** A configuration file's text, or undefined when it cannot be read (missing, a planted link, denied). */
export function readConfigFile(path: string): string | undefined {
  const read = readTail(path, CONFIG_MAX_BYTES);
  return 'unreadable' in read ? undefined : read.lines.join('\n');
}

/** Every running uWSGI process: its argv (as /proc holds it, NUL-separated), parent, cwd and user. */
export async function readUwsgiProcesses(): Promise<ProcessInfo[]> {
  const entries = (await fs.readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  const read = await Promise.all(
    entries.map(async (entry): Promise<ProcessInfo | undefined> => {
      try {
        const cmdline = await fs.readFile(`/proc/${entry}/cmdline`, 'utf8');
        const words = cmdline.split('\0');
        if (words.at(-1) === '') words.pop();
        const argv = uwsgiArgv(words);
        if (argv === undefined) return undefined;
        const status = await fs.readFile(`/proc/${entry}/status`, 'utf8');
        const info: ProcessInfo = {
          pid: Number(entry),
          ppid: Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0),
          argv,
          uid: Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]),
        };
        const cwd = await fs.readlink(`/proc/${entry}/cwd`).catch(() => undefined);
        if (cwd !== undefined) info.cwd = cwd;
        return info;
      } catch {
        // Ended while it was looked at.
        return undefined;
      }
    }),
  );
  return read.filter((p) => p !== undefined).sort((a, b) => a.pid - b.pid);
}

/** Where the doctor looks for uWSGI's configuration; the defaults are the places the guides use. */
export interface UwsgiPlaces {
  systemdUnits: string[];
  upstartJobs: string[];
  /** Directories of ini files each run by uWSGI on its own (Debian's apps-enabled, vassals). */
  iniDirs: string[];
  /** Debian's default.ini, read before each ini of an `*s-enabled` directory (when it is there). */
  debianDefaultIni?: string;
}

export const UWSGI_PLACES: UwsgiPlaces = {
  systemdUnits: ['/etc/systemd/system'],
  upstartJobs: ['/etc/init'],
  iniDirs: ['/etc/uwsgi/apps-enabled', '/etc/uwsgi/vassals', '/etc/uwsgi-emperor/vassals'],
  debianDefaultIni: '/usr/share/uwsgi/conf/default.ini',
};

/**
 * What Debian's uwsgi package gives an ini of /etc/uwsgi/apps-enabled/ (its init script, 2.0.21-5.1):
 * uWSGI started with its default.ini first (with the namespace and the name in UWSGI_DEB_CONFNAMESPACE
 * and UWSGI_DEB_CONFNAME: `apps-enabled` is the namespace `app`, the ini's name without .ini is the
 * name), then the app's ini, daemonized to /var/log/uwsgi/app/NAME.log: a socket in
 * /run/uwsgi/app/NAME/socket as www-data, 660, beside any the app's ini adds.
 */
function debianAppOptions(path: string, defaultIni: string | undefined): UwsgiOptions | undefined {
  const inApps = /^(.*)\/([^/]+)s-enabled\/([^/]+)\.ini$/.exec(path);
  const text = inApps && defaultIni ? readConfigFile(defaultIni) : undefined;
  const app = iniOptions(path);
  if (!inApps || text === undefined || !app) return app;
  const [, , namespace, name] = inApps;
  const options = { 'deb-confnamespace': namespace, 'deb-confname': name };
  const defaults = parseUwsgiIni(text, { path: defaultIni, options });
  const daemonize = parseUwsgiArgs(['uwsgi', '--daemonize', `/var/log/uwsgi/${namespace}/${name}.log`]);
  return mergeOptions(defaults, app, daemonize);
}

function filesIn(dir: string, suffix: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith(suffix))
      .sort()
      .map((name) => `${dir}/${name}`);
  } catch {
    return [];
  }
}

/** The ini's options, read as uWSGI would (its magic variables from its own path), when it can be read. */
function iniOptions(path: string): UwsgiOptions | undefined {
  const text = readConfigFile(path);
  return text === undefined ? undefined : parseUwsgiIni(text, { path });
}

/**
 * Every uWSGI instance the doctor can find: each unit or job that starts uWSGI (with its ini's
 * options after its command line's), each ini of the ini directories and of the emperors' vassal
 * directories, each running master with the ini its command line names. The running processes are
 * attached to the unit, job or ini they run (the same ini path), and listed on their own otherwise.
 */
export function discoverUwsgi(processes: ProcessInfo[], places: UwsgiPlaces = UWSGI_PLACES): UwsgiInstance[] {
  const running = instancesFromProcesses(processes).map((instance) => {
    // An ini named as a person names it in a shell (`uwsgi --ini myapp.ini`) is where it was started:
    // named so, the process is known as the uWSGI of that ini (appInstanceOf), as one its unit started is.
    const inis = instance.options.inis.map((ini) =>
      ini.startsWith('/') ? ini : `${instance.cwd.replace(/\/$/, '')}/${ini}`,
    );
    const path = inis.at(-1);
    const options = path ? iniOptions(path) : undefined;
    const merged = options ? mergeOptions(instance.options, options) : instance.options;
    return { instance: { ...instance, options: { ...merged, inis } }, ini: path };
  });
  const claimed = new Set<(typeof running)[number]>();
  const pidsOf = (ini: string | undefined): number[] => {
    const found = running.filter((r) => ini !== undefined && r.ini === ini);
    for (const r of found) claimed.add(r);
    return found.flatMap((r) => r.instance.pids);
  };
  const instances: UwsgiInstance[] = [];

  for (const path of places.systemdUnits.flatMap((dir) => filesIn(dir, '.service'))) {
    const text = readConfigFile(path);
    const unit = text === undefined ? undefined : parseSystemdUnit(text);
    if (!unit?.uwsgi) continue;
    const ini = unit.ini ? iniOptions(unit.ini) : undefined;
    const options = ini ? mergeOptions(unit.uwsgi, ini) : unit.uwsgi;
    const cwd = unit.workingDirectory ?? '/';
    instances.push({ source: 'systemd', origin: path, pids: pidsOf(unit.ini), options, cwd });
  }
  for (const path of places.upstartJobs.flatMap((dir) => filesIn(dir, '.conf'))) {
    const text = readConfigFile(path);
    const job = text === undefined ? undefined : parseUpstartJob(text);
    if (!job?.uwsgi) continue;
    const ini = job.ini ? iniOptions(job.ini) : undefined;
    const options = ini ? mergeOptions(job.uwsgi, ini) : job.uwsgi;
    instances.push({ source: 'upstart', origin: path, pids: pidsOf(job.ini), options, cwd: job.chdir ?? '/' });
  }
  // An emperor's vassals are in the directory it was given (a glob's directory, for `*.ini`).
  const emperorDirs = running.flatMap((r) => {
    const emperor = r.instance.options.emperor;
    return emperor ? [emperor.replace(/\/[^/]*[*?[][^/]*$/, '')] : [];
  });
  const iniDirs = [...new Set([...places.iniDirs, ...emperorDirs])];
  for (const path of iniDirs.flatMap((dir) => filesIn(dir, '.ini'))) {
    const options = debianAppOptions(path, places.debianDefaultIni);
    if (!options) continue;
    const source = emperorDirs.some((dir) => path.startsWith(`${dir}/`)) ? 'vassal' : 'ini';
    // An emperor scanning a directory works in it, and its vassals start there; Debian's init
    // script starts its apps from /.
    const cwd = /s-enabled\/[^/]+\.ini$/.test(path) ? '/' : path.slice(0, path.lastIndexOf('/'));
    instances.push({ source, origin: path, pids: pidsOf(path), options, cwd });
  }
  for (const r of running) {
    if (!claimed.has(r) && !r.instance.options.emperor) instances.push(r.instance);
  }
  return instances;
}
