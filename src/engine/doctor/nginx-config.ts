// nginx's configuration as nginx itself read it (issue 16): the text of `nginx -T`, which prints
// `# configuration file PATH:` before each file it opened, taken apart into its server blocks, and
// which of them nginx really picks for a request. Pure: the doctor's exec side runs `nginx -T`.
// The tokenizer follows nginx's own (src/core/ngx_conf_file.c, ngx_conf_read_token): a `#` starts a
// comment only where a word could start, quotes may hold spaces and `;`, a backslash keeps the next
// character, and `include` is followed into the files the dump holds, in the order nginx reads them.

/** Where a uwsgi_pass, a listen or an upstream server points: a unix socket, or a host and port. */
export type SocketAddress = { kind: 'unix'; path: string } | { kind: 'inet'; host: string; port: number };

/** One file of the dump: its path and its text as nginx read it. */
export interface NginxFile {
  path: string;
  text: string;
}

/** One directive, with the file and line where it starts; a block's directives inside it. */
export interface NginxDirective {
  name: string;
  args: string[];
  file: string;
  line: number;
  block?: NginxDirective[];
}

export interface NginxListen {
  /** `*` for every IPv4 address, `[::]` for every IPv6 one, an address, a host name, or `unix:PATH`. */
  address: string;
  port: number;
  defaultServer: boolean;
  ssl: boolean;
  /** As written (`ipv6only=on|off`); absent when not given (nginx's default: on). */
  ipv6only?: boolean;
  /** A block without any `listen` listens on *:80: this is that listen, written nowhere. */
  implicit: boolean;
  file: string;
  line: number;
}

/** A uwsgi_pass: what it says, and the sockets it names (an upstream's servers, when it names one). */
export interface UwsgiPass {
  value: string;
  /** The protocol prefix, when given (`uwsgi://`, `suwsgi://`). */
  scheme?: string;
  /** The upstream block it names, when it names one. */
  upstream?: string;
  targets: SocketAddress[];
  file: string;
  line: number;
}

export interface NginxLocation {
  /** The location's arguments as written: `/`, `= /x`, `~ \.php$`, `@name`. */
  match: string;
  file: string;
  line: number;
  uwsgiPass?: UwsgiPass;
  proxyPass?: { value: string; file: string; line: number };
  /** Whether `include uwsgi_params` (any path ending so) is inside the location. */
  includesUwsgiParams: boolean;
  /** In effect here: the location's own, else the server's, else http's; absent: nginx's default (1m). */
  clientMaxBodySize?: string;
  /** In effect here, as clientMaxBodySize; absent: nginx's default (60s). */
  uwsgiReadTimeout?: string;
}

export interface NginxServer {
  file: string;
  line: number;
  listens: NginxListen[];
  /** As written, lowercased as nginx keeps them; [''] when the block names none (nginx's default). */
  serverNames: string[];
  root?: string;
  /** Every location, nested ones too, in the order of the text. */
  locations: NginxLocation[];
  /** In effect for the block: its own, else http's. */
  clientMaxBodySize?: string;
  uwsgiReadTimeout?: string;
}

export interface NginxUpstream {
  name: string;
  servers: SocketAddress[];
  file: string;
  line: number;
}

export interface NginxConfig {
  files: NginxFile[];
  /** The main file's directives, includes followed. */
  directives: NginxDirective[];
  /** The top-level `user` directive's account and group, when present. */
  user?: { name: string; group?: string; file: string; line: number };
  servers: NginxServer[];
  upstreams: NginxUpstream[];
}

/** What nginx -T's text could not be read as: a fault of the input, with where. */
export class NginxParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
  }
}

const HEADER = /^# configuration file (\/.*):$/;

/**
 * The files of `nginx -T`'s output, in the order nginx printed them. nginx writes each file's text
 * followed by one newline of its own; that newline is taken off again.
 */
export function splitDump(dump: string): NginxFile[] {
  const files: NginxFile[] = [];
  let current: { path: string; lines: string[] } | undefined;
  const finish = () => {
    if (!current) return;
    const lines = current.lines;
    // The newline nginx adds after each file: the last line then is empty.
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    files.push({ path: current.path, text: lines.join('\n') });
  };
  for (const line of dump.split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      finish();
      current = { path: header[1], lines: [] };
    } else current?.lines.push(line);
  }
  finish();
  return files;
}

type Token = { kind: 'word'; value: string; line: number } | { kind: ';' | '{' | '}'; line: number };

const SPACE = new Set([' ', '\t', '\r', '\n']);

/** nginx's unescaping of a word: \" \' \\ lose the backslash, \t \r \n become the characters, others stay. */
function unescapeWord(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '\\' && i + 1 < raw.length) {
      const next = raw[i + 1];
      if (next === '"' || next === "'" || next === '\\') {
        out += next;
        i++;
        continue;
      }
      const control = { t: '\t', r: '\r', n: '\n' }[next];
      if (control !== undefined) {
        out += control;
        i++;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

/** The tokens of one file, as ngx_conf_read_token reads them. */
export function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (SPACE.has(ch)) {
      if (ch === '\n') line++;
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (ch === ';' || ch === '{' || ch === '}') {
      tokens.push({ kind: ch, line });
      i++;
      continue;
    }
    const startLine = line;
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < n && text[j] !== ch) {
        if (text[j] === '\\') j++;
        if (text[j] === '\n') line++;
        j++;
      }
      if (j >= n) throw new NginxParseError(file, startLine, `missing terminating ${ch} character`);
      tokens.push({ kind: 'word', value: unescapeWord(text.slice(i + 1, j)), line: startLine });
      i = j + 1;
      // After a quoted word nginx wants a space, `;` or `{` (a `)` too, for `if`).
      if (i < n && !SPACE.has(text[i]) && text[i] !== ';' && text[i] !== '{' && text[i] !== ')') {
        throw new NginxParseError(file, line, `unexpected "${text[i]}"`);
      }
      continue;
    }
    // An unquoted word ends at a space, `;` or `{`; a `}` inside it is part of it, and so is the
    // `{` of `${name}`.
    let j = i;
    while (j < n) {
      const c = text[j];
      if (c === '\\') {
        if (text[j + 1] === '\n') line++;
        j += 2;
        continue;
      }
      if (c === '{' && j > i && text[j - 1] === '$') {
        j++;
        continue;
      }
      if (SPACE.has(c) || c === ';' || c === '{') break;
      j++;
    }
    tokens.push({ kind: 'word', value: unescapeWord(text.slice(i, j)), line: startLine });
    i = j;
  }
  return tokens;
}

/** Whether a path matches a glob as glob(3) does: `*` and `?` stay within a name and skip a leading dot. */
function globMatches(pattern: string, path: string): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    const atNameStart = i === 0 || pattern[i - 1] === '/';
    if (ch === '*') source += atNameStart ? '(?!\\.)[^/]*' : '[^/]*';
    else if (ch === '?') source += atNameStart ? '(?!\\.)[^/]' : '[^/]';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) source += '\\[';
      else {
        const body = pattern
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = end;
      }
    } else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`).test(path);
}

function dirname(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

/** The files an include names, from those the dump holds, in glob(3)'s order (sorted by name). */
function included(files: Map<string, NginxFile>, prefix: string, name: string): NginxFile[] {
  const full = name.startsWith('/') ? name : `${prefix}/${name}`;
  if (!/[*?[]/.test(full)) {
    const file = files.get(full);
    return file ? [file] : [];
  }
  return [...files.keys()]
    .filter((path) => globMatches(full, path))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((path) => files.get(path)!);
}

/**
 * A file's directives, with every `include` replaced by the directives of the files it names (kept
 * too, so that `include uwsgi_params` can be seen). nginx -T prints a file once however often it is
 * included, so each include finds its text in the dump.
 */
function parseFile(file: NginxFile, files: Map<string, NginxFile>, prefix: string, depth: number): NginxDirective[] {
  if (depth > 32) throw new NginxParseError(file.path, 1, 'includes nested too deeply (an include loop?)');
  const tokens = tokenize(file.text, file.path);
  let at = 0;
  const block = (closing: boolean, openLine: number): NginxDirective[] => {
    const directives: NginxDirective[] = [];
    let words: { value: string; line: number }[] = [];
    while (at < tokens.length) {
      const token = tokens[at++];
      if (token.kind === 'word') {
        words.push(token);
        continue;
      }
      if (token.kind === '}') {
        if (words.length > 0) throw new NginxParseError(file.path, token.line, 'unexpected "}"');
        if (!closing) throw new NginxParseError(file.path, token.line, 'unexpected "}"');
        return directives;
      }
      if (words.length === 0) throw new NginxParseError(file.path, token.line, `unexpected "${token.kind}"`);
      const [name, ...args] = words.map((w) => w.value);
      const directive: NginxDirective = { name, args, file: file.path, line: words[0].line };
      words = [];
      if (token.kind === '{') directive.block = block(true, directive.line);
      directives.push(directive);
      if (name === 'include' && token.kind === ';' && args.length === 1) {
        for (const inner of included(files, prefix, args[0])) {
          directives.push(...parseFile(inner, files, prefix, depth + 1));
        }
      }
    }
    if (words.length > 0) throw new NginxParseError(file.path, words[0].line, 'unexpected end of file, expecting ";"');
    if (closing) throw new NginxParseError(file.path, openLine, 'unexpected end of file, expecting "}"');
    return directives;
  };
  return block(false, 1);
}

/** `host:port`, `host` (port 80), `port`, `[v6]:port`, `unix:PATH`, as nginx reads an address. */
function parseAddress(value: string, defaultPort: number): SocketAddress | undefined {
  if (value.startsWith('unix:')) return { kind: 'unix', path: value.slice('unix:'.length) };
  const v6 = /^(\[[^\]]*\])(?::(\d+))?$/.exec(value);
  if (v6) return { kind: 'inet', host: v6[1], port: v6[2] ? Number(v6[2]) : defaultPort };
  if (/^\d+$/.test(value)) return { kind: 'inet', host: '*', port: Number(value) };
  const hostPort = /^([^:]+)(?::(\d+))?$/.exec(value);
  if (hostPort) return { kind: 'inet', host: hostPort[1], port: hostPort[2] ? Number(hostPort[2]) : defaultPort };
  return undefined;
}

function parseListen(directive: NginxDirective): NginxListen {
  const [where = '80', ...options] = directive.args;
  const address = parseAddress(where, 80);
  const listen: NginxListen = {
    address: address?.kind === 'unix' ? `unix:${address.path}` : (address?.host ?? where),
    port: address?.kind === 'inet' ? address.port : 0,
    defaultServer: options.includes('default_server') || options.includes('default'),
    ssl: options.includes('ssl'),
    implicit: false,
    file: directive.file,
    line: directive.line,
  };
  const ipv6only = options.find((option) => option.startsWith('ipv6only='));
  if (ipv6only) listen.ipv6only = ipv6only === 'ipv6only=on';
  return listen;
}

function last(directives: NginxDirective[], name: string): NginxDirective | undefined {
  return directives.filter((d) => d.name === name).at(-1);
}

function lastArg(directives: NginxDirective[], name: string): string | undefined {
  return last(directives, name)?.args[0];
}

function parseUpstream(directive: NginxDirective): NginxUpstream {
  const servers = (directive.block ?? [])
    .filter((d) => d.name === 'server' && d.args.length > 0)
    .map((d) => parseAddress(d.args[0], 80))
    .filter((a): a is SocketAddress => a !== undefined);
  return { name: directive.args[0] ?? '', servers, file: directive.file, line: directive.line };
}

function parseUwsgiPass(directive: NginxDirective, upstreams: NginxUpstream[]): UwsgiPass {
  const value = directive.args[0] ?? '';
  const scheme = /^(s?uwsgi):\/\//.exec(value)?.[1];
  const rest = scheme ? value.slice(scheme.length + 3) : value;
  const pass: UwsgiPass = { value, targets: [], file: directive.file, line: directive.line };
  if (scheme) pass.scheme = scheme;
  const upstream = upstreams.find((u) => u.name === rest);
  if (upstream) {
    pass.upstream = upstream.name;
    pass.targets = upstream.servers;
  } else if (!rest.includes('$')) {
    // A name with a variable is resolved per request: nothing to pair beforehand.
    const address = parseAddress(rest, 80);
    if (address) pass.targets = [address];
  }
  return pass;
}

interface Inherited {
  clientMaxBodySize?: string;
  uwsgiReadTimeout?: string;
}

function inherit(directives: NginxDirective[], outer: Inherited): Inherited {
  return {
    clientMaxBodySize: lastArg(directives, 'client_max_body_size') ?? outer.clientMaxBodySize,
    uwsgiReadTimeout: lastArg(directives, 'uwsgi_read_timeout') ?? outer.uwsgiReadTimeout,
  };
}

function withInherited<T extends object>(target: T, values: Inherited): T & Inherited {
  const out: T & Inherited = { ...target };
  if (values.clientMaxBodySize !== undefined) out.clientMaxBodySize = values.clientMaxBodySize;
  if (values.uwsgiReadTimeout !== undefined) out.uwsgiReadTimeout = values.uwsgiReadTimeout;
  return out;
}

/** The locations of a block, nested ones and those inside `if` too, in the order of the text. */
function collectLocations(
  directives: NginxDirective[],
  outer: Inherited,
  upstreams: NginxUpstream[],
  into: NginxLocation[],
): void {
  for (const directive of directives) {
    if (directive.name !== 'location' || !directive.block) continue;
    const body = directive.block;
    // An `if` inside the location may hold the pass (`if (...) { uwsgi_pass ...; }`).
    const withIfs = [...body, ...body.filter((d) => d.name === 'if').flatMap((d) => d.block ?? [])];
    const here = inherit(body, outer);
    const location: NginxLocation = withInherited(
      {
        match: directive.args.join(' '),
        file: directive.file,
        line: directive.line,
        includesUwsgiParams: body.some(
          (d) => d.name === 'include' && (d.args[0] === 'uwsgi_params' || d.args[0]?.endsWith('/uwsgi_params')),
        ),
      },
      here,
    );
    const pass = last(withIfs, 'uwsgi_pass');
    if (pass) location.uwsgiPass = parseUwsgiPass(pass, upstreams);
    const proxy = last(withIfs, 'proxy_pass');
    if (proxy) location.proxyPass = { value: proxy.args[0] ?? '', file: proxy.file, line: proxy.line };
    into.push(location);
    collectLocations(body, here, upstreams, into);
  }
}

function parseServer(directive: NginxDirective, http: Inherited, upstreams: NginxUpstream[]): NginxServer {
  const body = directive.block ?? [];
  const listens = body.filter((d) => d.name === 'listen').map(parseListen);
  if (listens.length === 0) {
    listens.push({
      address: '*',
      port: 80,
      defaultServer: false,
      ssl: false,
      implicit: true,
      file: directive.file,
      line: directive.line,
    });
  }
  const names = body.filter((d) => d.name === 'server_name').flatMap((d) => d.args);
  const serverNames =
    names.length === 0 ? [''] : names.map((name) => (name.startsWith('~') ? name : name.toLowerCase()));
  const own = inherit(body, http);
  const locations: NginxLocation[] = [];
  collectLocations(body, own, upstreams, locations);
  const server: NginxServer = withInherited(
    { file: directive.file, line: directive.line, listens, serverNames, locations },
    own,
  );
  const root = lastArg(body, 'root');
  if (root !== undefined) server.root = root;
  return server;
}

/**
 * The configuration in `nginx -T`'s output: its files, server blocks (those of every `http` block,
 * in the order nginx reads them), upstreams, and the `user` nginx's workers run as.
 */
export function parseNginxDump(dump: string): NginxConfig {
  const files = splitDump(dump);
  if (files.length === 0) return { files, directives: [], servers: [], upstreams: [] };
  const byPath = new Map(files.map((file) => [file.path, file]));
  // Relative includes are read against the main file's directory (nginx's conf prefix).
  const directives = parseFile(files[0], byPath, dirname(files[0].path), 0);
  const config: NginxConfig = { files, directives, servers: [], upstreams: [] };
  const user = last(directives, 'user');
  if (user?.args[0]) {
    config.user = { name: user.args[0], file: user.file, line: user.line };
    if (user.args[1]) config.user.group = user.args[1];
  }
  for (const http of directives.filter((d) => d.name === 'http' && d.block)) {
    const body = http.block!;
    const upstreams = body.filter((d) => d.name === 'upstream' && d.block).map(parseUpstream);
    config.upstreams.push(...upstreams);
    const outer = inherit(body, {});
    for (const server of body.filter((d) => d.name === 'server' && d.block)) {
      config.servers.push(parseServer(server, outer, upstreams));
    }
  }
  return config;
}

/** How the block a request reaches was chosen, in nginx's order of precedence. */
export type RouteReason =
  | 'exact'
  | 'leading-wildcard'
  | 'trailing-wildcard'
  | 'regex'
  | 'default-server'
  | 'first-on-port';

export interface Route {
  server: NginxServer;
  reason: RouteReason;
  /** The server_name that matched (absent when the port's default server took the request). */
  serverName?: string;
}

/** The Host as nginx compares it: lowercased, without a port or a trailing dot. */
function normalHost(host: string): string {
  let name = host.trim().toLowerCase();
  const v6 = /^(\[[^\]]*\])(:\d+)?$/.exec(name);
  if (v6) return v6[1];
  name = name.replace(/:\d*$/, '');
  return name.replace(/\.$/, '');
}

/** Whether a listen takes connections to this address (an IPv4 or IPv6 one, or none: any IPv4). */
function listensOn(listen: NginxListen, port: number, address: string | undefined): 'exact' | 'wildcard' | undefined {
  if (listen.port !== port || listen.address.startsWith('unix:')) return undefined;
  const v6Request = address?.includes(':') ?? false;
  const bare = listen.address.replace(/^\[|\]$/g, '');
  if (address !== undefined && (bare === address || listen.address === address)) return 'exact';
  if (listen.address === '*' || listen.address === '0.0.0.0') return v6Request ? undefined : 'wildcard';
  if (listen.address === '[::]') return v6Request || listen.ipv6only === false ? 'wildcard' : undefined;
  return undefined;
}

/** A server_name regular expression (`~…`) as JavaScript reads it; PCRE's `(?P<name>` is `(?<name>`. */
function serverNameRegex(name: string): RegExp | undefined {
  try {
    return new RegExp(name.slice(1).replace(/\(\?P</g, '(?<'), 'i');
  } catch {
    return undefined;
  }
}

/**
 * The server block nginx picks for a request to `host` on `port` (arriving at `address`, when it
 * matters: blocks listening on that very address take it before the wildcard ones), in the order
 * nginx documents (docs/http/server_names.html, request_processing.html): among the blocks on that
 * address and port, the exact name, else the longest wildcard starting with `*` (`.example.org`
 * counts as both example.org and *.example.org), else the longest ending with `*`, else the first
 * matching regular expression in the order of the configuration, else the port's default_server,
 * else the first block listening there. Undefined when no block listens on the port.
 */
export function routeRequest(config: NginxConfig, host: string, port: number, address?: string): Route | undefined {
  const on = (kind: 'exact' | 'wildcard') =>
    config.servers.filter((server) => server.listens.some((listen) => listensOn(listen, port, address) === kind));
  const specific = on('exact');
  const candidates = specific.length > 0 ? specific : on('wildcard');
  if (candidates.length === 0) return undefined;
  const name = normalHost(host);

  for (const server of candidates) {
    if (server.serverNames.includes(name)) return { server, reason: 'exact', serverName: name };
  }
  let best: Route | undefined;
  let bestLength = -1;
  for (const server of candidates) {
    for (const serverName of server.serverNames) {
      const suffix = serverName.startsWith('*.') ? serverName.slice(1) : serverName.startsWith('.') ? serverName : '';
      if (!suffix) continue;
      const matches = name.endsWith(suffix) || (serverName.startsWith('.') && name === serverName.slice(1));
      if (matches && suffix.length > bestLength) {
        best = { server, reason: 'leading-wildcard', serverName };
        bestLength = suffix.length;
      }
    }
  }
  if (best) return best;
  for (const server of candidates) {
    for (const serverName of server.serverNames) {
      if (!serverName.endsWith('.*') || serverName.startsWith('~')) continue;
      const prefix = serverName.slice(0, -1);
      if (name.startsWith(prefix) && prefix.length > bestLength) {
        best = { server, reason: 'trailing-wildcard', serverName };
        bestLength = prefix.length;
      }
    }
  }
  if (best) return best;
  for (const server of candidates) {
    for (const serverName of server.serverNames) {
      if (serverName.startsWith('~') && serverNameRegex(serverName)?.test(name)) {
        return { server, reason: 'regex', serverName };
      }
    }
  }
  const kind = specific.length > 0 ? 'exact' : 'wildcard';
  const isDefault = (server: NginxServer) =>
    server.listens.some((listen) => listen.defaultServer && listensOn(listen, port, address) === kind);
  const defaultServer = candidates.find(isDefault);
  if (defaultServer) return { server: defaultServer, reason: 'default-server' };
  return { server: candidates[0], reason: 'first-on-port' };
}
