// What the doctor sees (issue 16) on a machine the wizard set up, Debian 12 without a service
// manager (this machine and CI), made from the wizard's own files: healthy, or with `changes`.
// For the judge's and the doctor command's tests; the real machine's is test/e2e/doctor.test.ts.
import type { Finding } from '../src/engine/doctor/model.js';
import { parseNginxDump } from '../src/engine/doctor/nginx-config.js';
import type { UwsgiInstance } from '../src/engine/doctor/pairing.js';
import type { AppPlace, DoctorSurvey, PathPart } from '../src/engine/doctor/survey.js';
import { parseUwsgiIni } from '../src/engine/doctor/uwsgi-config.js';
import { fakeSurroundings } from './fake-surroundings.js';
import { plannedFile } from './golden.js';

const PLATFORM = 'debian-12-noinit';
export const INI = plannedFile(PLATFORM, 'write-ini');
export const SITE = plannedFile(PLATFORM, 'write-nginx-site');
export const WSGI = plannedFile(PLATFORM, 'write-wsgi-py');
const DEFAULT_SITE = 'server {\n    listen 80 default_server;\n    server_name _;\n    root /var/www/html;\n}\n';

export const PLACE: AppPlace = {
  app: 'myapp',
  user: 'demo',
  webGroup: 'www-data',
  serverName: 'example.com',
  appDir: '/home/demo/myapp',
  venv: '/home/demo/myapp/myappenv',
  ini: '/home/demo/myapp/myapp.ini',
  wsgiPy: '/home/demo/myapp/wsgi.py',
  socket: '/run/myapp/myapp.sock',
  runDir: '/run/myapp',
  pidFile: '/run/myapp/myapp.pid',
  uwsgiLog: '/home/demo/myapp/myapp.log',
  siteAvailable: '/etc/nginx/sites-available/myapp',
  siteEnabled: '/etc/nginx/sites-enabled/myapp',
  serviceManager: 'none',
  start: 'cd /home/demo/myapp && install -d -o demo -g www-data -m 0750 /run/myapp && runuser … --ini …',
  stop: 'runuser -u demo -- /home/demo/myapp/myappenv/bin/uwsgi --stop /run/myapp/myapp.pid',
  recorded: true,
};

export const DEMO = 1000;
export const WWW_DATA = 33;

export function dir(path: string, mode: number, uid = 0, gid = 0): PathPart {
  const owner = uid === DEMO ? 'demo' : 'root';
  const group = gid === WWW_DATA ? 'www-data' : gid === DEMO ? 'demo' : 'root';
  return { path, type: 'dir', mode, uid, gid, owner, group };
}

export const SOCKET_PARTS: PathPart[] = [
  dir('/', 0o755),
  dir('/run', 0o755),
  dir('/run/myapp', 0o750, DEMO, WWW_DATA),
  {
    path: '/run/myapp/myapp.sock',
    type: 'socket',
    mode: 0o664,
    uid: DEMO,
    gid: WWW_DATA,
    owner: 'demo',
    group: 'www-data',
  },
];

export interface Changes {
  site?: string;
  enabled?: boolean;
  ini?: string;
  wsgi?: string;
  running?: boolean;
  nginxRunning?: boolean;
  nginxTest?: { exitCode: number; output: string[] };
  socketParts?: PathPart[];
  listening?: boolean;
  uwsgiLog?: string[];
  nginxLog?: string[];
  socketAnswer?: DoctorSurvey['requests']['socket'];
  page?: DoctorSurvey['requests']['page'];
  appImport?: { exitCode: number; output: string[] };
}

/** The machine after the wizard, with `changes` made to it. */
export function survey(changes: Changes = {}): DoctorSurvey {
  const site = changes.site ?? SITE;
  const ini = changes.ini ?? INI;
  const enabled = changes.enabled ?? true;
  const conf = 'user www-data;\nevents {}\nhttp {\n    include /etc/nginx/sites-enabled/*;\n}\n';
  const dump =
    `# configuration file /etc/nginx/nginx.conf:\n${conf}\n` +
    `# configuration file /etc/nginx/sites-enabled/default:\n${DEFAULT_SITE}\n` +
    (enabled ? `# configuration file /etc/nginx/sites-enabled/myapp:\n${site}\n` : '');
  const running = changes.running ?? true;
  const instance: UwsgiInstance = {
    source: running ? 'process' : 'ini',
    origin: running ? 'pid 4000' : PLACE.ini,
    pids: running ? [4000, 4001, 4002] : [],
    options: parseUwsgiIni(ini, { path: PLACE.ini }),
    cwd: PLACE.appDir,
  };
  if (running) instance.options.inis.push(PLACE.ini);
  const file = (path: string, text: string, owner: string) => ({
    path,
    text,
    owner,
    group: owner,
    mode: 0o644,
    mtimeMs: 0,
  });
  const socketPaths = new Set(['/run/myapp/myapp.sock']);
  for (const m of `${site}\n${ini}`.matchAll(/(?:unix:|socket = )(\/[^;\s:]+)/g)) socketPaths.add(m[1]!);
  const parts = changes.socketParts ?? SOCKET_PARTS;
  return {
    place: PLACE,
    nginx: {
      installed: true,
      running: changes.nginxRunning ?? true,
      workerUser: { name: 'www-data', uid: WWW_DATA, gids: [WWW_DATA] },
      test: {
        command: 'nginx -t',
        exitCode: 0,
        output: ['nginx: configuration file /etc/nginx/nginx.conf test is successful'],
        ...changes.nginxTest,
      },
      ...(changes.nginxTest?.exitCode ? {} : { config: parseNginxDump(dump) }),
      sitesAvailable: ['default', 'myapp'],
      sitesEnabled: [
        { name: 'default', target: '/etc/nginx/sites-available/default' },
        ...(enabled ? [{ name: 'myapp', target: PLACE.siteAvailable }] : []),
      ],
    },
    uwsgi: { processes: [], instances: [instance] },
    files: [
      file(PLACE.ini, ini, 'demo'),
      file(PLACE.wsgiPy, changes.wsgi ?? WSGI, 'demo'),
      file(PLACE.siteAvailable, site, 'root'),
    ],
    sockets: [...socketPaths].map((path) => ({
      path,
      parts: path === '/run/myapp/myapp.sock' ? parts : [dir('/', 0o755), { ...parts.at(-1)!, path, type: 'missing' }],
      listening: path === '/run/myapp/myapp.sock' && (changes.listening ?? running),
    })),
    uwsgiPorts: [],
    logs: [
      { source: 'nginx', file: '/var/log/nginx/error.log', lines: changes.nginxLog ?? [] },
      {
        source: 'uwsgi',
        file: PLACE.uwsgiLog,
        lines: changes.uwsgiLog ?? ['*** Starting uWSGI 2.0.28 (64bit) on [x] ***'],
      },
    ],
    requests: {
      page: changes.page ?? { status: 200, body: "<h1 style='color:blue'>Hello There!</h1>" },
      socket: changes.socketAnswer ?? { status: 200, body: "<h1 style='color:blue'>Hello There!</h1>" },
    },
    appImport: { command: 'python -c …', exitCode: 0, output: [], ...changes.appImport },
  };
}

/** chmod-socket left out: a socket nginx may not write to, fixed in the ini and by a restart. */
export const SOCKET_755 = survey({
  ini: INI.replace(/^chmod-socket = 664\n/m, ''),
  socketParts: [...SOCKET_PARTS.slice(0, 3), { ...SOCKET_PARTS[3]!, mode: 0o755 }],
});

/** Fake surroundings whose machine shows these surveys, one per look (the last again when they run out). */
export function showing(surveys: DoctorSurvey[], options: Parameters<typeof fakeSurroundings>[0] = {}) {
  const fake = fakeSurroundings(options);
  const looks = { count: 0 };
  fake.s.machine.surveyForDoctor = async () => surveys[Math.min(looks.count++, surveys.length - 1)]!;
  return { ...fake, looks };
}

/** A finding as the wizard shows it after a failure: nginx may not open the socket (mode 755). */
export const FINDING: Finding = {
  cause: 'permission',
  layer: 'socket-access',
  facts: { socket: '/run/myapp/myapp.sock', user: 'www-data' },
  evidence: [
    { kind: 'stat', path: '/run/myapp/myapp.sock', type: 'socket', mode: 0o755, owner: 'demo', group: 'www-data' },
  ],
};
