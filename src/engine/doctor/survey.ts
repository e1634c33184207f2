// What the doctor reads of the machine before it judges (issue 16), as plain data: src/exec/doctor-survey.ts
// gathers it, src/engine/doctor/diagnose.ts judges it without touching anything, and a test can
// hand the judge any machine it likes. Text in it is the machine's own (files, logs, outputs).
import type { NginxConfig } from './nginx-config.js';
import type { ProcessInfo, UwsgiInstance } from './pairing.js';

/** A command the doctor ran to look, and what it printed (both streams, as printed). */
export interface Looked {
  command: string;
  exitCode: number | null;
  output: string[];
}

/** One path on the way from / to a socket, as lstat saw it. */
export interface PathPart {
  path: string;
  type: 'dir' | 'socket' | 'file' | 'link' | 'other' | 'missing';
  mode: number;
  uid: number;
  gid: number;
  owner: string;
  group: string;
}

/** A unix socket named by nginx or uWSGI: every directory to it, and whether something listens on it. */
export interface SocketSeen {
  path: string;
  /** From / down to the socket itself (the last part); a missing part ends the list. */
  parts: PathPart[];
  /** Whether a process listens on this path (/proc/net/unix: a listening socket bound to it). */
  listening: boolean;
}

/** A running uWSGI process, with the account it runs as. */
export interface UwsgiProcess extends ProcessInfo {
  user: string;
}

/** A file the doctor read (an ini, wsgi.py, the site), with when it last changed. */
export interface FileSeen {
  path: string;
  text: string;
  owner: string;
  group: string;
  mode: number;
  mtimeMs: number;
}

/**
 * The lines of a log that may still be news: uWSGI's since its last start, nginx's since its
 * configuration last changed (what came before was about a configuration no longer in effect).
 */
export interface LogSeen {
  source: 'nginx' | 'uwsgi' | 'journal' | 'upstart';
  file: string;
  lines: string[];
}

/** An answer to a request: HTTP status and the start of the body, or the connection's error code. */
export interface AnswerSeen {
  status?: number;
  error?: string;
  body: string;
}

/** Where the wizard (or the answers given) says the app's parts are. */
export interface AppPlace {
  app: string;
  user: string;
  webGroup: string;
  serverName: string;
  appDir: string;
  venv: string;
  ini: string;
  wsgiPy: string;
  socket: string;
  runDir: string;
  pidFile: string;
  uwsgiLog: string;
  siteAvailable: string;
  siteEnabled: string;
  serviceManager: 'systemd' | 'upstart' | 'none';
  /** The commands that start and stop uWSGI as the wizard set it up (shown as fixes). */
  start: string;
  stop: string;
  /** Whether these come from the wizard's record of this app (else from the answers alone). */
  recorded: boolean;
  /**
   * A person's own Django project the wizard deployed (issue 17): its settings module as the wizard
   * writes it (steps/app-django.ts), and the project's own settings file beside it.
   */
  django?: { settingsFile: string; settingsSource: string; owner: string; group: string; projectSettings: string };
  /** Where the wizard puts an own project's static files, and the URL nginx serves them at. */
  statics?: { url: string; dir: string };
}

/** The static files' directory as nginx's user would reach it, and one of its files asked through nginx. */
export interface StaticsSeen {
  /** From / down to the directory (the last part); a missing part ends the list. */
  parts: PathPart[];
  /** How many files it holds (any depth, up to a few). */
  files: number;
  /** One of them, asked through nginx at the static URL. */
  asked?: { url: string; answer: AnswerSeen };
}

export interface DoctorSurvey {
  place: AppPlace;
  nginx: {
    installed: boolean;
    running: boolean;
    /** The account nginx's workers run as (from the processes, else from its configuration). */
    workerUser?: { name: string; uid: number; gids: number[] };
    /** `nginx -t`. */
    test?: Looked;
    /** The configuration as `nginx -T` printed it, when the test passed; else why it could not be read. */
    config?: NginxConfig;
    configProblem?: string;
    /** The names in sites-available, and what each name in sites-enabled links to. */
    sitesAvailable: string[];
    sitesEnabled: { name: string; target?: string }[];
  };
  uwsgi: {
    processes: UwsgiProcess[];
    /** Every uWSGI found (units, jobs, ini directories, running masters), the wizard's ini among them. */
    instances: UwsgiInstance[];
  };
  /** The files a fix may change (the ini, wsgi.py, the site, the unit), as they are now. */
  files: FileSeen[];
  /** Every unix socket nginx or uWSGI names, as found. */
  sockets: SocketSeen[];
  /** TCP ports listened on by uWSGI processes, with the listening pid. */
  uwsgiPorts: { port: number; pid: number }[];
  logs: LogSeen[];
  requests: {
    /** The page through nginx (port 80, Host: the server name). */
    page: AnswerSeen;
    /** Straight to uWSGI's socket in the uwsgi protocol. */
    socket?: AnswerSeen;
  };
  /** The app imported as the service user with the venv's Python, from its directory. */
  appImport?: Looked;
  /** An own project's static files (place.statics), when it has them. */
  statics?: StaticsSeen;
}

/** The uWSGI that runs the app's ini: a unit, job or process naming it, or the ini itself when nothing runs it. */
export function appInstanceOf(instances: readonly UwsgiInstance[], ini: string): UwsgiInstance | undefined {
  return instances.find((i) => isOfIni(i, ini));
}

/** Whether this uWSGI is the ini's: the ini itself, or a unit, job or process naming it. */
export function isOfIni(instance: UwsgiInstance, ini: string): boolean {
  return instance.origin === ini || instance.options.inis.includes(ini);
}
