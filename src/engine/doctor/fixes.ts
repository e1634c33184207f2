// The doctor's fixes as data (issue 16): for each cause it can fix, the exact commands and the
// whole new contents of the files it changes, made from the finding's facts and what the pairing
// read (the ini, the unit, the nginx site, the wsgi.py). Pure: --fix shows them, backs the files
// up, records the undo and applies them. A cause it cannot fix safely gets none: the catalogue's
// "try this" says what to do by hand. No fix ever opens a socket or a directory to everyone
// (666/777, o+w): nginx's group is let in instead.
import { shellLine } from '../commands.js';
import type { CauseId, Finding, FixAction } from './model.js';

/** A file the fix may rewrite, as it was read, with what it is written back with. */
export interface FileRead {
  path: string;
  text: string;
  owner: string;
  group: string;
  mode: number;
}

/**
 * A uWSGI of the app started otherwise than by the wizard's line (in a shell, `uwsgi --ini myapp.ini`):
 * without the wizard's pidfile its stop does not reach it, so it is stopped by its master's pid.
 */
export interface StartedByHand {
  master: number;
  /** Its ini says die-on-term: SIGTERM ends it. Without, uWSGI 2.0 takes SIGTERM as "reload"; SIGINT ends it. */
  dieOnTerm: boolean;
}

/** What a fix is made from, besides the finding's facts: the pairing's data for this site. */
export interface FixContext {
  /**
   * How uWSGI is run: its service's manager and name (the unit without .service, the Upstart job);
   * without a service manager, the lines that start and stop it as the wizard set it up (as root).
   */
  service?:
    | { manager: 'systemd' | 'upstart'; name: string }
    | { manager: 'none'; name: string; start: string; stop: string; byHand?: StartedByHand[]; byPidfile?: boolean };
  /** uWSGI's ini file. */
  ini?: FileRead;
  /** The systemd unit's file (for User=, Group=, RuntimeDirectory=). */
  unit?: FileRead;
  /** The Upstart job's file (for setgid). */
  upstartJob?: FileRead;
  /** The nginx site's file (in sites-available) and its link in sites-enabled. */
  nginxSite?: FileRead & { enabledLink?: string };
  /** The Python file with the app (wsgi.py). */
  wsgiFile?: FileRead;
  /** Django's settings.py. */
  djangoSettings?: FileRead;
  /**
   * The settings module the wizard writes for a person's own Django project (steps/app-django.ts), as
   * it is now (text '' when gone), and `content`, what the wizard writes there.
   */
  djangoWizardSettings?: FileRead & { content: string };
  /** nginx's worker user and its group (www-data on Debian). */
  nginxUser: string;
  nginxGroup: string;
  /** The account that owns the app (its directory's owner): the one User= should name. */
  appOwner?: string;
  /** nginx's uwsgi_read_timeout for the site, in seconds (60 when it says nothing). */
  uwsgiReadTimeout?: number;
}

/** The value of `key` in an ini's [uwsgi] section, if set (the last setting wins, as in uWSGI). */
export function iniValue(text: string, key: string): string | undefined {
  let inUwsgi = false;
  let value: string | undefined;
  for (const line of text.split('\n')) {
    const section = /^\s*\[([^\]]+)\]/.exec(line);
    if (section) inUwsgi = section[1]!.trim() === 'uwsgi';
    const setting = inUwsgi ? /^\s*([\w-]+)\s*[=:]\s*(.*?)\s*$/.exec(line) : null;
    if (setting && setting[1] === key) value = setting[2];
  }
  return value;
}

/**
 * `text` with `key = value` in its section `[section]`: each line setting the key is replaced by
 * one (the first) or removed (the others), or the line is added at the section's end.
 * Works for an ini (`key = value`) and a systemd unit (`Key=value`, `separator` '=').
 */
export function withSetting(text: string, section: string, key: string, value: string, separator = ' = '): string {
  const lines = text.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let current = '';
  let done = false;
  let sectionEnd = -1;
  for (const line of lines) {
    const header = /^\s*\[([^\]]+)\]/.exec(line);
    if (header) current = header[1]!.trim();
    const setting = /^\s*([\w-]+)\s*[=:]/.exec(line);
    if (!header && current === section && setting?.[1] === key) {
      if (!done) out.push(`${key}${separator}${value}`);
      done = true;
      continue;
    }
    out.push(line);
    if (current === section && line.trim() !== '') sectionEnd = out.length;
  }
  if (!done) {
    if (sectionEnd === -1) out.push('', `[${section}]`, `${key}${separator}${value}`);
    else out.splice(sectionEnd, 0, `${key}${separator}${value}`);
  }
  return `${out.join('\n')}\n`;
}

function rewritten(file: FileRead, content: string): FixAction {
  return { kind: 'file', path: file.path, content, owner: file.owner, group: file.group, mode: file.mode };
}

/** The ini with these settings in [uwsgi]. */
function iniWith(ini: FileRead, settings: [string, string][]): FixAction {
  return rewritten(
    ini,
    settings.reduce((text, [key, value]) => withSetting(text, 'uwsgi', key, value), ini.text),
  );
}

function asRoot(...words: string[]): FixAction {
  return { kind: 'command', command: shellLine(...words), asRoot: true };
}

/** Restarting uWSGI's service, after systemd has read a changed unit. */
function restart(ctx: FixContext, unitChanged = false): FixAction[] {
  if (!ctx.service) return [];
  if (ctx.service.manager === 'none') return noInitRestart(ctx.service);
  if (ctx.service.manager === 'upstart') return [asRoot('restart', ctx.service.name)];
  const reload = unitChanged ? [asRoot('systemctl', 'daemon-reload')] : [];
  return [...reload, asRoot('systemctl', 'restart', ctx.service.name)];
}

/** nginx checks its configuration, and only then reloads it. */
const NGINX_RELOAD: FixAction = { kind: 'command', command: 'nginx -t && nginx -s reload', asRoot: true };

/**
 * Without a service manager: stop what runs (nothing running is fine), then start it as the wizard does.
 * A uWSGI started by hand is stopped by its master's pid first, and waited for: until its master has
 * exited it holds the socket, and vacuum would remove the new uWSGI's socket as it exits. Then the
 * wizard's stop (by its pidfile) only where a uWSGI of that pidfile runs too: with none, it has nothing
 * to stop and would only say that the pidfile is not there.
 */
function noInitRestart(service: {
  start: string;
  stop: string;
  byHand?: StartedByHand[];
  byPidfile?: boolean;
}): FixAction[] {
  const byHand = (service.byHand ?? []).map(({ master, dieOnTerm }): FixAction => {
    const pid = String(master);
    const stop = `${shellLine('kill', dieOnTerm ? '-TERM' : '-INT', pid)} && while kill -0 ${pid} 2>/dev/null; do sleep 0.2; done`;
    return { kind: 'command', command: stop, asRoot: true, stopsByHand: master };
  });
  const stopByPidfile: FixAction[] =
    byHand.length > 0 && service.byPidfile === false
      ? []
      : [{ kind: 'command', command: `${service.stop} || true`, asRoot: true }];
  return [...byHand, ...stopByPidfile, { kind: 'command', command: service.start, asRoot: true }];
}

/** A fix that changes uWSGI's settings: only where the service can be restarted to take them. */
function iniFix(ctx: FixContext, settings: [string, string][]): FixAction[] | undefined {
  if (!ctx.ini || !ctx.service) return undefined;
  const ini = iniWith(ctx.ini, settings);
  // The ini says so already (the socket was changed after uWSGI made it, or uWSGI runs an older ini):
  // the restart alone, not a write that changes nothing and is shown as if it did.
  const unchanged = ini.kind === 'file' && ini.content === ctx.ini.text;
  return [...(unchanged ? [] : [ini]), ...restart(ctx)];
}

/** The directory under /run the socket is in, if it is one of its own (`/run/APP/APP.sock` → APP). */
function runDirectoryOf(socket: string | undefined): string | undefined {
  return socket ? /^\/run\/([\w.-]+)\/[^/]+$/.exec(socket)?.[1] : undefined;
}

/**
 * The socket in a directory of the service's own under /run, made by systemd at each start for
 * User= (RuntimeDirectory=): nginx reaches it there without opening a home directory.
 */
function socketInRun(ctx: FixContext, socket: string | undefined): FixAction[] | undefined {
  const { unit, ini, nginxSite, service } = ctx;
  if (!unit || !ini || !service || service.manager !== 'systemd') return undefined;
  const newSocket = `/run/${service.name}/${service.name}.sock`;
  const actions: FixAction[] = [
    rewritten(unit, withSetting(unit.text, 'Service', 'RuntimeDirectory', service.name, '=')),
    iniWith(ini, [
      ['socket', newSocket],
      ['chmod-socket', '664'],
      ['vacuum', 'true'],
    ]),
  ];
  if (socket !== newSocket) {
    if (!nginxSite || !socket || !nginxSite.text.includes(`unix:${socket}`)) return undefined;
    actions.push(rewritten(nginxSite, nginxSite.text.split(`unix:${socket}`).join(`unix:${newSocket}`)));
  }
  return [...actions, ...restart(ctx, true), ...(socket !== newSocket ? [NGINX_RELOAD] : [])];
}

/** `server { … }` with `directive value;` set: the line replaced where it is, else added after server_name. */
function withNginxDirective(text: string, directive: string, value: string): string | undefined {
  const existing = new RegExp(`^(\\s*)${directive}\\s+[^;]*;`, 'm');
  if (existing.test(text)) return text.replace(existing, `$1${directive} ${value};`);
  const anchor = /^(\s*)server_name\s+[^;]*;[^\n]*$/m.exec(text);
  if (!anchor) return undefined;
  const at = anchor.index + anchor[0].length;
  return `${text.slice(0, at)}\n${anchor[1]}${directive} ${value};${text.slice(at)}`;
}

/** A text as a regular expression matching it literally. */
function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The guide's wsgi.py on Python 3: each `return ["…"]` of a str literal made a bytes literal. */
function bytesBody(text: string): string | undefined {
  const fixed = text.replace(/(\breturn\s*\[\s*)(["'])/g, '$1b$2');
  return fixed === text ? undefined : fixed;
}

/** ALLOWED_HOSTS written on one line as a list: the host added to it. */
function withAllowedHost(text: string, host: string): string | undefined {
  const line = /^ALLOWED_HOSTS[ \t]*=[ \t]*\[(.*)\][ \t]*$/m.exec(text);
  if (!line || !/^[\w.:-]+$/.test(host)) return undefined;
  const items = line[1]!.trim().replace(/,\s*$/, '');
  const list = items === '' ? `'${host}'` : `${items}, '${host}'`;
  return text.replace(line[0], `ALLOWED_HOSTS = [${list}]`);
}

/** The body size nginx should allow: twice what was refused, in whole megabytes, at least 10m. */
export function bodyLimitFor(refusedBytes: number): string {
  const megabytes = Math.ceil((refusedBytes * 2) / (1024 * 1024));
  return `${Math.max(10, megabytes)}m`;
}

/** uWSGI's harakiri for nginx's read timeout: well below it, so uWSGI's answer comes before nginx gives up. */
export function harakiriBelow(readTimeout: number): number {
  return readTimeout > 20 ? readTimeout - 10 : Math.max(1, Math.floor(readTimeout / 2));
}

type FixMaker = (facts: Record<string, string>, ctx: FixContext) => FixAction[] | undefined;

const FIXES: Record<CauseId, FixMaker> = {
  'nginx-down': () => [asRoot('service', 'nginx', 'start')],
  // Which line of which file is wrong, nginx -t says; what it should say, only the person knows.
  'nginx-config': () => undefined,
  'listen-dup': () => undefined,
  'site-disabled': (_facts, { nginxSite }) => {
    if (!nginxSite?.enabledLink) return undefined;
    return [asRoot('ln', '-s', nginxSite.path, nginxSite.enabledLink), NGINX_RELOAD];
  },
  // What the app's site should say is the wizard's to write, from the person's answers.
  'no-site': () => undefined,
  'default-site': (facts) => {
    const link = facts.defaultSiteLink;
    if (!link?.startsWith('/etc/nginx/sites-enabled/')) return undefined;
    // Only the link goes: the site stays in sites-available, to link again.
    return [asRoot('rm', link), NGINX_RELOAD];
  },
  'socket-path-differs': (facts, { nginxSite }) => {
    const { nginxSocket, uwsgiSocket } = facts;
    if (!nginxSite || !nginxSocket || !uwsgiSocket?.startsWith('/')) return undefined;
    if (!nginxSite.text.includes(`unix:${nginxSocket}`)) return undefined;
    const content = nginxSite.text.split(`unix:${nginxSocket}`).join(`unix:${uwsgiSocket}`);
    return [rewritten(nginxSite, content), NGINX_RELOAD];
  },
  permission: (facts, ctx) => {
    // nginx's account is not in the group the socket was given: which account nginx should run
    // as, or which group uWSGI's socket should have, is the person's choice, not a setting to flip.
    if (facts.outsideGroup) return undefined;
    const { ini, unit, upstartJob, service, nginxGroup, nginxSite } = ctx;
    if (service?.manager === 'none') {
      if (!ini) return undefined;
      // Started by the wizard's line as nginx's group already: the socket's mode, or its place.
      if (!facts.closedDir) return iniFix(ctx, [['chmod-socket', '664']]);
      const newSocket = facts.runSocket;
      if (!newSocket || !facts.socket || !nginxSite?.text.includes(`unix:${facts.socket}`)) return undefined;
      const site = nginxSite.text.split(`unix:${facts.socket}`).join(`unix:${newSocket}`);
      return [
        iniWith(ini, [
          ['socket', newSocket],
          ['chmod-socket', '664'],
        ]),
        rewritten(nginxSite, site),
        ...restart(ctx),
        NGINX_RELOAD,
      ];
    }
    // A directory on the way nginx's user may not enter (a home of 750): the socket moves to /run.
    if (facts.closedDir) return socketInRun(ctx, facts.socket);
    if (!ini || !service) return undefined;
    const group: FixAction[] = [];
    if (unit) group.push(rewritten(unit, withSetting(unit.text, 'Service', 'Group', nginxGroup, '=')));
    else if (upstartJob) {
      const job = /^setgid\s+\S+/m.test(upstartJob.text)
        ? upstartJob.text.replace(/^setgid\s+\S+/m, `setgid ${nginxGroup}`)
        : upstartJob.text.replace(/^(setuid\s+\S+.*)$/m, `$1\nsetgid ${nginxGroup}`);
      if (job === upstartJob.text) return undefined;
      group.push(rewritten(upstartJob, job));
    } else return undefined;
    return [iniWith(ini, [['chmod-socket', '664']]), ...group, ...restart(ctx, unit !== undefined)];
  },
  'no-socket': (facts, ctx) => {
    const { service, unit } = ctx;
    if (!service) return undefined;
    if (service.manager === 'none') return restart(ctx);
    const runDirectory = runDirectoryOf(facts.socket);
    // /run is emptied at each boot: systemd makes the socket's directory again at each start.
    if (unit && runDirectory && !/^RuntimeDirectory=/m.test(unit.text))
      return [
        rewritten(unit, withSetting(unit.text, 'Service', 'RuntimeDirectory', runDirectory, '=')),
        asRoot('systemctl', 'daemon-reload'),
        asRoot('systemctl', 'enable', '--now', service.name),
      ];
    if (service.manager === 'upstart') return [asRoot('start', service.name)];
    return [asRoot('systemctl', 'enable', '--now', service.name)];
  },
  refused: (_facts, ctx) => {
    if (!ctx.service) return undefined;
    // vacuum: the socket goes with uWSGI, so none is left behind for nginx to knock on.
    return ctx.ini && iniValue(ctx.ini.text, 'vacuum') !== 'true' ? iniFix(ctx, [['vacuum', 'true']]) : restart(ctx);
  },
  // Without a service manager the wizard's start line makes /run/APP the service's own again.
  'bind-denied': (facts, ctx) => (ctx.service?.manager === 'none' ? restart(ctx) : socketInRun(ctx, facts.socket)),
  'no-app': (facts, ctx) => {
    // The module and callable the doctor found by importing the app itself.
    const settings: [string, string][] = [];
    if (facts.suggestedModule) settings.push(['module', facts.suggestedModule]);
    if (facts.suggestedChdir?.startsWith('/')) settings.push(['chdir', facts.suggestedChdir]);
    return settings.length === 0 ? undefined : iniFix(ctx, settings);
  },
  venv: (facts, ctx) => (facts.venv?.startsWith('/') ? iniFix(ctx, [['home', facts.venv]]) : undefined),
  'apt-uwsgi': (_facts, ctx) => {
    // Without a service manager the wizard's start runs the venv's own uWSGI, Python built in: started so, it is well.
    if (ctx.service?.manager === 'none') return restart(ctx);
    const fix = iniFix(ctx, [['plugins', 'python3']]);
    return fix && [asRoot('apt-get', 'install', '-y', 'uwsgi-plugin-python3'), ...fix];
  },
  // nginx's proxy_pass to the socket becomes the uwsgi_pass the guide's site has; a browser or a
  // proxy elsewhere speaking HTTP to it is not in any file the doctor reads.
  'http-to-uwsgi': (facts, { nginxSite }) => {
    const proxy =
      facts.socket && nginxSite
        ? new RegExp(`^([ \\t]*)proxy_pass\\s+https?://unix:${escaped(facts.socket)}:?[^;]*;`, 'm')
        : undefined;
    if (!proxy || !nginxSite || !proxy.test(nginxSite.text)) return undefined;
    const content = nginxSite.text.replace(proxy, `$1include uwsgi_params;\n$1uwsgi_pass unix:${facts.socket};`);
    return [rewritten(nginxSite, content), NGINX_RELOAD];
  },
  'uwsgi-to-http': (facts, ctx) => {
    // Only where uWSGI has no uwsgi socket yet: the HTTP line nginx passes to becomes one, in place.
    if (!ctx.ini || iniValue(ctx.ini.text, 'socket') !== undefined) return undefined;
    const httpLines = [...ctx.ini.text.matchAll(/^[ \t]*(?:http-socket|http)[ \t]*[=:][ \t]*(.*?)[ \t]*$/gm)];
    const line = httpLines.find((m) => m[1] === facts.socket) ?? (httpLines.length === 1 ? httpLines[0] : undefined);
    if (!line) return undefined;
    if (!ctx.service) return undefined;
    return [rewritten(ctx.ini, ctx.ini.text.replace(line[0], `socket = ${line[1]}`)), ...restart(ctx)];
  },
  'big-headers': (_facts, ctx) => iniFix(ctx, [['buffer-size', '32768']]),
  harakiri: (_facts, ctx) => {
    const readTimeout = ctx.uwsgiReadTimeout ?? 60;
    const harakiri = ctx.ini ? Number(iniValue(ctx.ini.text, 'harakiri') ?? 'NaN') : Number.NaN;
    // Already below nginx's limit: the request itself is slow, which no setting fixes.
    if (harakiri > 0 && harakiri < readTimeout) return undefined;
    return iniFix(ctx, [['harakiri', String(harakiriBelow(readTimeout))]]);
  },
  // Stuck workers fill the queue; a longer queue only hides them.
  'queue-full': () => undefined,
  'str-body': (_facts, ctx) => {
    const fixed = ctx.wsgiFile && bytesBody(ctx.wsgiFile.text);
    return fixed && ctx.wsgiFile && ctx.service ? [rewritten(ctx.wsgiFile, fixed), ...restart(ctx)] : undefined;
  },
  'no-die-on-term': (_facts, ctx) => iniFix(ctx, [['die-on-term', 'true']]),
  'unit-user': (_facts, ctx) => {
    const { unit, appOwner } = ctx;
    if (!unit || !appOwner || appOwner === 'root') return undefined;
    return [rewritten(unit, withSetting(unit.text, 'Service', 'User', appOwner, '=')), ...restart(ctx, true)];
  },
  'test-leftover': (facts, ctx) => {
    if (!facts.pid || !/^\d+$/.test(facts.pid)) return undefined;
    // SIGINT, as Ctrl-C stops the guide's test run; then the service may take its place.
    return [asRoot('kill', '-INT', facts.pid), ...restart(ctx)];
  },
  'django-hosts': (facts, ctx) => {
    // The wizard's own project: its settings module, changed since, written again as the wizard writes it.
    const wizards = ctx.djangoWizardSettings;
    if (wizards) {
      const { content, ...file } = wizards;
      return wizards.text !== content && ctx.service ? [rewritten(file, content), ...restart(ctx)] : undefined;
    }
    const settings = ctx.djangoSettings;
    const fixed = settings && facts.host ? withAllowedHost(settings.text, facts.host) : undefined;
    return fixed && settings && ctx.service ? [rewritten(settings, fixed), ...restart(ctx)] : undefined;
  },
  // STATIC_ROOT, collectstatic and nginx's alias depend on the project's layout.
  'django-static': () => undefined,
  // Nothing known explains it: nothing to change.
  unexplained: () => undefined,
  'too-large': (facts, { nginxSite }) => {
    const bytes = Number(facts.bytes);
    if (!nginxSite || !(bytes > 0)) return undefined;
    const content = withNginxDirective(nginxSite.text, 'client_max_body_size', bodyLimitFor(bytes));
    return content ? [rewritten(nginxSite, content), NGINX_RELOAD] : undefined;
  },
};

/** The fix of a finding, exact, or none where the doctor cannot make it (the catalogue's "try this" then). */
export function fixFor(finding: Pick<Finding, 'cause' | 'facts'>, ctx: FixContext): FixAction[] | undefined {
  const actions = FIXES[finding.cause](finding.facts, ctx);
  return actions && actions.length > 0 ? actions : undefined;
}
