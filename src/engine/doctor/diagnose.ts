// The doctor's judgement (issue 16): from what was seen (survey.ts), what is wrong, layer by layer
// from the outside in (model.ts's LAYERS): nginx, the site, the route of a request for the name,
// the socket's path on both sides, the socket, nginx's right to reach it, uWSGI, the app, a
// request straight to the socket, the page. It stops explaining at the first layer that fails
// (what lies beyond cannot be judged while it does) and lists what it saw beside it. Pure: the
// same survey always gives the same findings; each carries its evidence and, where the doctor can
// make it (fixes.ts), the exact fix.
import { type FileRead, type FixContext, fixFor, type StartedByHand } from './fixes.js';
import { type LogMatch, matchLogs } from './log-signatures.js';
import { type CauseId, type Evidence, type Finding, LAYERS, type Layer } from './model.js';
import { type NginxConfig, type NginxServer, routeRequest } from './nginx-config.js';
import { type InstanceSocket, type Pairing, pairSites, type SiteTarget, type UwsgiInstance } from './pairing.js';
import { appInstanceOf, type DoctorSurvey, isOfIni, type LogSeen, type PathPart, type SocketSeen } from './survey.js';
import { resolveSocketPath } from './uwsgi-config.js';

export type LayerState = 'ok' | 'failed' | 'not-checked';

export interface DoctorReport {
  healthy: boolean;
  /** The first is the cause to fix first; the others are what was seen beside it. */
  findings: Finding[];
  layers: { layer: Layer; state: LayerState }[];
}

/** A layer's verdict: fine, or what is wrong there; `notes`, what was seen beside it either way. */
type Verdict = { ok: true; notes?: Finding[] } | { ok: false; finding: Finding; notes?: Finding[] };

const pass = (notes: Finding[] = []): Verdict => ({ ok: true, notes });

/** What the walk knows; each layer that passes adds what the layers after it build on. */
interface Known {
  survey: DoctorSurvey;
  config?: NginxConfig;
  pairing?: Pairing;
  /** The app's server block, and where it sends requests. */
  block?: NginxServer;
  targets: SiteTarget[];
  /** The uWSGI that is the app's: the one serving the block, else the one running the app's ini. */
  instance?: UwsgiInstance;
  /** The socket nginx connects to for the app, as found. */
  socket?: SocketSeen;
  uwsgiLog: LogMatch[];
  nginxLog: LogMatch[];
  fixContext: FixContext;
}

/**
 * What is wrong, layer by layer. `range`: only these layers, in their order (the wizard's service
 * step looks from the socket to a request straight to it: nginx's part comes with the next step).
 */
export function diagnose(survey: DoctorSurvey, range?: { from: Layer; to: Layer }): DoctorReport {
  const { place } = survey;
  // The app's uWSGI and socket as its ini says, for a walk that begins after the layers finding them.
  const appInstance = appInstanceOf(survey.uwsgi.instances, place.ini);
  const appSocket = appInstance?.options.sockets
    .map((socket) => resolveSocketPath(appInstance.options, socket, appInstance.cwd))
    .find((address) => address.kind === 'unix');
  const known: Known = {
    survey,
    targets: [],
    uwsgiLog: survey.logs.filter((log) => log.source !== 'nginx').flatMap(matchesOf),
    nginxLog: survey.logs.filter((log) => log.source === 'nginx').flatMap(matchesOf),
    fixContext: fixContextOf(survey),
  };
  if (appInstance) known.instance = appInstance;
  const socket = survey.sockets.find((s) => s.path === (appSocket?.kind === 'unix' ? appSocket.path : place.socket));
  if (socket) known.socket = socket;
  const first = range ? LAYERS.indexOf(range.from) : 0;
  const last = range ? LAYERS.indexOf(range.to) : LAYERS.length - 1;
  const walk: [Layer, (k: Known) => Verdict][] = [
    ['nginx', checkNginx],
    ['site', checkSite],
    ['route', checkRoute],
    ['socket-path', checkSocketPath],
    ['socket', checkSocket],
    ['socket-access', checkSocketAccess],
    ['uwsgi', checkUwsgi],
    ['app', checkApp],
    ['uwsgi-request', checkUwsgiRequest],
    ['page', checkPage],
  ];
  const findings: Finding[] = [];
  const notes: Finding[] = [];
  const layers: DoctorReport['layers'] = [];
  for (const [layer, check] of walk) {
    const at = LAYERS.indexOf(layer);
    if (findings.length > 0 || at < first || at > last) {
      layers.push({ layer, state: 'not-checked' });
      continue;
    }
    const verdict = check(known);
    notes.push(...(verdict.notes ?? []));
    layers.push({ layer, state: verdict.ok ? 'ok' : 'failed' });
    if (!verdict.ok) findings.push(verdict.finding);
  }
  findings.push(...notes);
  return { healthy: findings.length === 0, findings, layers };
}

// ---------------------------------------------------------------------------------------------
// Findings, evidence and fixes

function finding(
  known: Known,
  cause: CauseId,
  layer: Layer,
  facts: Record<string, string | number | undefined>,
  evidence: (Evidence | undefined)[],
): Finding {
  const defined = Object.entries(facts).filter(([, value]) => value !== undefined);
  const made: Finding = {
    cause,
    layer,
    facts: Object.fromEntries(defined.map(([key, value]) => [key, String(value)])),
    evidence: evidence.filter((item) => item !== undefined),
  };
  const fix = fixFor(made, known.fixContext);
  if (fix) made.fix = fix;
  return made;
}

const fail = (made: Finding, notes: Finding[] = []): Verdict => ({ ok: false, finding: made, notes });

/** The known lines of a log, each with the file it was read from (for its evidence). */
function matchesOf(log: LogSeen): LogMatch[] {
  return matchLogs(log.lines, log.source).map((match) => ({ ...match, facts: { ...match.facts, file: log.file } }));
}

/** The newest line of these causes (about this socket, when it names one): the one that tells. */
function lastOf(matches: LogMatch[], causes: CauseId[], socket?: string): LogMatch | undefined {
  return matches
    .filter((m) => causes.includes(m.cause) && (socket === undefined || !m.facts.socket || m.facts.socket === socket))
    .at(-1);
}

function logEvidence(match: LogMatch | undefined): Evidence | undefined {
  return match && { kind: 'log-line', source: match.source, file: match.facts.file ?? '', line: match.line };
}

function commandEvidence(looked: { command: string; exitCode: number | null; output: string[] }): Evidence {
  return { kind: 'command', command: looked.command, exitCode: looked.exitCode, output: looked.output.slice(-8) };
}

function configEvidence(config: NginxConfig | undefined, file: string, line: number): Evidence | undefined {
  const text = config?.files.find((f) => f.path === file)?.text.split('\n')[line - 1];
  return text === undefined ? undefined : { kind: 'config', file, line, text: text.trim() };
}

/** The instance's setting of one option, as its ini has it (its line), for evidence. */
function iniEvidence(known: Known, option: string): Evidence | undefined {
  const instance = known.instance;
  const entry = instance?.options.entries.filter((e) => e.key === option).at(-1);
  if (!instance || !entry || entry.line === undefined) return undefined;
  const file = instance.source === 'process' ? instance.options.inis.at(-1) : instance.origin;
  return file ? { kind: 'config', file, line: entry.line, text: `${entry.key} = ${entry.value}` } : undefined;
}

function statEvidence(part: PathPart): Evidence {
  const type = part.type === 'dir' || part.type === 'socket' || part.type === 'file' ? part.type : 'other';
  return { kind: 'stat', path: part.path, type, mode: part.mode, owner: part.owner, group: part.group };
}

/**
 * The running uWSGIs of the app's ini that the wizard's stop (by its pidfile) would not reach: started in
 * a shell as the guide does, or with another pidfile. Each by its master, the one whose parent is not one of them.
 */
function startedByHand(survey: DoctorSurvey): StartedByHand[] {
  const { place } = survey;
  return survey.uwsgi.instances
    .filter((i) => isOfIni(i, place.ini) && i.pids.length > 0)
    .filter((i) => i.options.pidfile !== place.pidFile)
    .flatMap((i) => {
      const master = survey.uwsgi.processes.find((p) => i.pids.includes(p.pid) && !i.pids.includes(p.ppid));
      return master ? [{ master: master.pid, dieOnTerm: i.options.dieOnTerm === true }] : [];
    });
}

/** Whether a uWSGI of the app's ini runs with the wizard's pidfile: the one the wizard's stop reaches. */
function runsByPidfile(survey: DoctorSurvey): boolean {
  const { place } = survey;
  return survey.uwsgi.instances.some(
    (i) => isOfIni(i, place.ini) && i.pids.length > 0 && i.options.pidfile === place.pidFile,
  );
}

/** What the fixes are made from: the app's files as they are, how uWSGI is run, nginx's account. */
function fixContextOf(survey: DoctorSurvey): FixContext {
  const { place } = survey;
  const file = (path: string): FileRead | undefined => {
    const seen = survey.files.find((f) => f.path === path);
    return seen && { path: seen.path, text: seen.text, owner: seen.owner, group: seen.group, mode: seen.mode };
  };
  const context: FixContext = {
    service:
      place.serviceManager === 'none'
        ? {
            manager: 'none',
            name: place.app,
            start: place.start,
            stop: place.stop,
            byHand: startedByHand(survey),
            byPidfile: runsByPidfile(survey),
          }
        : { manager: place.serviceManager, name: place.app },
    nginxUser: survey.nginx.workerUser?.name ?? place.webGroup,
    nginxGroup: place.webGroup,
    appOwner: place.user,
  };
  const ini = file(place.ini);
  const site = file(place.siteAvailable);
  const wsgi = file(place.wsgiPy);
  const unit = file(`/etc/systemd/system/${place.app}.service`);
  const job = file(`/etc/init/${place.app}.conf`);
  if (ini) context.ini = ini;
  if (site) context.nginxSite = { ...site, enabledLink: place.siteEnabled };
  if (wsgi) context.wsgiFile = wsgi;
  if (unit) context.unit = unit;
  if (job) context.upstartJob = job;
  if (place.django) {
    const { settingsFile, settingsSource, owner, group } = place.django;
    const written = file(settingsFile) ?? { path: settingsFile, text: '', owner, group, mode: 0o644 };
    context.djangoWizardSettings = { ...written, content: settingsSource };
  }
  return context;
}

// ---------------------------------------------------------------------------------------------
// The layers

function checkNginx(known: Known): Verdict {
  const { nginx } = known.survey;
  if (!nginx.installed) return fail(finding(known, 'nginx-down', 'nginx', { installed: 'no' }, []));
  if (nginx.test && nginx.test.exitCode !== 0) {
    const output = nginx.test.output.join('\n');
    const dup = /duplicate listen options for (\S+) in (\S+?):(\d+)/.exec(output);
    const at = /in (\/\S+?):(\d+)/.exec(output);
    const facts = { address: dup?.[1], file: dup?.[2] ?? at?.[1], line: dup?.[3] ?? at?.[2] };
    return fail(finding(known, dup ? 'listen-dup' : 'nginx-config', 'nginx', facts, [commandEvidence(nginx.test)]));
  }
  if (!nginx.running) {
    const evidence = nginx.test ? [commandEvidence(nginx.test)] : [];
    return fail(finding(known, 'nginx-down', 'nginx', { installed: 'yes' }, evidence));
  }
  if (!nginx.config) {
    return fail(finding(known, 'nginx-config', 'nginx', { problem: nginx.configProblem }, []));
  }
  known.config = nginx.config;
  known.pairing = pairSites(nginx.config, known.survey.uwsgi.instances);
  return pass();
}

/** The app's server block: the one in the app's site file, else one passing to the app's socket. */
function appBlock(known: Known): NginxServer | undefined {
  const { config } = known;
  const { place } = known.survey;
  if (!config) return undefined;
  const inSiteFile = config.servers.find((s) => s.file === place.siteEnabled || s.file === place.siteAvailable);
  if (inSiteFile) return inSiteFile;
  return config.servers.find((s) =>
    s.locations.some((l) => l.uwsgiPass?.targets.some((t) => t.kind === 'unix' && t.path === place.socket)),
  );
}

function checkSite(known: Known): Verdict {
  const { survey } = known;
  const { place } = survey;
  const block = appBlock(known);
  if (block) {
    known.block = block;
    known.targets = [
      ...(known.pairing?.pairs.map((p) => p.site) ?? []),
      ...(known.pairing?.unserved.map((u) => u.site) ?? []),
    ].filter((target) => target.server === block);
    return pass();
  }
  const evidence: Evidence = {
    kind: 'command',
    command: 'ls -l /etc/nginx/sites-enabled/',
    exitCode: 0,
    output: survey.nginx.sitesEnabled.map((s) => (s.target ? `${s.name} -> ${s.target}` : s.name)),
  };
  // A site of the app's name waiting in sites-available is only not linked; without one there is none.
  const cause = survey.nginx.sitesAvailable.includes(place.app) ? 'site-disabled' : 'no-site';
  return fail(finding(known, cause, 'site', { site: place.siteAvailable }, [evidence]));
}

function checkRoute(known: Known): Verdict {
  const { config, block } = known;
  const { place } = known.survey;
  if (!config || !block) return pass();
  // Asked on the port the app's block listens on: a site certbot moved to HTTPS listens on 443 alone, and port 80
  // answers the name with its redirect from a block of its own (issue 18).
  const port = block.listens.some((l) => l.port === 80) ? 80 : (block.listens[0]?.port ?? 80);
  const route = routeRequest(config, place.serverName, port);
  if (route?.server === block) return pass();
  const answering = route?.server;
  const defaultListen = answering?.listens.find((l) => l.defaultServer);
  // The default site's link, when the block that answers is a site of sites-enabled.
  const defaultSiteLink = answering?.file.startsWith('/etc/nginx/sites-enabled/') ? answering.file : undefined;
  return fail(
    finding(
      known,
      'default-site',
      'route',
      {
        serverName: place.serverName,
        defaultSite: answering ? `${answering.file}:${answering.line}` : undefined,
        defaultSiteLink,
        siteNames: block.serverNames.join(' '),
      },
      [
        defaultListen && configEvidence(config, defaultListen.file, defaultListen.line),
        configEvidence(config, block.file, block.line),
      ],
    ),
  );
}

/** Where an instance's socket is, resolved as uWSGI resolves it. */
function socketPath(socket: InstanceSocket): string | undefined {
  return socket.address.kind === 'unix' ? socket.address.path : undefined;
}

function checkSocketPath(known: Known): Verdict {
  const { pairing, targets, config, survey } = known;
  if (!pairing || targets.length === 0) return pass();
  const appInstance = appInstanceOf(survey.uwsgi.instances, survey.place.ini);
  const pair = pairing.pairs.find((p) => targets.includes(p.site));
  known.instance = pair?.sockets[0]?.instance ?? appInstance;
  if (pair?.protocolMismatch) {
    const served = pair.sockets[0]!;
    const path = socketPath(served) ?? `${pair.site.target.kind === 'inet' ? pair.site.target.host : ''}`;
    const evidence = [configEvidence(config, pair.site.file, pair.site.line)];
    if (pair.site.via === 'proxy_pass') {
      const spoken = lastOf(known.uwsgiLog, ['http-to-uwsgi']);
      return fail(
        finding(known, 'http-to-uwsgi', 'socket-path', { socket: path, method: spoken?.facts.method }, [
          ...evidence,
          logEvidence(spoken),
        ]),
      );
    }
    return fail(
      finding(known, 'uwsgi-to-http', 'socket-path', { socket: path }, [
        ...evidence,
        iniEvidence(known, served.socket.option),
        logEvidence(lastOf(known.nginxLog, ['uwsgi-to-http', 'harakiri'])),
      ]),
    );
  }
  const unserved = pairing.unserved.find((u) => targets.includes(u.site));
  if (unserved && unserved.site.target.kind === 'unix') {
    const nginxSocket = unserved.site.target.path;
    const own = appInstance?.options.sockets
      .map((socket) => resolveSocketPath(appInstance.options, socket, appInstance.cwd))
      .find((address) => address.kind === 'unix');
    const candidate = own?.kind === 'unix' ? own.path : unserved.candidates.map(socketPath).find(Boolean);
    if (candidate && candidate !== nginxSocket) {
      known.instance = appInstance ?? unserved.candidates[0]?.instance;
      return fail(
        finding(known, 'socket-path-differs', 'socket-path', { nginxSocket, uwsgiSocket: candidate }, [
          configEvidence(config, unserved.site.file, unserved.site.line),
          iniEvidence(known, 'socket'),
          logEvidence(lastOf(known.nginxLog, ['no-socket'], nginxSocket)),
        ]),
      );
    }
  }
  const target = (pair?.site ?? unserved?.site)?.target;
  if (target?.kind === 'unix') known.socket = survey.sockets.find((s) => s.path === target.path);
  return pass();
}

function checkSocket(known: Known): Verdict {
  const { socket, instance } = known;
  if (!socket) return pass();
  const self = socket.parts.at(-1);
  const dir = [...socket.parts].reverse().find((p) => p.type === 'dir');
  const running = (instance?.pids.length ?? 0) > 0;
  const noPython = running ? undefined : homeNotAVenv(known);
  if (noPython && (self?.type !== 'socket' || !socket.listening)) return noPython;
  if (!self || self.path !== socket.path || self.type === 'missing') {
    const denied = lastOf(known.uwsgiLog, ['bind-denied']);
    if (denied) {
      return fail(
        finding(known, 'bind-denied', 'socket', { socket: socket.path, dir: dir?.path }, [
          logEvidence(denied),
          dir && statEvidence(dir),
        ]),
      );
    }
    return fail(
      finding(known, 'no-socket', 'socket', { socket: socket.path, running: String(running) }, [
        logEvidence(lastOf(known.nginxLog, ['no-socket'], socket.path)),
        dir && statEvidence(dir),
      ]),
    );
  }
  if (!socket.listening) {
    return fail(
      finding(known, 'refused', 'socket', { socket: socket.path }, [
        statEvidence(self),
        logEvidence(lastOf(known.nginxLog, ['refused'], socket.path)),
      ]),
    );
  }
  return pass();
}

/**
 * uWSGI stopped as it started because Python could not start: the ini's `home` is no virtualenv (Python
 * finds not even its own `encodings` there). Its socket may be left behind, bound before Python started.
 */
function homeNotAVenv(known: Known): Verdict | undefined {
  const failed = lastOf(known.uwsgiLog, ['venv']);
  if (failed?.signature !== 'uwsgi-python-home') return undefined;
  const facts = { broken: 'home', home: failed.facts.home, venv: known.survey.place.venv };
  return fail(finding(known, 'venv', 'socket', facts, [logEvidence(failed), iniEvidence(known, 'home')]));
}

/** Whether an account (uid, its groups) may do `want` (1: enter, 2: write, 5: list and enter) on a path part. */
function allowed(part: PathPart, uid: number, gids: number[], want: 1 | 2 | 5): boolean {
  if (uid === 0) return true;
  if (part.uid === uid) return ((part.mode >> 6) & want) === want;
  if (gids.includes(part.gid)) return ((part.mode >> 3) & want) === want;
  return (part.mode & want) === want;
}

/** Where uWSGI's group (nginx's, for the socket) is set, for each way of running it. */
const GROUP_FROM = { systemd: 'unit', upstart: 'job', none: 'start' } as const;

function checkSocketAccess(known: Known): Verdict {
  const { socket, survey } = known;
  const worker = survey.nginx.workerUser;
  if (!socket || !worker) return pass();
  const last = socket.parts.length - 1;
  const blocked = socket.parts.find((part, i) => !allowed(part, worker.uid, worker.gids, i < last ? 1 : 2));
  if (!blocked) return pass();
  // Shut out of a part given to the web server's group (the wizard's /run/APP and socket): nginx
  // runs as an account outside that group, which no mode or place of the socket mends.
  const webGid = socket.parts.find((part) => part.group === survey.place.webGroup)?.gid;
  const outsideGroup = blocked.group === survey.place.webGroup && webGid !== undefined && !worker.gids.includes(webGid);
  const closedDir = blocked.type === 'dir' && !outsideGroup ? blocked.path : undefined;
  return fail(
    finding(
      known,
      'permission',
      'socket-access',
      {
        socket: socket.path,
        user: worker.name,
        closedDir,
        runSocket: closedDir ? survey.place.socket : undefined,
        outsideGroup: outsideGroup ? survey.place.webGroup : undefined,
        // How the fix lets nginx's group in on this machine: its words say which.
        groupFrom: closedDir ? 'run-dir' : GROUP_FROM[survey.place.serviceManager],
      },
      [statEvidence(blocked), logEvidence(lastOf(known.nginxLog, ['permission'], socket.path))],
    ),
  );
}

function checkUwsgi(known: Known): Verdict {
  const { survey } = known;
  const notes: Finding[] = [];
  // The guide's test server (uwsgi --http / --protocol=http on a port) left running beside the service.
  for (const { port, pid } of survey.uwsgiPorts) {
    const process = survey.uwsgi.processes.find((p) => p.pid === pid);
    if (!process?.argv.some((a) => a === '--protocol=http' || a === '--http' || a.startsWith('--http='))) continue;
    notes.push(
      finding(known, 'test-leftover', 'uwsgi', { pid, address: `:${port}`, user: process.user }, [
        { kind: 'command', command: `ss -ltnp 'sport = :${port}'`, exitCode: 0, output: [process.argv.join(' ')] },
      ]),
    );
  }
  // apt's uWSGI without its Python plugin runs, and answers no request: it says so as it starts, and at
  // each request. A plugin it could not load is said too, but is no harm to a uWSGI with Python built in.
  const noPython = known.uwsgiLog.filter((m) => m.cause === 'apt-uwsgi' && m.signature !== 'uwsgi-plugin-unloadable');
  if (noPython.length > 0) {
    const unloadable = known.uwsgiLog.filter((m) => m.signature === 'uwsgi-plugin-unloadable').at(-1);
    const master = survey.uwsgi.processes.find((p) => known.instance?.pids[0] === p.pid);
    const facts = {
      binary: master?.argv[0],
      // Without a service manager the wizard's own start runs the venv's uWSGI, with Python built in.
      fixBy: survey.place.serviceManager === 'none' ? 'venv-uwsgi' : 'plugin',
    };
    const lastToo = noPython.length > 1 ? noPython.at(-1) : undefined;
    const evidence = [logEvidence(noPython[0]), logEvidence(lastToo), logEvidence(unloadable)];
    return fail(finding(known, 'apt-uwsgi', 'uwsgi', facts, evidence), notes);
  }
  const killed = lastOf(known.uwsgiLog, ['harakiri']);
  if (killed?.signature === 'uwsgi-harakiri') {
    return fail(
      finding(known, 'harakiri', 'uwsgi', { worker: killed.facts.worker, pid: killed.facts.pid }, [
        logEvidence(killed),
        iniEvidence(known, 'harakiri'),
      ]),
      notes,
    );
  }
  return pass(notes);
}

function checkApp(known: Known): Verdict {
  const { survey, instance } = known;
  const { place } = survey;
  const looked = survey.appImport;
  if (!looked || looked.exitCode === 0) return pass();
  const output = looked.output.join('\n');
  const missing = /No module named '([\w.]+)'/.exec(output)?.[1];
  const module = instance?.options.module ?? 'wsgi:application';
  const ownModule = module.split(':')[0]!.split('.')[0];
  if (missing && missing.split('.')[0] !== ownModule) {
    // The app's own module was found; something it imports is not in the venv uWSGI uses.
    return fail(
      finding(known, 'venv', 'app', { module: missing, venv: place.venv }, [
        commandEvidence(looked),
        logEvidence(lastOf(known.uwsgiLog, ['venv', 'no-app'])),
      ]),
    );
  }
  // The guide's own wsgi.py, there and defining `application`, is what the module should name.
  const wsgi = survey.files.find((f) => f.path === place.wsgiPy);
  const suggestedModule = wsgi && /^def application\(/m.test(wsgi.text) ? 'wsgi:application' : undefined;
  return fail(
    finding(
      known,
      'no-app',
      'app',
      { module, missing, suggestedModule: suggestedModule !== module ? suggestedModule : undefined },
      [commandEvidence(looked), iniEvidence(known, 'module'), logEvidence(lastOf(known.uwsgiLog, ['no-app']))],
    ),
  );
}

function checkUwsgiRequest(known: Known): Verdict {
  const { survey } = known;
  const answer = survey.requests.socket;
  const strBody = lastOf(known.uwsgiLog, ['str-body']);
  const shown: Evidence | undefined = answer && {
    kind: 'answer',
    via: 'uwsgi-socket',
    status: answer.status,
    error: answer.error,
    body: answer.body,
  };
  if (strBody || (answer?.status === 200 && answer.body.trim() === '')) {
    return fail(
      finding(known, 'str-body', 'uwsgi-request', { file: survey.place.wsgiPy }, [logEvidence(strBody), shown]),
    );
  }
  if (answer && (answer.error || (answer.status ?? 500) >= 500)) {
    const noApp = lastOf(known.uwsgiLog, ['no-app']);
    const facts = { module: known.instance?.options.module, status: answer.status ?? answer.error };
    return fail(finding(known, noApp ? 'no-app' : 'unexplained', 'uwsgi-request', facts, [shown, logEvidence(noApp)]));
  }
  return pass();
}

function checkPage(known: Known): Verdict {
  const { survey } = known;
  const notes: Finding[] = [];
  // Requests that failed since the site last changed, while the plain page answers.
  const tooLarge = lastOf(known.nginxLog, ['too-large']);
  if (tooLarge)
    notes.push(finding(known, 'too-large', 'page', { bytes: tooLarge.facts.bytes }, [logEvidence(tooLarge)]));
  const tooBig = lastOf(known.uwsgiLog, ['big-headers']);
  if (tooBig?.signature === 'uwsgi-block-too-big')
    notes.push(finding(known, 'big-headers', 'page', { size: tooBig.facts.size }, [logEvidence(tooBig)]));
  // nginx turned requests away, the socket's listen queue full (EAGAIN on connect), or uWSGI said so.
  const queueFull = lastOf(known.nginxLog, ['queue-full']);
  const queueSaid = lastOf(known.uwsgiLog, ['queue-full']);
  const busy =
    (queueFull ?? queueSaid) &&
    finding(known, 'queue-full', 'page', { socket: queueFull?.facts.socket ?? queueSaid?.facts.socket }, [
      logEvidence(queueFull),
      logEvidence(queueSaid),
    ]);
  const page = survey.requests.page;
  if (busy && (page.error || (page.status ?? 0) >= 500)) return fail(busy, notes);
  if (busy) notes.unshift(busy);
  if (page.error || (page.status ?? 0) >= 500) {
    const evidence: Evidence = {
      kind: 'answer',
      via: 'nginx',
      status: page.status,
      error: page.error,
      body: page.body,
    };
    return fail(
      finding(known, 'unexplained', 'page', { status: page.status ?? page.error }, [
        evidence,
        logEvidence(known.nginxLog.at(-1)),
      ]),
      notes,
    );
  }
  if (page.status === 400) {
    const refused = djangoRefusesHost(known);
    if (refused) return fail(refused, notes);
  }
  const statics = page.status !== undefined && page.status < 400 ? staticsNotServed(known) : undefined;
  if (statics) notes.unshift(statics);
  const [first, ...rest] = notes;
  return first ? fail(first, rest) : pass();
}

/**
 * The page answers 400 and Django says why: its DisallowedHost line in uWSGI's log (written with DEBUG
 * on), its debug page naming it, or, for the wizard's own Django project, its settings read as they are.
 */
function djangoRefusesHost(known: Known): Finding | undefined {
  const { survey } = known;
  const { place } = survey;
  const page = survey.requests.page;
  const said = lastOf(known.uwsgiLog, ['django-hosts']);
  const bodySays = /DisallowedHost|Invalid HTTP_HOST header/.test(page.body);
  if (!said && !bodySays && !place.django) return undefined;
  const answer: Evidence = { kind: 'answer', via: 'nginx', status: page.status, body: page.body };
  const settings = place.django && survey.files.find((f) => f.path === place.django?.settingsFile);
  const project = place.django && survey.files.find((f) => f.path === place.django?.projectSettings);
  const hostsLine = (file: { path: string; text: string } | undefined): Evidence | undefined => {
    const lines = file?.text.split('\n') ?? [];
    const at = lines.findIndex((line) => /^\s*ALLOWED_HOSTS\s*=/.test(line));
    return file && at >= 0 ? { kind: 'config', file: file.path, line: at + 1, text: lines[at]!.trim() } : undefined;
  };
  const facts = {
    host: said?.facts.host ?? survey.place.serverName,
    settings: place.django?.settingsFile,
    // The wizard's settings module, changed or gone since it wrote it: writing it again is the fix.
    wizardSettings: place.django
      ? settings?.text === place.django.settingsSource
        ? 'as-written'
        : 'changed'
      : undefined,
  };
  return finding(known, 'django-hosts', 'page', facts, [
    answer,
    logEvidence(said),
    hostsLine(project),
    hostsLine(settings),
  ]);
}

/**
 * An own project's static files not served by nginx while the page works: no location for their URL in
 * the site, their directory empty or closed to nginx's user, or one of them answering 404 or 403.
 */
function staticsNotServed(known: Known): Finding | undefined {
  const { survey, block, config } = known;
  const { statics: place } = survey.place;
  const seen = survey.statics;
  if (!place || !seen) return undefined;
  const facts = { url: seen.asked?.url ?? place.url, dir: place.dir, prefix: place.url };
  const asked = seen.asked;
  const answer: Evidence | undefined = asked && {
    kind: 'answer',
    via: 'nginx',
    status: asked.answer.status,
    error: asked.answer.error,
    body: asked.answer.body.slice(0, 200),
  };
  const prefixes = [place.url, place.url.replace(/\/$/, '')];
  const location = block?.locations.find((l) => prefixes.includes(l.match.replace(/^\^~\s+/, '')));
  if (block && !location) {
    return finding(known, 'django-static', 'page', { ...facts, reason: 'no-location' }, [
      answer,
      configEvidence(config, block.file, block.line),
    ]);
  }
  const dir = seen.parts.at(-1);
  if (dir?.type !== 'dir' || seen.files === 0) {
    return finding(known, 'django-static', 'page', { ...facts, reason: 'empty' }, [
      dir && dir.type !== 'missing' ? statEvidence(dir) : undefined,
      { kind: 'command', command: `find ${place.dir} -type f`, exitCode: 0, output: [] },
    ]);
  }
  const worker = survey.nginx.workerUser;
  const last = seen.parts.length - 1;
  const closed = worker && seen.parts.find((part, i) => !allowed(part, worker.uid, worker.gids, i < last ? 1 : 5));
  if (closed) {
    return finding(known, 'django-static', 'page', { ...facts, reason: 'closed', closedDir: closed.path }, [
      statEvidence(closed),
      answer,
    ]);
  }
  const status = asked?.answer.status;
  if (status === 404 || status === 403) {
    return finding(known, 'django-static', 'page', { ...facts, reason: 'not-served' }, [answer]);
  }
  return undefined;
}
