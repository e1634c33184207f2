// The machines the wizard plans for, one row each: the facts a step needs (packages, Python,
// service manager, PEP 668, where the socket goes, how nginx is tested and restarted). Steps read
// these facts and never test a distribution or a version themselves, so a new release is one row
// here. Which row fits a machine is decided from its /etc/os-release and what was found on it
// (choosePlatform); `--platform NAME` names a row directly (platformByName).
import type { Platform, ServiceManager } from './types.js';

/**
 * The service manager that starts and stops nginx, and how. Without one, Debian's init script still works (pitfalls
 * #2).
 */
const NGINX_CONTROL: Record<ServiceManager, { restart: string; reload: string; isRunning: string }> = {
  upstart: { restart: 'service nginx restart', reload: 'service nginx reload', isRunning: 'service nginx status' },
  systemd: {
    restart: 'systemctl restart nginx',
    reload: 'systemctl reload nginx',
    isRunning: 'systemctl is-active --quiet nginx',
  },
  none: { restart: 'service nginx restart', reload: 'service nginx reload', isRunning: 'service nginx status' },
};

/** A row as written in the table: everything but what follows from its service manager. */
type Row = Omit<Platform, 'nginxRestart' | 'nginxReload' | 'nginxIsRunning'> & {
  serviceManager: 'upstart' | 'systemd';
};

/** Everything the Python 3 releases share: Python 3 packages, venv, the socket in /run/APP, `nginx -t`. */
const PYTHON3 = {
  systemPython: '/usr/bin/python3',
  pythonMajor: 3,
  // python3-venv replaces `pip install virtualenv`; build-essential and python3-dev are what
  // `pip install uwsgi` compiles with (pitfalls #4, #6, #8).
  aptPackages: ['python3-dev', 'python3-venv', 'build-essential', 'nginx'],
  pythonDevPackage: 'python3-dev',
  venvTool: 'venv',
  socketInAppDir: false,
  serviceManager: 'systemd',
  // `service nginx configtest` prints only "failed!" on an error (pitfalls #16).
  nginxConfigTest: 'nginx -t',
} as const;

/** The oldest uWSGI that builds against a Python, where older releases no longer do (pitfalls #20). */
const UWSGI_MINIMUM: readonly [python: string, uwsgi: string][] = [
  ['3.12', '2.0.23'],
  ['3.13', '2.0.27'],
];

function uwsgiMinimumFor(pythonVersion: string): string | undefined {
  return UWSGI_MINIMUM.filter(([python]) => compareVersions(python, pythonVersion) <= 0).at(-1)?.[1];
}

/** The Python-dependent facts of a Python 3 release: its venv package and the oldest uWSGI for it. */
function pythonFacts(pythonVersion: string): Pick<Platform, 'pythonVersion' | 'venvPackage' | 'uwsgiMinimum'> {
  const minimum = uwsgiMinimumFor(pythonVersion);
  return { pythonVersion, venvPackage: `python${pythonVersion}-venv`, ...(minimum ? { uwsgiMinimum: minimum } : {}) };
}

function python3(
  row: Pick<
    Platform,
    | 'id'
    | 'prettyName'
    | 'pythonVersion'
    | 'externallyManaged'
    | 'homeMode'
    | 'python2Packages'
    | 'aptWaitsForLock'
    | 'uwsgiWheel'
  >,
): Row {
  return { ...PYTHON3, aptPackages: [...PYTHON3.aptPackages], ...row, ...pythonFacts(row.pythonVersion) };
}

/**
 * The table. Home directory modes are adduser's defaults: private (750) since Ubuntu 21.04, 700
 * since Debian 12 (pitfalls #12). EXTERNALLY-MANAGED ships from Debian 12 and Ubuntu 23.04 on
 * (pitfalls #6). The guide's python-pip is gone from Ubuntu 20.04 and Debian 11 on; where it is
 * left, Python 2 has reached its end of life (2020), and the wizard uses Python 3 all the same.
 * apt waits for another's lock when told to (DPkg::Lock::Timeout) from apt 1.9.11: Ubuntu 20.04, Debian 11.
 * pyuwsgi's wheels (uwsgiWheel) need glibc 2.28 and pip 20.3 in the venv: Ubuntu 20.04's venv has pip 20.0.2.
 */
const ROWS: readonly Row[] = [
  {
    // The guide's own system, word for word: Python 2, pip and virtualenv, Upstart, the socket
    // beside the app (home directories were open, 755), `service nginx configtest`.
    id: 'ubuntu-14.04',
    prettyName: 'Ubuntu 14.04 LTS (trusty)',
    serviceManager: 'upstart',
    systemPython: '/usr/bin/python',
    pythonMajor: 2,
    pythonVersion: '2.7',
    externallyManaged: false,
    aptPackages: ['python-dev', 'python-pip', 'nginx'],
    python2Packages: true,
    pythonDevPackage: 'python-dev',
    venvTool: 'virtualenv',
    socketInAppDir: true,
    homeMode: 0o755,
    nginxConfigTest: 'service nginx configtest',
    aptWaitsForLock: false,
  },
  python3({
    id: 'ubuntu-16.04',
    prettyName: 'Ubuntu 16.04 LTS (xenial)',
    pythonVersion: '3.5',
    externallyManaged: false,
    homeMode: 0o755,
    python2Packages: true,
    aptWaitsForLock: false,
  }),
  python3({
    id: 'ubuntu-18.04',
    prettyName: 'Ubuntu 18.04 LTS (bionic)',
    pythonVersion: '3.6',
    externallyManaged: false,
    homeMode: 0o755,
    python2Packages: true,
    aptWaitsForLock: false,
  }),
  python3({
    id: 'ubuntu-20.04',
    prettyName: 'Ubuntu 20.04 LTS (focal)',
    pythonVersion: '3.8',
    externallyManaged: false,
    homeMode: 0o755,
    python2Packages: false,
    aptWaitsForLock: true,
  }),
  python3({
    id: 'ubuntu-22.04',
    prettyName: 'Ubuntu 22.04 LTS (jammy)',
    pythonVersion: '3.10',
    externallyManaged: false,
    homeMode: 0o750,
    python2Packages: false,
    aptWaitsForLock: true,
    uwsgiWheel: true,
  }),
  python3({
    id: 'ubuntu-24.04',
    prettyName: 'Ubuntu 24.04 LTS (noble)',
    pythonVersion: '3.12',
    externallyManaged: true,
    homeMode: 0o750,
    python2Packages: false,
    aptWaitsForLock: true,
    uwsgiWheel: true,
  }),
  python3({
    id: 'debian-10',
    prettyName: 'Debian GNU/Linux 10 (buster)',
    pythonVersion: '3.7',
    externallyManaged: false,
    homeMode: 0o755,
    python2Packages: true,
    aptWaitsForLock: false,
  }),
  python3({
    id: 'debian-11',
    prettyName: 'Debian GNU/Linux 11 (bullseye)',
    pythonVersion: '3.9',
    externallyManaged: false,
    homeMode: 0o755,
    python2Packages: false,
    aptWaitsForLock: true,
    uwsgiWheel: true,
  }),
  python3({
    id: 'debian-12',
    prettyName: 'Debian GNU/Linux 12 (bookworm)',
    pythonVersion: '3.11',
    externallyManaged: true,
    homeMode: 0o700,
    python2Packages: false,
    aptWaitsForLock: true,
    uwsgiWheel: true,
  }),
  python3({
    id: 'debian-13',
    prettyName: 'Debian GNU/Linux 13 (trixie)',
    pythonVersion: '3.13',
    externallyManaged: true,
    homeMode: 0o700,
    python2Packages: false,
    aptWaitsForLock: true,
    uwsgiWheel: true,
  }),
];

/** `--platform debian-12-noinit`: the same machine where no service manager runs (a container, WSL without systemd). */
export const NO_INIT_SUFFIX = '-noinit';

/** A row with the service manager that actually runs; `none` is named with the -noinit suffix. */
export function withServiceManager(row: Row | Platform, serviceManager: ServiceManager): Platform {
  const base = baseId(row.id);
  const id = serviceManager === 'none' ? `${base}${NO_INIT_SUFFIX}` : base;
  const control = NGINX_CONTROL[serviceManager];
  return {
    ...row,
    aptPackages: [...row.aptPackages],
    id,
    serviceManager,
    nginxRestart: control.restart,
    nginxReload: control.reload,
    nginxIsRunning: control.isRunning,
  };
}

function baseId(id: string): string {
  return id.endsWith(NO_INIT_SUFFIX) ? id.slice(0, -NO_INIT_SUFFIX.length) : id;
}

/** Every platform by name, the -noinit variants after their release, in the table's order. */
export function allPlatforms(): Platform[] {
  return ROWS.flatMap((row) => [withServiceManager(row, row.serviceManager), withServiceManager(row, 'none')]);
}

/** The platform `--platform NAME` names, or undefined. */
export function platformByName(name: string): Platform | undefined {
  return allPlatforms().find((platform) => platform.id === name);
}

/** The guide's own system. */
export function guidePlatform(): Platform {
  return platformByName('ubuntu-14.04')!;
}

/** One line for `--list-platforms`: the name, then what is particular about it. */
export function describePlatform(platform: Platform): string {
  const manager = { upstart: 'Upstart', systemd: 'systemd', none: 'no service manager (uWSGI daemonized)' }[
    platform.serviceManager
  ];
  const facts = [
    `Python ${platform.pythonVersion}${platform.externallyManaged ? ' (PEP 668)' : ''}`,
    platform.venvTool === 'virtualenv' ? 'pip install virtualenv' : 'python3 -m venv',
    manager,
    platform.socketInAppDir ? 'socket in the app directory' : `socket in /run/APP`,
    ...(platform.uwsgiMinimum ? [`uWSGI >= ${platform.uwsgiMinimum}`] : []),
  ];
  const guide = platform.id === 'ubuntu-14.04' ? ' — the guide, word for word' : '';
  return `${platform.id.padEnd(22)} ${platform.prettyName}${guide}: ${facts.join(', ')}`;
}

// ---------------------------------------------------------------------------------------------
// Detection: which row fits this machine.

/** What was found on the machine, besides /etc/os-release. */
export interface MachineFacts {
  serviceManager: ServiceManager;
  /** `3.11`, from the system python3's real name; absent when python3 is not installed yet. */
  python3Version?: string;
  /** Whether EXTERNALLY-MANAGED ships with that Python; absent when it cannot be told. */
  externallyManaged?: boolean;
}

export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) fields[match[1]!] = match[2]!.replace(/^"(.*)"$/, '$1');
  }
  return fields;
}

function versionKey(version: string): number[] {
  return version.split('.').map(Number);
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [versionKey(a), versionKey(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The row for an os-release: the exact release; else a derivative's base release by codename
 * (Linux Mint names its Ubuntu in UBUNTU_CODENAME); else the newest known release of the same
 * family not newer than this one (a release between two rows behaves like the older); else the
 * current Debian. `exact` tells whether the release itself is in the table.
 */
function pickRow(os: Record<string, string>): { row: Row; exact: boolean } {
  const byId = ROWS.find((row) => row.id === `${os.ID}-${os.VERSION_ID}`);
  if (byId) return { row: byId, exact: true };
  const codename = os.UBUNTU_CODENAME || os.VERSION_CODENAME;
  const byCodename = codename ? ROWS.find((row) => row.prettyName.endsWith(`(${codename})`)) : undefined;
  if (byCodename) return { row: byCodename, exact: false };
  const families = [os.ID, ...(os.ID_LIKE ?? '').split(/\s+/)].filter(
    (f): f is string => f === 'ubuntu' || f === 'debian',
  );
  for (const family of families) {
    const rows = ROWS.filter((row) => row.id.startsWith(`${family}-`));
    const version = os.VERSION_ID;
    const older =
      version && /^\d+(\.\d+)*$/.test(version)
        ? rows.filter((row) => compareVersions(baseVersion(row), version) <= 0)
        : [];
    // A testing or unstable release has no VERSION_ID: it is newer than every row of its family.
    const fit = older.at(-1) ?? (version ? rows[0] : rows.at(-1));
    if (fit) return { row: fit, exact: false };
  }
  return { row: ROWS.find((row) => row.id === 'debian-12')!, exact: false };
}

function baseVersion(row: Row): string {
  return row.id.slice(row.id.indexOf('-') + 1);
}

/**
 * The platform of this machine: the row for its os-release, with what was found on the machine
 * taking precedence over the row (the service manager that runs, the Python that is installed,
 * whether it is externally managed). A release not in the table is named as it calls itself,
 * with the row it is planned as.
 */
export function choosePlatform(os: Record<string, string>, facts: MachineFacts): Platform {
  const { row, exact } = pickRow(os);
  const platform = withServiceManager(row, facts.serviceManager);
  if (platform.pythonMajor === 3) {
    if (facts.python3Version) {
      delete platform.uwsgiMinimum;
      Object.assign(platform, pythonFacts(facts.python3Version));
    }
    if (facts.externallyManaged !== undefined) platform.externallyManaged = facts.externallyManaged;
  }
  const name = os.PRETTY_NAME;
  if (name) platform.prettyName = exact ? name : `${name}, planned as ${row.id}`;
  return platform;
}
