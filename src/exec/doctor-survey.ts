// What the doctor reads of the machine (issue 16), all of it before it judges anything: nginx (is
// it there, does it run, as whom, `nginx -t`, `nginx -T`, the sites), the running uWSGIs and their
// ini files, every directory on the way to each socket named and whether something listens there,
// the ports uWSGIs listen on, the logs since the last start, the page through nginx, a request
// straight to uWSGI's socket, and the app imported as its user. Only reads: nothing is changed.
import { promises as fs, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { pairSites, type UwsgiInstance } from '../engine/doctor/pairing.js';
import { parseUwsgiIni, resolveSocketPath } from '../engine/doctor/uwsgi-config.js';
import {
  appInstanceOf,
  type AnswerSeen,
  type AppPlace,
  type DoctorSurvey,
  type FileSeen,
  type Looked,
  type LogSeen,
  type PathPart,
  type SocketSeen,
  type StaticsSeen,
} from '../engine/doctor/survey.js';
import type { SurveyPrivilege } from '../app/surroundings.js';
import { shellLine } from '../engine/commands.js';
import { discoverUwsgi, readNginxConfig, readUwsgiProcesses } from './doctor-config.js';
import { readJournal, readNginxErrorLog, readUpstartLog, readUwsgiLogFile } from './doctor-logs.js';
import { listProcesses } from './proc.js';
import { execQuiet } from './system.js';
import { uwsgiRequest } from './uwsgi-request.js';

/** Names of accounts and groups by id, from /etc/passwd and /etc/group. */
function idNames(file: string): Map<number, string> {
  const names = new Map<number, string>();
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && id !== undefined) names.set(Number(id), name);
    }
  } catch {
    // Names stay numbers.
  }
  return names;
}

async function look(command: string, timeoutMs = 15_000): Promise<Looked> {
  const result = await execQuiet(command, { timeoutMs });
  const output = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
  return { command, exitCode: result.code, output };
}

async function readSeen(
  path: string,
  users: Map<number, string>,
  groups: Map<number, string>,
): Promise<FileSeen | undefined> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(path, 'utf8'), fs.lstat(path)]);
    if (!stat.isFile()) return undefined;
    return {
      path,
      text,
      owner: users.get(stat.uid) ?? String(stat.uid),
      group: groups.get(stat.gid) ?? String(stat.gid),
      mode: stat.mode & 0o7777,
      mtimeMs: stat.mtimeMs,
    };
  } catch {
    return undefined;
  }
}

/** Every path from / down to `path`, as lstat sees each; the walk ends at the first one missing. */
async function pathParts(path: string, users: Map<number, string>, groups: Map<number, string>): Promise<PathPart[]> {
  const names = path.split('/').filter(Boolean);
  const parts: PathPart[] = [];
  for (let i = 0; i <= names.length; i += 1) {
    const at = `/${names.slice(0, i).join('/')}`;
    try {
      const stat = await fs.lstat(at);
      const type = stat.isDirectory()
        ? 'dir'
        : stat.isSocket()
          ? 'socket'
          : stat.isFile()
            ? 'file'
            : stat.isSymbolicLink()
              ? 'link'
              : 'other';
      parts.push({
        path: at,
        type,
        mode: stat.mode & 0o7777,
        uid: stat.uid,
        gid: stat.gid,
        owner: users.get(stat.uid) ?? String(stat.uid),
        group: groups.get(stat.gid) ?? String(stat.gid),
      });
    } catch {
      parts.push({ path: at, type: 'missing', mode: 0, uid: -1, gid: -1, owner: '', group: '' });
      break;
    }
  }
  return parts;
}

/**
 * The paths of listening unix sockets (/proc/net/unix: flag __SO_ACCEPTCON, state unconnected). The
 * table holds a path as it was bound: a relative one (the guide's `socket = myapp.sock`) is in the
 * directory of the process holding it, when it is one of `processes`.
 */
export async function listeningUnixPaths(processes: { pid: number; cwd?: string }[]): Promise<Set<string>> {
  const paths = new Set<string>();
  const text = await fs.readFile('/proc/net/unix', 'utf8').catch(() => '');
  const listening = new Map<string, string>();
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    // Num RefCount Protocol Flags Type St Inode Path
    if (fields.length >= 8 && fields[3] === '00010000') listening.set(fields[6]!, fields.slice(7).join(' '));
  }
  const holderCwd = new Map<string, string>();
  if ([...listening.values()].some((path) => !path.startsWith('/') && !path.startsWith('@')))
    for (const process of processes) {
      if (process.cwd === undefined) continue;
      for (const inode of await socketInodes(process.pid)) holderCwd.set(inode, process.cwd);
    }
  for (const [inode, path] of listening) {
    const cwd = holderCwd.get(inode);
    paths.add(path.startsWith('/') || cwd === undefined ? path : join(cwd, path));
  }
  return paths;
}

/** The inodes of the sockets a process holds open. */
async function socketInodes(pid: number): Promise<string[]> {
  const fds = await fs.readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  const links = await Promise.all(fds.map((fd) => fs.readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  return links.flatMap((link) => /^socket:\[(\d+)\]$/.exec(link)?.[1] ?? []);
}

/** Listening TCP ports by socket inode (/proc/net/tcp and tcp6: state 0A). */
async function listeningTcpInodes(): Promise<Map<string, number>> {
  const ports = new Map<string, number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await fs.readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] !== '0A') continue;
      const port = parseInt(fields[1]?.split(':').at(-1) ?? '', 16);
      if (fields[9]) ports.set(fields[9], port);
    }
  }
  return ports;
}

/** The TCP ports uWSGI processes listen on, with the process holding each. */
async function uwsgiPorts(processes: { pid: number }[]): Promise<{ port: number; pid: number }[]> {
  const inodes = await listeningTcpInodes();
  const found: { port: number; pid: number }[] = [];
  for (const process of processes) {
    for (const inode of await socketInodes(process.pid)) {
      const port = inodes.get(inode);
      if (port !== undefined && !found.some((f) => f.port === port)) found.push({ port, pid: process.pid });
    }
  }
  return found;
}

/** nginx's workers' account: from a worker process, with its groups. */
async function nginxWorker(
  users: Map<number, string>,
): Promise<{ running: boolean; workerUser?: { name: string; uid: number; gids: number[] } }> {
  const all = await listProcesses();
  const running = all.some((p) => p.commandLine.startsWith('nginx: master process'));
  const worker = all.find((p) => p.commandLine.startsWith('nginx: worker process'));
  if (!worker) return { running };
  try {
    const status = await fs.readFile(`/proc/${worker.pid}/status`, 'utf8');
    const gid = Number(/^Gid:\s+(\d+)/m.exec(status)?.[1]);
    const groups = (/^Groups:\s*(.*)$/m.exec(status)?.[1] ?? '').split(/\s+/).filter(Boolean).map(Number);
    const name = users.get(worker.realUid) ?? String(worker.realUid);
    return { running, workerUser: { name, uid: worker.realUid, gids: [gid, ...groups] } };
  } catch {
    return { running };
  }
}

/** A page through nginx: port 80 of this machine, asked for the server name (the site's page: `/`). */
function askPage(serverName: string, path = '/'): Promise<AnswerSeen> {
  return new Promise((resolve) => {
    const url = `http://127.0.0.1${path}`;
    const request = http.get(url, { headers: { Host: serverName }, timeout: 10_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk.slice(0, 2000)));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: body.slice(0, 2000) }));
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, body: '' }));
  });
}

/** Up to `most` files below a directory (as root reads it), their paths relative to it. */
async function someFiles(dir: string, most: number, below = ''): Promise<string[]> {
  const entries = await fs.readdir(join(dir, below), { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const entry of entries) {
    if (found.length >= most) break;
    const relative = below === '' ? entry.name : `${below}/${entry.name}`;
    if (entry.isFile()) found.push(relative);
    else if (entry.isDirectory()) found.push(...(await someFiles(dir, most - found.length, relative)));
  }
  return found;
}

/** An own project's static files: their directory on its way from /, and one of them asked through nginx. */
async function staticsSeen(
  statics: { url: string; dir: string },
  serverName: string,
  users: Map<number, string>,
  groups: Map<number, string>,
): Promise<StaticsSeen> {
  const [parts, files] = await Promise.all([pathParts(statics.dir, users, groups), someFiles(statics.dir, 5)]);
  const seen: StaticsSeen = { parts, files: files.length };
  const first = files[0];
  // Only a name a URL carries as it is: nothing to escape, nothing nginx would read otherwise.
  if (first && /^[\w./-]+$/.test(first)) {
    const url = `${statics.url}${first}`;
    seen.asked = { url, answer: await askPage(serverName, url) };
  }
  return seen;
}

/** A GET / straight to a uwsgi-protocol socket, as nginx would send it. */
async function askSocket(path: string, serverName: string): Promise<AnswerSeen> {
  const answer = await uwsgiRequest({ kind: 'unix', path }, { host: serverName, serverPort: 80, timeoutMs: 8000 });
  if (answer.ok) return { status: answer.status, body: answer.body.slice(0, 2000) };
  return { error: answer.error, body: answer.received ?? '' };
}

/** Python that imports the app as uWSGI would (module:callable) and says nothing when it works. */
function importLine(python: string, module: string): string | undefined {
  const [name = '', callable = 'application'] = module.split(':');
  // Only names Python could import: nothing of the ini's text becomes code.
  if (!/^[A-Za-z_][\w.]*$/.test(name) || !/^[A-Za-z_]\w*$/.test(callable)) return undefined;
  const code = `import importlib, sys; sys.path.insert(0, '.'); getattr(importlib.import_module('${name}'), '${callable}')`;
  // -B: no __pycache__ left in the app's directory; the doctor only looks.
  return shellLine(python, '-B', '-c', code);
}

/** The wizard's ini as an instance, when nothing found runs it (uWSGI stopped, no unit, no job). */
function wizardIni(place: AppPlace, instances: UwsgiInstance[], ini: FileSeen | undefined): UwsgiInstance[] {
  if (!ini || appInstanceOf(instances, place.ini)) return [];
  return [
    {
      source: 'ini',
      origin: place.ini,
      pids: [],
      options: parseUwsgiIni(ini.text, { path: place.ini }),
      cwd: place.appDir,
    },
  ];
}

export async function surveyForDoctor(place: AppPlace, privilege: SurveyPrivilege): Promise<DoctorSurvey> {
  const users = idNames('/etc/passwd');
  const groups = idNames('/etc/group');
  const nginxPath = ['/usr/sbin/nginx', '/usr/local/sbin/nginx'];
  const installed = (
    await Promise.all(
      nginxPath.map((p) =>
        fs.access(p).then(
          () => true,
          () => false,
        ),
      ),
    )
  ).some(Boolean);
  const { running, workerUser } = await nginxWorker(users);
  const survey: DoctorSurvey = {
    place,
    nginx: { installed, running, sitesAvailable: [], sitesEnabled: [] },
    uwsgi: { processes: [], instances: [] },
    files: [],
    sockets: [],
    uwsgiPorts: [],
    logs: [],
    requests: { page: { body: '' } },
  };
  if (workerUser) survey.nginx.workerUser = workerUser;
  let changedAt: number | undefined;
  if (installed) {
    survey.nginx.test = await look(privilege.asRoot('nginx -t'));
    if (survey.nginx.test.exitCode === 0) {
      const read = await readNginxConfig();
      if (read.ok) {
        const config = read.config;
        survey.nginx.config = config;
        const mtimes = await Promise.all(
          config.files.map((f) =>
            fs.stat(f.path).then(
              (s) => s.mtimeMs,
              () => 0,
            ),
          ),
        );
        changedAt = Math.max(0, ...mtimes);
        // Without a worker to ask (nginx stopped), the account its configuration names.
        if (!workerUser && config.user) {
          const uid = [...users].find(([, name]) => name === config.user?.name)?.[0];
          if (uid !== undefined) survey.nginx.workerUser = { name: config.user.name, uid, gids: [] };
        }
      } else {
        survey.nginx.configProblem = read.parseError ?? read.output.join('\n');
      }
    }
    survey.nginx.sitesAvailable = await fs.readdir('/etc/nginx/sites-available').catch(() => []);
    const enabled = await fs.readdir('/etc/nginx/sites-enabled').catch(() => [] as string[]);
    survey.nginx.sitesEnabled = await Promise.all(
      enabled.map(async (name) => {
        const target = await fs.readlink(join('/etc/nginx/sites-enabled', name)).catch(() => undefined);
        return target ? { name, target } : { name };
      }),
    );
  }

  const processes = await readUwsgiProcesses();
  survey.uwsgi.processes = processes.map((p) => ({ ...p, user: users.get(p.uid ?? -1) ?? String(p.uid) }));
  const unit = place.serviceManager === 'systemd' ? `/etc/systemd/system/${place.app}.service` : undefined;
  const job = place.serviceManager === 'upstart' ? `/etc/init/${place.app}.conf` : undefined;
  const files = await Promise.all(
    [place.ini, place.wsgiPy, place.siteAvailable, unit, job, place.django?.settingsFile, place.django?.projectSettings]
      .filter((path) => path !== undefined)
      .map((path) => readSeen(path, users, groups)),
  );
  survey.files = files.filter((file) => file !== undefined);
  const instances = discoverUwsgi(processes);
  survey.uwsgi.instances = [
    ...instances,
    ...wizardIni(
      place,
      instances,
      survey.files.find((f) => f.path === place.ini),
    ),
  ];

  // Every unix socket either side names, each looked at on its whole path.
  const socketPaths = new Set<string>();
  if (survey.nginx.config) {
    const pairing = pairSites(survey.nginx.config, survey.uwsgi.instances);
    for (const target of [...pairing.pairs.map((p) => p.site), ...pairing.unserved.map((u) => u.site)])
      if (target.target.kind === 'unix') socketPaths.add(target.target.path);
  }
  for (const instance of survey.uwsgi.instances)
    for (const socket of instance.options.sockets) {
      const address = resolveSocketPath(instance.options, socket, instance.cwd);
      if (address.kind === 'unix') socketPaths.add(address.path);
    }
  const listening = await listeningUnixPaths(processes);
  survey.sockets = await Promise.all(
    [...socketPaths].map(
      async (path): Promise<SocketSeen> => ({
        path,
        parts: await pathParts(path, users, groups),
        listening: listening.has(path),
      }),
    ),
  );
  survey.uwsgiPorts = await uwsgiPorts(processes);

  const logs: LogSeen[] = [];
  // nginx's lines carry whole seconds: one written in the second the configuration changed may be
  // about the configuration before; only the seconds after it are surely news.
  const since = changedAt ? new Date(Math.floor(changedAt / 1000) * 1000 + 1000) : undefined;
  const nginxLog = readNginxErrorLog(since ? { since } : {});
  logs.push({ source: 'nginx', file: nginxLog.file, lines: nginxLog.lines });
  const uwsgiLog =
    place.serviceManager === 'systemd'
      ? await readJournal(place.app)
      : place.serviceManager === 'upstart'
        ? readUpstartLog(place.app)
        : readUwsgiLogFile(place.uwsgiLog);
  logs.push({ source: uwsgiLog.source, file: uwsgiLog.file, lines: uwsgiLog.lines });
  survey.logs = logs;

  survey.requests.page = await askPage(place.serverName);
  const served =
    survey.sockets.find((s) => s.listening && s.path === place.socket) ?? survey.sockets.find((s) => s.listening);
  if (served) survey.requests.socket = await askSocket(served.path, place.serverName);
  if (place.statics) survey.statics = await staticsSeen(place.statics, place.serverName, users, groups);

  // The app imported as uWSGI would: from the directory uWSGI starts in, the module its ini names.
  const app = appInstanceOf(survey.uwsgi.instances, place.ini);
  const module = app?.options.module ?? 'wsgi:application';
  const from = app?.options.chdir ?? app?.cwd ?? place.appDir;
  const line = importLine(`${place.venv}/bin/python`, module);
  if (line) survey.appImport = await look(`cd ${shellLine(from)} && ${privilege.asUser(line)}`);
  return survey;
}
