// The log lines the doctor knows (issue 16): one signature per line of nginx's error log, uWSGI's
// log and systemd's journal that names a cause of /work/shared/notes/failures.md, with the
// particulars it carries (the socket, the errno, the size, the worker's pid, the module…) taken
// out as facts. Pure: src/exec/doctor-logs.ts reads the lines, the doctor's checks weigh the
// matches against what they saw. Every pattern was checked against a line uWSGI 2.0 or nginx 1.22
// really wrote (test/unit/log-signatures.test.ts, test/content/log-signatures-live.test.ts).
import type { CauseId, Evidence } from './model.js';

/** Where a line was read: the same as the evidence's source (uWSGI's own log, the journal, Upstart's log). */
export type LogSource = Extract<Evidence, { kind: 'log-line' }>['source'];

/** Which program wrote the lines a signature knows. */
type Writer = 'nginx' | 'uwsgi' | 'systemd';

/** Which writers' lines each source may hold: the journal of a unit holds uWSGI's and systemd's. */
const WRITERS: Record<LogSource, readonly Writer[]> = {
  nginx: ['nginx'],
  uwsgi: ['uwsgi'],
  upstart: ['uwsgi'],
  journal: ['uwsgi', 'systemd'],
};

export const SIGNATURE_IDS = [
  'nginx-connect-denied',
  'nginx-connect-missing',
  'nginx-connect-refused',
  'nginx-connect-busy',
  'nginx-timed-out',
  'nginx-closed-early',
  'nginx-reset',
  'nginx-body-too-large',
  'nginx-listen-dup',
  'uwsgi-no-python-app',
  'uwsgi-app-not-loaded',
  'uwsgi-no-app-dynamic',
  'uwsgi-no-app-game-over',
  'uwsgi-module-missing',
  'uwsgi-import-failed',
  'uwsgi-app-exception',
  'uwsgi-python-home',
  'uwsgi-option-unknown',
  'uwsgi-no-request-plugin',
  'uwsgi-modifier-unavailable',
  'uwsgi-plugin-unloadable',
  'uwsgi-http-spoken',
  'uwsgi-block-too-big',
  'uwsgi-harakiri',
  'uwsgi-worker-killed',
  'uwsgi-queue-full',
  'uwsgi-str-body',
  'uwsgi-bind-denied',
  'uwsgi-another-instance',
  'uwsgi-address-in-use',
  'uwsgi-reload-on-term',
  'django-disallowed-host',
  'systemd-user-missing',
  'systemd-user-credentials',
  'systemd-user-step',
] as const;
export type SignatureId = (typeof SIGNATURE_IDS)[number];

export interface LogMatch {
  signature: SignatureId;
  /** The likeliest cause of this line on its own; the doctor's checks may settle on another of `alsoMeans`. */
  cause: CauseId;
  /** Other causes that write the very same line (nginx says the same for a killed worker and a protocol mismatch). */
  alsoMeans?: CauseId[];
  source: LogSource;
  /** The line as it was written. */
  line: string;
  /** Its place among the lines given (0-based). */
  index: number;
  /** The particulars, named as the catalogue's placeholders name them. */
  facts: Record<string, string>;
  /** Lines before it that belong to it: Python's traceback. */
  context?: string[];
}

interface Signature {
  id: SignatureId;
  writer: Writer;
  cause: CauseId;
  alsoMeans?: CauseId[];
  pattern: RegExp;
  /**
   * More facts than the pattern's named groups, or another cause; undefined refuses the line (the
   * next signature is tried).
   */
  read?: (groups: Record<string, string>, lines: readonly string[], index: number) => Partial<Read> | undefined;
}

interface Read {
  cause: CauseId;
  facts: Record<string, string>;
  context: string[];
}

/** nginx's particulars after its message: `client: …, server: …, request: "…", upstream: "…", host: "…"`. */
const NGINX_TAIL = /(?:, client: (?<client>[^,]*))?(?:, server: (?<server>[^,]*))?(?:, request: "(?<request>[^"]*)")?/;
const NGINX_UPSTREAM = /(?:, upstream: "(?<upstream>[^"]*)")?(?:, host: "(?<host>[^"]*)")?/;
const tail = `${NGINX_TAIL.source}${NGINX_UPSTREAM.source}`;

/** `connect() to unix:/run/myapp.sock failed (13: Permission denied) while connecting to upstream`. */
function connectFailed(errno: number, message: string): RegExp {
  return new RegExp(
    `connect\\(\\) to (?<target>\\S+) failed \\((?<errno>${errno}): ${message}\\)(?: while (?<while>[a-z ]+))?${tail}`,
  );
}

/** The socket named by nginx's `unix:PATH` (or a TCP address as it is). */
function socketOf(groups: Record<string, string>): Record<string, string> {
  const target = groups.target ?? '';
  return target.startsWith('unix:') ? { socket: target.slice('unix:'.length) } : { address: target };
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'HEAD', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE'];

/**
 * The HTTP method whose letters uWSGI read as a request's size, if any: a uwsgi packet begins with
 * modifier1 (1 byte) then the size (u16 little-endian), so "GET" gives 'G' and then 'E' + 'T'·256 = 21573.
 */
export function httpMethodReadAsSize(size: number): string | undefined {
  if (size < 0 || size > 0xffff) return undefined;
  const letters = String.fromCharCode(size & 0xff, size >> 8);
  return HTTP_METHODS.find((method) => method.slice(1, 3) === letters);
}

/** Python's traceback lines just before `index` (from "Traceback (most recent call last):" on). */
function tracebackBefore(lines: readonly string[], index: number): string[] {
  let start = index;
  while (start > 0 && /^\s+\S/.test(lines[start - 1] ?? '')) start -= 1;
  if (start > 0 && /^Traceback \(most recent call last\):/.test(lines[start - 1] ?? '')) start -= 1;
  else return [];
  return lines.slice(start, index) as string[];
}

/** The app's own file and line where the import failed: the last `File "…", line N` of the traceback. */
function whereInTraceback(traceback: readonly string[]): Record<string, string> {
  const frames = traceback.map((line) => /^\s+File "(?<file>[^"]+)", line (?<line>\d+)/.exec(line)?.groups);
  const last = frames.filter((f) => f !== undefined).at(-1);
  return last ? { file: last.file!, fileLine: last.line! } : {};
}

const SIGNATURES: readonly Signature[] = [
  // nginx: error.log, "YYYY/MM/DD HH:MM:SS [level] pid#tid: *conn message, client: …".
  {
    id: 'nginx-connect-denied',
    writer: 'nginx',
    cause: 'permission',
    pattern: connectFailed(13, 'Permission denied'),
    read: (g) => ({ facts: socketOf(g) }),
  },
  {
    id: 'nginx-connect-missing',
    writer: 'nginx',
    cause: 'no-socket',
    alsoMeans: ['socket-path-differs'],
    pattern: connectFailed(2, 'No such file or directory'),
    read: (g) => ({ facts: socketOf(g) }),
  },
  {
    id: 'nginx-connect-refused',
    writer: 'nginx',
    cause: 'refused',
    pattern: connectFailed(111, 'Connection refused'),
    read: (g) => ({ facts: socketOf(g) }),
  },
  {
    id: 'nginx-connect-busy',
    writer: 'nginx',
    cause: 'queue-full',
    pattern: connectFailed(11, 'Resource temporarily unavailable'),
    read: (g) => ({ facts: socketOf(g) }),
  },
  {
    id: 'nginx-timed-out',
    writer: 'nginx',
    cause: 'harakiri',
    pattern: new RegExp(`upstream timed out \\((?<errno>110): Connection timed out\\) while (?<while>[a-z ]+)${tail}`),
  },
  {
    id: 'nginx-closed-early',
    writer: 'nginx',
    cause: 'harakiri',
    alsoMeans: ['uwsgi-to-http'],
    pattern: new RegExp(`upstream prematurely closed connection while (?<while>[a-z ]+)${tail}`),
  },
  {
    id: 'nginx-reset',
    writer: 'nginx',
    cause: 'big-headers',
    alsoMeans: ['http-to-uwsgi'],
    pattern: new RegExp(
      `recv\\(\\) failed \\((?<errno>104): Connection reset by peer\\) while (?<while>[a-z ]+)${tail}`,
    ),
  },
  {
    id: 'nginx-body-too-large',
    writer: 'nginx',
    cause: 'too-large',
    pattern: new RegExp(`client intended to send too large body: (?<bytes>\\d+) bytes${tail}`),
  },
  {
    id: 'nginx-listen-dup',
    writer: 'nginx',
    cause: 'listen-dup',
    pattern: /\[emerg\].*duplicate listen options for (?<address>\S+) in (?<file>\S+?):(?<fileLine>\d+)/,
  },

  // uWSGI: its own log (logto, daemonize, the journal, Upstart's log).
  {
    id: 'uwsgi-no-python-app',
    writer: 'uwsgi',
    cause: 'no-app',
    pattern: /--- no python application found, check your startup logs for errors ---/,
  },
  {
    id: 'uwsgi-app-not-loaded',
    writer: 'uwsgi',
    cause: 'no-app',
    pattern:
      /unable to load app (?<app>\d+) \(mountpoint='(?<mountpoint>[^']*)'\) \(callable not found or import error\)/,
  },
  {
    id: 'uwsgi-no-app-dynamic',
    writer: 'uwsgi',
    cause: 'no-app',
    pattern: /\*\*\* no app loaded\. going in full dynamic mode \*\*\*/,
  },
  {
    id: 'uwsgi-no-app-game-over',
    writer: 'uwsgi',
    cause: 'no-app',
    pattern: /\*\*\* no app loaded\. GAME OVER \*\*\*/,
  },
  {
    // Without a traceback: the module uWSGI was told to load is not there (a wrong `module =` or
    // `chdir`). With one: the app's own file imports a package this Python does not have.
    id: 'uwsgi-module-missing',
    writer: 'uwsgi',
    cause: 'no-app',
    pattern: /^(?<exception>ImportError|ModuleNotFoundError): No module named '?(?<module>[\w.]+)'?\s*$/,
    read: (g, lines, index) => {
      if (g.module === 'site' || g.module === 'encodings') return undefined;
      const context = tracebackBefore(lines, index);
      if (context.length === 0) return {};
      return { cause: 'venv', context, facts: whereInTraceback(context) };
    },
  },
  {
    id: 'uwsgi-python-home',
    writer: 'uwsgi',
    cause: 'venv',
    pattern: /^(?:ImportError|ModuleNotFoundError): No module named '?(?<module>site|encodings)'?\s*$/,
    read: (_g, lines, index) => {
      const setHome = lines
        .slice(0, index)
        .map((line) => /^Set PythonHome to (?<home>.+)$/.exec(line)?.groups?.home)
        .filter((home) => home !== undefined)
        .at(-1);
      return setHome ? { facts: { home: setHome } } : {};
    },
  },
  {
    // Any other exception while the app was imported: its traceback comes first.
    id: 'uwsgi-app-exception',
    writer: 'uwsgi',
    cause: 'no-app',
    pattern: /^(?<exception>[A-Za-z_][\w.]*(?:Error|Exception)): (?<message>.*)$/,
    read: (g, lines, index) => {
      if (/^(?:ImportError|ModuleNotFoundError)$/.test(g.exception ?? '') && /No module named/.test(g.message ?? ''))
        return undefined;
      const context = tracebackBefore(lines, index);
      return context.length === 0 ? undefined : { context, facts: whereInTraceback(context) };
    },
  },
  {
    id: 'uwsgi-option-unknown',
    writer: 'uwsgi',
    cause: 'apt-uwsgi',
    pattern:
      /^(?<binary>\S+): unrecognized option '(?<option>--(?:wsgi-file|module|wsgi|callable|home|virtualenv|venv)\S*)'/,
  },
  {
    id: 'uwsgi-no-request-plugin',
    writer: 'uwsgi',
    cause: 'apt-uwsgi',
    pattern: /no request plugin is loaded, you will not be able to manage requests\./,
  },
  {
    id: 'uwsgi-modifier-unavailable',
    writer: 'uwsgi',
    cause: 'apt-uwsgi',
    pattern: /-- unavailable modifier requested: (?<modifier>\d+) --/,
  },
  {
    id: 'uwsgi-plugin-unloadable',
    writer: 'uwsgi',
    cause: 'apt-uwsgi',
    pattern: /!!! UNABLE to load uWSGI plugin: (?<plugin>\S+?):? (?<reason>.*?) !!!/,
  },
  {
    // "GET" read as a packet: its size is 'E' + 'T'·256. Any other size is a real header block.
    id: 'uwsgi-http-spoken',
    writer: 'uwsgi',
    cause: 'http-to-uwsgi',
    pattern: /invalid request block size: (?<size>\d+) \(max (?<max>\d+)\)/,
    read: (g) => {
      const method = httpMethodReadAsSize(Number(g.size));
      return method ? { facts: { method } } : undefined;
    },
  },
  {
    id: 'uwsgi-block-too-big',
    writer: 'uwsgi',
    cause: 'big-headers',
    pattern: /invalid request block size: (?<size>\d+) \(max (?<max>\d+)\)/,
    read: (g) => (httpMethodReadAsSize(Number(g.size)) ? undefined : {}),
  },
  {
    id: 'uwsgi-harakiri',
    writer: 'uwsgi',
    cause: 'harakiri',
    // uWSGI 2.0.22 and later add ", graceful: yes|no".
    pattern:
      /\*\*\* HARAKIRI ON WORKER (?<worker>\d+) \(pid: (?<pid>\d+), try: (?<try>\d+)(?:, graceful: \w+)?\) \*\*\*/,
  },
  {
    id: 'uwsgi-worker-killed',
    writer: 'uwsgi',
    cause: 'harakiri',
    pattern: /DAMN ! worker (?<worker>\d+) \(pid: (?<pid>\d+)\) died, killed by signal (?<signal>\d+)/,
  },
  {
    id: 'uwsgi-queue-full',
    writer: 'uwsgi',
    cause: 'queue-full',
    pattern:
      /\*\*\* uWSGI listen queue of socket "(?<socket>[^"]+)" \(fd: (?<fd>\d+)\) full !!! \((?<queued>\d+)\/(?<backlog>\d+)\) \*\*\*/,
  },
  {
    id: 'uwsgi-str-body',
    writer: 'uwsgi',
    cause: 'str-body',
    pattern: /\[ERROR\] Unhandled object from iterator: (?<object>.*?)(?: \(0x[0-9a-f]+\))?$/,
  },
  {
    id: 'uwsgi-bind-denied',
    writer: 'uwsgi',
    cause: 'bind-denied',
    pattern: /bind\(\): Permission denied \[core\/socket\.c line \d+\]/,
  },
  {
    id: 'uwsgi-another-instance',
    writer: 'uwsgi',
    cause: 'test-leftover',
    pattern: /probably another instance of uWSGI is running on the same address \((?<address>[^)]+)\)/,
  },
  {
    id: 'uwsgi-address-in-use',
    writer: 'uwsgi',
    cause: 'test-leftover',
    pattern: /bind\(\): Address already in use \[core\/socket\.c line \d+\]/,
  },
  {
    // uWSGI 2.0 takes SIGTERM (what systemd stops with) as "reload", unless die-on-term is set.
    id: 'uwsgi-reload-on-term',
    writer: 'uwsgi',
    cause: 'no-die-on-term',
    pattern: /^\.\.\.brutally killing workers\.\.\.$/,
  },
  {
    id: 'django-disallowed-host',
    writer: 'uwsgi',
    cause: 'django-hosts',
    pattern: /Invalid HTTP_HOST header: '(?<host>[^']*)'\. You may need to add/,
  },

  // systemd, in the unit's journal (`journalctl -u UNIT -o cat`).
  {
    id: 'systemd-user-missing',
    writer: 'systemd',
    cause: 'unit-user',
    pattern: /^(?:(?<unit>\S+\.service): )?Main process exited, code=exited, status=217\/USER/,
  },
  {
    // systemd 246 and later say this first, before "Failed at step USER".
    id: 'systemd-user-credentials',
    writer: 'systemd',
    cause: 'unit-user',
    pattern: /^(?:(?<unit>\S+\.service): )?Failed to determine user credentials: (?<reason>.*)$/,
  },
  {
    id: 'systemd-user-step',
    writer: 'systemd',
    cause: 'unit-user',
    pattern: /^(?:(?<unit>\S+\.service): )?Failed at step USER spawning (?<executable>[^:]+): (?<reason>.*)$/,
  },
];

/** The named groups that matched, without the ones that did not. */
function groupsOf(match: RegExpExecArray): Record<string, string> {
  return Object.fromEntries(Object.entries(match.groups ?? {}).filter(([, value]) => value !== undefined)) as Record<
    string,
    string
  >;
}

/** Every line of `lines` a signature knows, in their order; a line matches one signature at most. */
export function matchLogs(lines: readonly string[], source: LogSource): LogMatch[] {
  const writers = WRITERS[source];
  const signatures = SIGNATURES.filter((s) => writers.includes(s.writer));
  const matches: LogMatch[] = [];
  lines.forEach((line, index) => {
    for (const signature of signatures) {
      const found = signature.pattern.exec(line);
      if (!found) continue;
      const groups = groupsOf(found);
      const read = signature.read ? signature.read(groups, lines, index) : {};
      if (read === undefined) continue;
      const match: LogMatch = {
        signature: signature.id,
        cause: read.cause ?? signature.cause,
        source,
        line,
        index,
        facts: { ...groups, ...read.facts },
      };
      if (signature.alsoMeans) match.alsoMeans = signature.alsoMeans;
      if (read.context && read.context.length > 0) match.context = read.context;
      matches.push(match);
      break;
    }
  });
  return matches;
}

/** The lines of uWSGI's log since its last start (the last `*** Starting uWSGI` banner); all of them without one. */
export function sinceLastUwsgiStart(lines: readonly string[]): string[] {
  let last = -1;
  lines.forEach((line, index) => {
    if (/\*\*\* Starting uWSGI /.test(line)) last = index;
  });
  return lines.slice(Math.max(last, 0));
}

/** The time an nginx error.log line was written (`YYYY/MM/DD HH:MM:SS`, local time), if it says. */
export function nginxLineTime(line: string): Date | undefined {
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}) /.exec(line);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return new Date(year, month - 1, day, hour, minute, second);
}

/**
 * The lines of nginx's error.log written at or after `since` (nginx writes local time, to the
 * second). A line without a time (a continued message) goes with the line before it.
 */
export function nginxLinesSince(lines: readonly string[], since: Date): string[] {
  const wanted = Math.floor(since.getTime() / 1000) * 1000;
  const first = lines.findIndex((line) => {
    const time = nginxLineTime(line);
    return time !== undefined && time.getTime() >= wanted;
  });
  return first === -1 ? [] : lines.slice(first);
}
