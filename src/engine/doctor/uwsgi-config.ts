// uWSGI's configuration as uWSGI reads it (issue 16): an ini's `[uwsgi]` section, the options of a
// uWSGI command line, the systemd unit or Upstart job that starts it. Pure: the doctor's exec side
// reads the files and the processes' command lines. What uWSGI 2.0 does, checked with its binary
// (test/unit/doctor-uwsgi-config.test.ts): a key is read as written (`chmod_socket` is not
// `chmod-socket`: uWSGI takes it for a placeholder of its own and ignores it), a repeated option
// keeps its last value (sockets and plugins add up), `false`/`off`/`no`/`0` in any case turn a flag
// off and anything else turns it on, and a relative socket is bound in `chdir`.
import type { SocketAddress } from './nginx-config.js';

/** One option as uWSGI got it: the name as written (aliases not yet folded), the value expanded. */
export interface UwsgiEntry {
  key: string;
  value: string;
  /** The ini's line; absent for a command line's option. */
  line?: number;
}

/** What speaks on a socket: the uwsgi protocol (nginx's uwsgi_pass), HTTP (a browser, proxy_pass), or other. */
export type SocketProtocol = 'uwsgi' | 'http' | 'https' | 'fastcgi' | 'scgi';

export interface UwsgiSocket {
  /** The option that made it (`socket`, `http-socket`, `http`…), after folding aliases. */
  option: string;
  protocol: SocketProtocol;
  /** As written: a path, `host:port`, `:port`, `@abstract`. */
  address: string;
  line?: number;
}

export interface UwsgiOptions {
  entries: UwsgiEntry[];
  sockets: UwsgiSocket[];
  chdir?: string;
  module?: string;
  wsgiFile?: string;
  callable?: string;
  /** `home`, `virtualenv`, `venv` or `pyhome`: the last of them. */
  home?: string;
  /**
   * As written. In an ini an empty one is refused by uWSGI at start (`invalid chmod value:`); on a
   * command line `--chmod-socket` alone is 666.
   */
  chmodSocket?: string;
  chownSocket?: string;
  uid?: string;
  gid?: string;
  plugins: string[];
  master?: boolean;
  processes?: number;
  dieOnTerm?: boolean;
  harakiri?: number;
  bufferSize?: number;
  needApp?: boolean;
  vacuum?: boolean;
  logto?: string;
  daemonize?: string;
  pidfile?: string;
  listen?: number;
  /** The ini files a command line names (`--ini X`, or a lone `X.ini`). */
  inis: string[];
  /** `--emperor DIR`: the vassals' directory or glob. */
  emperor?: string;
  /**
   * Keys written with `_` where uWSGI knows the option only with `-` (`chmod_socket`): uWSGI ignores
   * them silently (in --strict mode it refuses them).
   */
  underscoreKeys: { key: string; option: string; line?: number }[];
}

/** The options uWSGI knows under other names: each alias and the option it is. */
const ALIASES: Record<string, string> = {
  'uwsgi-socket': 'socket',
  s: 'socket',
  wsgi: 'module',
  w: 'module',
  file: 'wsgi-file',
  virtualenv: 'home',
  venv: 'home',
  pyhome: 'home',
  H: 'home',
  workers: 'processes',
  p: 'processes',
  M: 'master',
  plugin: 'plugins',
  b: 'buffer-size',
  l: 'listen',
  t: 'harakiri',
  d: 'daemonize',
  logto2: 'logto',
  daemonize2: 'daemonize',
  pidfile2: 'pidfile',
};

/** The options whose values add up rather than replace each other. */
const SOCKET_OPTIONS: Record<string, SocketProtocol | 'default'> = {
  socket: 'default',
  'http-socket': 'http',
  http: 'http',
  'http11-socket': 'http',
  'https-socket': 'https',
  https: 'https',
  'fastcgi-socket': 'fastcgi',
  'scgi-socket': 'scgi',
  'shared-socket': 'default',
};

/** The options read here, under their own names: a `_` spelling of one of them is reported. */
const KNOWN = [
  ...Object.keys(SOCKET_OPTIONS),
  ...['chdir', 'module', 'wsgi-file', 'callable', 'home', 'chmod-socket', 'chown-socket', 'uid', 'gid', 'plugins'],
  ...['master', 'processes', 'die-on-term', 'harakiri', 'buffer-size', 'need-app', 'vacuum', 'logto', 'daemonize'],
  ...['pidfile', 'listen', 'protocol', 'ini', 'emperor', 'virtualenv', 'socket-timeout', 'enable-threads'],
];

/** A flag's value as uWSGI reads it: false, off, no and 0 (any case) are off, anything else on. */
export function uwsgiFlag(value: string): boolean {
  return !['false', 'off', 'no', '0'].includes(value.trim().toLowerCase());
}

function numberOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number.parseInt(value, 10);
  return Number.isNaN(n) ? undefined : n;
}

/** Options folded from entries in the order uWSGI got them. */
export function optionsFrom(entries: UwsgiEntry[]): UwsgiOptions {
  const options: UwsgiOptions = { entries, sockets: [], plugins: [], inis: [], underscoreKeys: [] };
  const values = new Map<string, string>();
  let protocol: SocketProtocol | undefined;
  const pendingSockets: UwsgiEntry[] = [];
  for (const entry of entries) {
    const key = ALIASES[entry.key] ?? entry.key;
    if (key.includes('_') && KNOWN.includes(key.replace(/_/g, '-'))) {
      options.underscoreKeys.push({ key: entry.key, option: key.replace(/_/g, '-'), line: entry.line });
      continue;
    }
    if (key in SOCKET_OPTIONS) {
      pendingSockets.push({ ...entry, key });
      continue;
    }
    if (key === 'plugins') {
      options.plugins.push(...entry.value.split(/[\s,]+/).filter(Boolean));
      continue;
    }
    if (key === 'ini') {
      options.inis.push(entry.value);
      continue;
    }
    // `protocol` changes what every `socket` speaks, wherever it is written.
    if (key === 'protocol') protocol = entry.value as SocketProtocol;
    values.set(key, entry.value);
  }
  for (const entry of pendingSockets) {
    const kind = SOCKET_OPTIONS[entry.key];
    const socket: UwsgiSocket = {
      option: entry.key,
      protocol: kind === 'default' ? (protocol ?? 'uwsgi') : kind,
      address: entry.value,
    };
    if (entry.line !== undefined) socket.line = entry.line;
    options.sockets.push(socket);
  }
  const text = (key: string) => values.get(key);
  const flag = (key: string) => (values.has(key) ? uwsgiFlag(values.get(key)!) : undefined);
  const assign = <K extends keyof UwsgiOptions>(field: K, value: UwsgiOptions[K] | undefined) => {
    if (value !== undefined) options[field] = value;
  };
  assign('chdir', text('chdir'));
  assign('module', text('module'));
  assign('wsgiFile', text('wsgi-file'));
  assign('callable', text('callable'));
  assign('home', text('home'));
  assign('chmodSocket', text('chmod-socket'));
  assign('chownSocket', text('chown-socket'));
  assign('uid', text('uid'));
  assign('gid', text('gid'));
  assign('master', flag('master'));
  assign('processes', numberOf(text('processes')));
  assign('dieOnTerm', flag('die-on-term'));
  assign('harakiri', numberOf(text('harakiri')));
  assign('bufferSize', numberOf(text('buffer-size')));
  assign('needApp', flag('need-app'));
  assign('vacuum', flag('vacuum'));
  assign('logto', text('logto'));
  assign('daemonize', text('daemonize'));
  assign('pidfile', text('pidfile'));
  assign('listen', numberOf(text('listen')));
  assign('emperor', text('emperor'));
  return options;
}

/** Where the ini is, for its magic variables (%d, %n…); absent, they are left as written. */
export interface IniSource {
  path?: string;
  /** The process's environment, for `$(NAME)`; a name not in it is uWSGI's empty string. */
  env?: Record<string, string>;
  /**
   * Options uWSGI had before this ini, for its `%(name)`: an UWSGI_NAME variable of the environment
   * (Debian's init script sets UWSGI_DEB_CONFNAME for its default.ini), an option given earlier.
   */
  options?: Record<string, string>;
}

function pathParts(path: string) {
  const cut = path.lastIndexOf('/');
  const dir = cut < 0 ? '' : path.slice(0, cut + 1);
  const file = path.slice(cut + 1);
  const dot = file.lastIndexOf('.');
  return {
    dir,
    file,
    name: dot > 0 ? file.slice(0, dot) : file,
    extension: dot > 0 ? file.slice(dot + 1) : '',
    parent: dir.replace(/\/$/, '').split('/').pop() ?? '',
  };
}

/**
 * A value with uWSGI's magic variables replaced: %d (the ini's directory, with its slash), %p (its
 * path), %s (its file name), %n (without the extension), %e (the extension), %c (its directory's
 * name), %% (a %); %(option) with that option's value so far; $(NAME) from the
 * environment. Those that depend on the running machine (%h, %u, %k…) stay as written.
 */
function expand(value: string, source: IniSource, values: Map<string, string>): string {
  const parts = source.path ? pathParts(source.path) : undefined;
  const magic: Record<string, string | undefined> = {
    d: parts?.dir,
    p: source.path,
    s: parts?.file,
    n: parts?.name,
    e: parts?.extension,
    c: parts?.parent,
    '%': '%',
  };
  return value
    .replace(/%\(([^)]+)\)/g, (whole, name: string) => values.get(name) ?? whole)
    .replace(/\$\(([^)]+)\)/g, (_whole, name: string) => source.env?.[name] ?? '')
    .replace(/%([a-zA-Z%])/g, (whole, letter: string) => magic[letter] ?? whole);
}

/** The entries of one section of an ini, as uWSGI reads them (`[uwsgi]` unless named). */
export function iniEntries(text: string, source: IniSource = {}, section = 'uwsgi'): UwsgiEntry[] {
  const entries: UwsgiEntry[] = [];
  const values = new Map<string, string>(Object.entries(source.options ?? {}));
  let current = '';
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) return;
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      current = header[1].trim();
      return;
    }
    if (current !== section) return;
    const eq = line.indexOf('=');
    // A key without `=` has an empty value: a flag is then on.
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    const value = eq < 0 ? '' : expand(line.slice(eq + 1).trim(), source, values);
    values.set(key, value);
    entries.push({ key, value, line: index + 1 });
  });
  return entries;
}

/** The `[uwsgi]` section (or another) of an ini, as the options uWSGI takes from it. */
export function parseUwsgiIni(text: string, source: IniSource = {}, section = 'uwsgi'): UwsgiOptions {
  return optionsFrom(iniEntries(text, source, section));
}

/** Short options that take no value (all others take the next word). */
const SHORT_FLAGS = new Set(['M', 'T']);
/** Long options that take no value on a command line. */
const LONG_FLAGS = new Set(['master', 'die-on-term', 'vacuum', 'need-app', 'enable-threads', 'strict']);

/**
 * The options of a uWSGI command line (a process's argv, ExecStart's words): `--opt value`,
 * `--opt=value`, `-s value`, a lone `X.ini`; the program itself (argv[0]) is skipped.
 */
export function parseUwsgiArgs(argv: string[]): UwsgiOptions {
  const entries: UwsgiEntry[] = [];
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i];
    const long = /^--([^=]+)(?:=(.*))?$/.exec(word);
    if (long) {
      const [, key, inline] = long;
      if (inline !== undefined) entries.push({ key, value: inline });
      else if (key === 'chmod-socket' && (i + 1 >= argv.length || !/^[0-7]{3,4}$/.test(argv[i + 1]))) {
        // Alone on a command line, uWSGI's chmod-socket is 666.
        entries.push({ key, value: '666' });
      } else if (LONG_FLAGS.has(key) || i + 1 >= argv.length || argv[i + 1].startsWith('-')) {
        entries.push({ key, value: '1' });
      } else entries.push({ key, value: argv[++i] });
      continue;
    }
    const short = /^-([a-zA-Z])(.*)$/.exec(word);
    if (short) {
      const [, key, attached] = short;
      if (SHORT_FLAGS.has(key)) entries.push({ key, value: '1' });
      else if (attached) entries.push({ key, value: attached });
      else if (i + 1 < argv.length) entries.push({ key, value: argv[++i] });
      continue;
    }
    // uWSGI takes a lone argument with a config extension as that config.
    if (word.endsWith('.ini')) entries.push({ key: 'ini', value: word });
  }
  return optionsFrom(entries);
}

function resolvePath(path: string, base: string): string {
  if (path.startsWith('/')) return path;
  const joined = `${base.replace(/\/$/, '')}/${path}`;
  const out: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/**
 * Where a socket of these options really is: a TCP address, or a unix path resolved as uWSGI binds
 * it, against `chdir` (itself resolved against the working directory), else the working directory
 * uWSGI was started in (`cwd`: the unit's WorkingDirectory, the job's `cd`, the process's cwd).
 */
export function resolveSocketPath(options: UwsgiOptions, socket: UwsgiSocket, cwd: string): SocketAddress {
  const address = socket.address;
  const inet = /^(.*):(\d+)$/.exec(address);
  if (inet && !address.startsWith('/') && !address.startsWith('@')) {
    // `:3031` binds every address.
    return { kind: 'inet', host: inet[1] === '' ? '0.0.0.0' : inet[1], port: Number(inet[2]) };
  }
  // An abstract socket (`@name`) is no path.
  if (address.startsWith('@')) return { kind: 'unix', path: address };
  const base = options.chdir ? resolvePath(options.chdir, cwd) : cwd;
  return { kind: 'unix', path: resolvePath(address, base) };
}

/** Words of a command line as a shell (or systemd) splits them: quotes and backslashes. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === ' ' || ch === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      const stop = end < 0 ? line.length : end;
      word = (word ?? '') + line.slice(i + 1, stop);
      i = stop;
    } else if (ch === '"') {
      let j = i + 1;
      let quoted = '';
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length) j++;
        quoted += line[j++];
      }
      word = (word ?? '') + quoted;
      i = j;
    } else if (ch === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else word = (word ?? '') + ch;
  }
  if (word !== undefined) words.push(word);
  return words;
}

export interface SystemdService {
  user?: string;
  group?: string;
  workingDirectory?: string;
  runtimeDirectory: string[];
  killSignal?: string;
  /** Each `Environment=` assignment, in order (a later one wins). */
  environment: Record<string, string>;
  /** ExecStart's words, without systemd's prefixes (`-`, `@`, `+`…). */
  execStart?: string[];
  /** ExecStart's uWSGI options, when it starts uWSGI. */
  uwsgi?: UwsgiOptions;
  /** The ini ExecStart names, resolved against WorkingDirectory. */
  ini?: string;
  /** Where each key was, for the evidence. */
  lines: Record<string, number>;
}

/** Whether a program path is uWSGI (`uwsgi`, `/…/bin/uwsgi`, Debian's `uwsgi-core`). */
export function isUwsgiProgram(program: string): boolean {
  return /(^|\/)uwsgi(-core)?$/.test(program);
}

function iniOf(options: UwsgiOptions, cwd: string | undefined): string | undefined {
  const named = options.inis.at(-1);
  if (named === undefined) return undefined;
  // `--ini FILE:SECTION` reads another section of the same file.
  const ini = /^(.*\.ini):[^/]*$/.exec(named)?.[1] ?? named;
  return cwd ? resolvePath(ini, cwd) : ini;
}

/** A systemd unit's `[Service]` section: who runs it, where, what it starts and the ini it names. */
export function parseSystemdUnit(text: string): SystemdService {
  const service: SystemdService = { runtimeDirectory: [], environment: {}, lines: {} };
  let section = '';
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const number = index + 1;
    let line = lines[index].trim();
    // A trailing backslash continues the line.
    while (line.endsWith('\\') && index + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++index].trim()}`;
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      section = header[1];
      continue;
    }
    if (section !== 'Service') continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    service.lines[key] = number;
    if (key === 'User') service.user = value;
    else if (key === 'Group') service.group = value;
    else if (key === 'WorkingDirectory') service.workingDirectory = value.replace(/^-/, '');
    else if (key === 'RuntimeDirectory') service.runtimeDirectory.push(...value.split(/\s+/).filter(Boolean));
    else if (key === 'KillSignal') service.killSignal = value;
    else if (key === 'Environment') {
      for (const assignment of shellWords(value)) {
        const cut = assignment.indexOf('=');
        if (cut > 0) service.environment[assignment.slice(0, cut)] = assignment.slice(cut + 1);
      }
    } else if (key === 'ExecStart' && value !== '') {
      const words = shellWords(value.replace(/^[-@:+!]+/, ''));
      service.execStart = words;
    }
  }
  if (service.execStart && isUwsgiProgram(service.execStart[0])) {
    service.uwsgi = parseUwsgiArgs(service.execStart);
    const ini = iniOf(service.uwsgi, service.workingDirectory);
    if (ini) service.ini = ini;
  }
  return service;
}

export interface UpstartJob {
  setuid?: string;
  setgid?: string;
  /** `chdir` stanza, else the `cd` of its script. */
  chdir?: string;
  env: Record<string, string>;
  /** The command that starts uWSGI: `exec`'s, or the script's line that runs uwsgi. */
  command?: string[];
  /** The virtualenv its script activates (`. VENV/bin/activate`), resolved against chdir. */
  activates?: string;
  uwsgi?: UwsgiOptions;
  ini?: string;
  lines: Record<string, number>;
}

/** An Upstart job (/etc/init/APP.conf), the guide's: its stanzas and the lines of its script. */
export function parseUpstartJob(text: string): UpstartJob {
  const job: UpstartJob = { env: {}, lines: {} };
  let inScript = false;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [word, ...rest] = shellWords(line);
    const number = index + 1;
    if (!inScript) {
      if (word === 'script') inScript = true;
      else if (word === 'setuid' || word === 'setgid' || word === 'chdir') {
        job[word] = rest[0];
        job.lines[word] = number;
      } else if (word === 'env' && rest[0]?.includes('=')) {
        const cut = rest[0].indexOf('=');
        job.env[rest[0].slice(0, cut)] = rest[0].slice(cut + 1);
      } else if (word === 'exec') {
        job.command = rest;
        job.lines.exec = number;
      }
      return;
    }
    if (word === 'end' && rest[0] === 'script') {
      inScript = false;
      return;
    }
    if (word === 'cd' && rest[0]) {
      job.chdir = job.chdir ? resolvePath(rest[0], job.chdir) : rest[0];
      job.lines.cd = number;
    } else if ((word === '.' || word === 'source') && rest[0]?.endsWith('/bin/activate')) {
      const venv = rest[0].slice(0, -'/bin/activate'.length);
      job.activates = job.chdir ? resolvePath(venv, job.chdir) : venv;
    } else {
      const words = word === 'exec' ? rest : [word, ...rest];
      if (words[0] && isUwsgiProgram(words[0])) {
        job.command = words;
        job.lines.exec = number;
      }
    }
  });
  if (job.command && isUwsgiProgram(job.command[0])) {
    job.uwsgi = parseUwsgiArgs(job.command);
    const ini = iniOf(job.uwsgi, job.chdir);
    if (ini) job.ini = ini;
  }
  return job;
}
