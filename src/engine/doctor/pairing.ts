// Which uWSGI serves which nginx site (issue 16): each site's uwsgi_pass (and proxy_pass) paired with
// the uWSGI instances whose sockets are at that address, and what is left on either side: a
// uwsgi_pass that no instance serves, an instance socket that no site uses, each with the path or
// address it names, for the 'socket-path-differs' finding. Pure: the instances come as data, found
// by the doctor's exec side in ini files, units, Upstart jobs, vassals and the running processes.
import type { NginxConfig, NginxLocation, NginxServer, SocketAddress } from './nginx-config.js';
import {
  isUwsgiProgram,
  optionsFrom,
  parseUwsgiArgs,
  resolveSocketPath,
  type UwsgiOptions,
  type UwsgiSocket,
} from './uwsgi-config.js';

/** A uWSGI found on the machine, by one of the ways the doctor looks. */
export interface UwsgiInstance {
  source: 'ini' | 'systemd' | 'upstart' | 'process' | 'vassal';
  /** The file it was read from (ini, unit, job), or `pid N` for a process. */
  origin: string;
  /** The running processes that are this instance (a master and its workers); none when not running. */
  pids: number[];
  options: UwsgiOptions;
  /** The directory uWSGI starts in: a relative chdir, socket or ini is read against it. */
  cwd: string;
}

/** A running process as the doctor's exec side lists it (/proc/PID/cmdline, cwd). */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  argv: string[];
  /** Its working directory, when it could be read; else `/`. */
  cwd?: string;
  /** Its real user id. */
  uid?: number;
}

/** The options of several sources as uWSGI would take them in this order (a later value wins). */
export function mergeOptions(...sources: UwsgiOptions[]): UwsgiOptions {
  return optionsFrom(sources.flatMap((source) => source.entries));
}

/**
 * The uWSGI instances among the running processes: one per master (a process whose parent is a
 * uWSGI with the same command line is its worker, folded into it), with its command line's options.
 * The ini a command line names is not read here: the caller merges its options (mergeOptions).
 */
export function instancesFromProcesses(processes: ProcessInfo[]): UwsgiInstance[] {
  const uwsgi = processes.filter((p) => p.argv.length > 0 && isUwsgiProgram(p.argv[0]));
  const byPid = new Map(uwsgi.map((p) => [p.pid, p]));
  const sameCommand = (a: ProcessInfo, b: ProcessInfo) => a.argv.join('\0') === b.argv.join('\0');
  const masterOf = (p: ProcessInfo): ProcessInfo => {
    let current = p;
    for (
      let parent = byPid.get(current.ppid);
      parent && sameCommand(parent, current);
      parent = byPid.get(parent.ppid)
    ) {
      current = parent;
    }
    return current;
  };
  const instances = new Map<number, UwsgiInstance>();
  for (const p of uwsgi) {
    const master = masterOf(p);
    const instance = instances.get(master.pid) ?? {
      source: 'process' as const,
      origin: `pid ${master.pid}`,
      pids: [],
      options: parseUwsgiArgs(master.argv),
      cwd: master.cwd ?? '/',
    };
    instance.pids.push(p.pid);
    instances.set(master.pid, instance);
  }
  return [...instances.values()].map((instance) => ({ ...instance, pids: instance.pids.sort((a, b) => a - b) }));
}

/** Where a site sends requests: one target of a location's uwsgi_pass or proxy_pass. */
export interface SiteTarget {
  server: NginxServer;
  location: NginxLocation;
  via: 'uwsgi_pass' | 'proxy_pass';
  /** As the directive names it (`unix:/run/app.sock`, `127.0.0.1:3031`, an upstream's server). */
  target: SocketAddress;
  file: string;
  line: number;
}

/** One socket of an instance, where it really is. */
export interface InstanceSocket {
  instance: UwsgiInstance;
  socket: UwsgiSocket;
  address: SocketAddress;
}

export interface Pair {
  site: SiteTarget;
  sockets: InstanceSocket[];
  /**
   * The two sides speak different protocols: uwsgi_pass to an HTTP socket ('uwsgi-to-http'), or
   * proxy_pass (HTTP) to a uwsgi-protocol socket ('http-to-uwsgi').
   */
  protocolMismatch: boolean;
}

export interface Unserved {
  site: SiteTarget;
  /**
   * The instance sockets no site uses, of the same kind (unix or TCP), the likeliest first (the
   * same file name, then the same directory): most often the other side of a path that differs.
   */
  candidates: InstanceSocket[];
}

export interface Pairing {
  pairs: Pair[];
  /** uwsgi_pass targets that no instance serves (a proxy_pass to no uWSGI is not uWSGI's business). */
  unserved: Unserved[];
  /** Instance sockets that no site uses, one per address. */
  unused: InstanceSocket[];
}

/** proxy_pass's address: `http://host:port/…`, `http://unix:/path:/…`; undefined for an upstream name. */
function proxyAddress(value: string): SocketAddress | undefined {
  const unix = /^https?:\/\/unix:([^:]+)/.exec(value);
  if (unix) return { kind: 'unix', path: unix[1] };
  const inet = /^(https?):\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?/.exec(value);
  if (!inet || value.includes('$')) return undefined;
  return { kind: 'inet', host: inet[2], port: inet[3] ? Number(inet[3]) : inet[1] === 'https' ? 443 : 80 };
}

/** Every target of every site, in the order of the configuration. */
export function siteTargets(config: NginxConfig): SiteTarget[] {
  const targets: SiteTarget[] = [];
  for (const server of config.servers) {
    for (const location of server.locations) {
      const pass = location.uwsgiPass;
      for (const target of pass?.targets ?? []) {
        targets.push({ server, location, via: 'uwsgi_pass', target, file: pass!.file, line: pass!.line });
      }
      const proxy = location.proxyPass && proxyAddress(location.proxyPass.value);
      if (proxy && location.proxyPass) {
        const { file, line } = location.proxyPass;
        targets.push({ server, location, via: 'proxy_pass', target: proxy, file, line });
      }
    }
  }
  return targets;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const ANY = new Set(['0.0.0.0', '*', '', '[::]', '::']);

/** Whether a socket at `served` takes connections nginx makes to `wanted`. */
function sameAddress(wanted: SocketAddress, served: SocketAddress): boolean {
  if (wanted.kind === 'unix' || served.kind === 'unix') {
    if (wanted.kind !== 'unix' || served.kind !== 'unix') return false;
    return wanted.path.replace(/\/+$/, '') === served.path.replace(/\/+$/, '');
  }
  if (wanted.port !== served.port) return false;
  if (ANY.has(served.host) || wanted.host === served.host) return true;
  return LOOPBACK.has(wanted.host) && LOOPBACK.has(served.host);
}

function addressKey(address: SocketAddress): string {
  return address.kind === 'unix' ? `unix:${address.path}` : `${address.host}:${address.port}`;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function dirName(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

/** How alike two addresses are, for the candidates' order: 2 the same file name, 1 the same directory. */
function likeness(wanted: SocketAddress, served: SocketAddress): number {
  if (wanted.kind === 'unix' && served.kind === 'unix') {
    if (baseName(wanted.path) === baseName(served.path)) return 2;
    return dirName(wanted.path) === dirName(served.path) ? 1 : 0;
  }
  if (wanted.kind === 'inet' && served.kind === 'inet') return wanted.port === served.port ? 2 : 0;
  return 0;
}

/** The sites' targets paired with the instances that serve them, and what is left on either side. */
export function pairSites(config: NginxConfig, instances: UwsgiInstance[]): Pairing {
  const sockets: InstanceSocket[] = instances.flatMap((instance) =>
    instance.options.sockets.map((socket) => ({
      instance,
      socket,
      address: resolveSocketPath(instance.options, socket, instance.cwd),
    })),
  );
  const used = new Set<InstanceSocket>();
  const pairs: Pair[] = [];
  const unservedSites: SiteTarget[] = [];
  for (const site of siteTargets(config)) {
    const serving = sockets.filter((s) => sameAddress(site.target, s.address));
    if (serving.length === 0) {
      if (site.via === 'uwsgi_pass') unservedSites.push(site);
      continue;
    }
    for (const s of serving) used.add(s);
    const speaksHttp = (s: InstanceSocket) => s.socket.protocol === 'http' || s.socket.protocol === 'https';
    const protocolMismatch = serving.every((s) => (site.via === 'uwsgi_pass' ? speaksHttp(s) : !speaksHttp(s)));
    pairs.push({ site, sockets: serving, protocolMismatch });
  }
  const unused: InstanceSocket[] = [];
  const seen = new Set<string>();
  for (const s of sockets) {
    const key = addressKey(s.address);
    if (used.has(s) || seen.has(key)) continue;
    seen.add(key);
    unused.push(s);
  }
  const unserved = unservedSites.map((site) => ({
    site,
    candidates: unused
      .filter((s) => s.address.kind === site.target.kind)
      .map((s) => ({ s, score: likeness(site.target, s.address) }))
      .sort((a, b) => b.score - a.score)
      .map(({ s }) => s),
  }));
  return { pairs, unserved, unused };
}
