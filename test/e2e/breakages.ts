// The ways a working uWSGI + nginx site breaks, made for real, one at a time, on a site the wizard
// set up (issue 16: the doctor must name each cause first and bring the page back). Each breakage
// is a small script of what a person (or a reboot, or an upgrade) does to the site, the symptom
// it leaves (seen from outside with curl), the cause the doctor must name, and how the suite puts
// the site back afterwards whatever the doctor did. The causes and their log lines are the facts
// of /work/shared/notes/failures.md.
//
// The site is the wizard's on a machine without a service manager (this machine, CI): uWSGI
// daemonized with a pidfile, started the way the wizard's conclusion says.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CauseId } from '../../src/engine/doctor/model.js';
import { alive, log, must, packageInstalled, q, sh, type ShResult, sleep, waitUntil } from './machine.js';

/** The site under test: the wizard's files for one app. */
export interface Site {
  app: string;
  user: string;
  server: string;
  dir: string;
  venv: string;
  ini: string;
  wsgi: string;
  socket: string;
  pidfile: string;
  uwsgiLog: string;
  siteFile: string;
  siteLink: string;
  /** Where the suite keeps the healthy copies of the files a breakage edits. */
  keep: string;
}

/** Debian's stock default site: its link in sites-enabled is what catches a name no site has. */
const DEFAULT_SITE = '/etc/nginx/sites-available/default';
const DEFAULT_LINK = '/etc/nginx/sites-enabled/default';

export function siteOf(app: string, user: string, server: string, keep: string): Site {
  const dir = `/home/${user}/${app}`;
  return {
    app,
    user,
    server,
    dir,
    venv: `${dir}/${app}env`,
    ini: `${dir}/${app}.ini`,
    wsgi: `${dir}/wsgi.py`,
    socket: `/run/${app}/${app}.sock`,
    pidfile: `/run/${app}/${app}.pid`,
    uwsgiLog: `${dir}/${app}.log`,
    siteFile: `/etc/nginx/sites-available/${app}`,
    siteLink: `/etc/nginx/sites-enabled/${app}`,
    keep,
  };
}

/** What a request for the site got: curl's status code (0: no HTTP answer at all) and the body. */
export interface PageAnswer {
  status: number;
  body: string;
}

/** The page through nginx, asked for the site's name (extra curl arguments: a big cookie, a big body). */
export function askPage(site: Site, extra = ''): PageAnswer {
  const result = sh(
    `curl -s --max-time 15 -o - -w '\\n%{http_code}' -H ${q(`Host: ${site.server}`)} ${extra} http://127.0.0.1/`,
  );
  const lines = result.stdout.split('\n');
  const status = Number(lines.pop() ?? '0');
  return { status, body: lines.join('\n') };
}

export function pageIsHealthy(answer: PageAnswer): boolean {
  return answer.status === 200 && answer.body.includes('Hello There!');
}

// ---------------------------------------------------------------------------------------------
// uWSGI and nginx, driven the way a person drives them on this machine

/** The running master from the pidfile, if it runs. */
export function uwsgiMaster(site: Site): number | undefined {
  if (!existsSync(site.pidfile)) return undefined;
  const pid = Number(readFileSync(site.pidfile, 'utf8').trim());
  return pid > 0 && alive(pid) ? pid : undefined;
}

/** Every uWSGI process of the app's user (master and workers, and any started by hand). */
export function uwsgiPids(site: Site): number[] {
  const result = sh(`pgrep -u ${q(site.user)} -x uwsgi`);
  return result.stdout.split('\n').filter(Boolean).map(Number).filter(running);
}

/**
 * Whether a process runs: not gone, and no zombie. `--daemonize` forks twice, and its middle process
 * exits with no parent left to reap it: a zombie of PID 1's, which reaps it in its own time (this
 * machine's init, process_api, after a while). pgrep lists it all the same; counted, it "vanished"
 * while the doctor looked, and the healthy site's "nothing changed" failed.
 */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Start uWSGI as the wizard's conclusion says (no service manager here). */
export function startUwsgi(site: Site, uwsgi = `${site.venv}/bin/uwsgi`): ShResult {
  return sh(
    `install -d -o ${q(site.user)} -g www-data -m 0750 /run/${q(site.app)} && ` +
      `cd ${q(site.dir)} && runuser -u ${q(site.user)} -g www-data -- ${q(uwsgi)} --ini ${q(site.ini)} ` +
      `--daemonize ${q(site.uwsgiLog)} --pidfile ${q(site.pidfile)} --umask 022`,
  );
}

/** Stop every uWSGI of the app's user: SIGTERM (die-on-term), then SIGKILL for what is left. */
export async function stopUwsgi(site: Site): Promise<void> {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    const pids = uwsgiPids(site);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, signal);
      } catch {
        // Gone already.
      }
    }
    await waitUntil(() => uwsgiPids(site).length === 0, 10_000);
  }
}

/** Stop and start again, then wait for the socket (or for the start to have failed). */
export async function restartUwsgi(site: Site): Promise<void> {
  await stopUwsgi(site);
  const started = startUwsgi(site);
  if (started.code !== 0) log(`(uWSGI did not start: exit ${started.code} ${started.stderr.trim()})`);
  await waitUntil(() => existsSync(site.socket), 5_000);
  await sleep(300);
}

export function reloadNginx(): ShResult {
  return sh('nginx -t && service nginx reload');
}

/** Replace a text in a file (the first occurrence), failing loudly when it is not there. */
export function edit(path: string, from: string | RegExp, to: string): void {
  const text = readFileSync(path, 'utf8');
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`${path}: "${String(from)}" not found in:\n${text}`);
  writeFileSync(path, changed);
}

// ---------------------------------------------------------------------------------------------
// The healthy site, kept and put back

const KEPT = ['ini', 'wsgi', 'siteFile'] as const;

/** Keep the healthy copies of the files a breakage edits. */
export function keepHealthy(site: Site): void {
  for (const file of KEPT) copyFileSync(site[file], join(site.keep, file));
}

/**
 * Put the healthy site back, whatever a breakage (or the doctor) left: files, links (the stock
 * default site's too: the doctor's fix for a name caught by it removes its link), processes, nginx.
 */
export async function restoreHealthy(site: Site): Promise<void> {
  if (existsSync(DEFAULT_SITE)) must(`ln -sfn ${DEFAULT_SITE} ${DEFAULT_LINK}`);
  await stopUwsgi(site);
  for (const file of KEPT) {
    copyFileSync(join(site.keep, file), site[file]);
  }
  must(`chown ${q(site.user)}:${q(site.user)} ${q(site.ini)} ${q(site.wsgi)}`);
  sh(`rm -f /etc/nginx/sites-enabled/e2edoc-* /etc/nginx/sites-available/e2edoc-*`);
  must(`ln -sfn ${q(site.siteFile)} ${q(site.siteLink)}`);
  sh(`rm -f ${q(`${site.dir}/${site.app}.sock`)}`);
  must(`chmod 700 /home/${q(site.user)}`);
  sh(`rm -rf /run/${q(site.app)}`);
  const started = startUwsgi(site);
  if (started.code !== 0) throw new Error(`restore: uWSGI does not start: ${started.stderr}`);
  if (sh('pgrep -x nginx').code !== 0) must('service nginx start');
  else must('nginx -t && service nginx reload');
  await waitUntil(() => pageIsHealthy(askPage(site)), 10_000);
}

// ---------------------------------------------------------------------------------------------
// The breakages

export interface Breakage {
  /** What was done, as a person would say it. */
  name: string;
  /** The cause the doctor must name first. */
  cause: CauseId;
  /** Break the healthy site. */
  make(site: Site): Promise<void>;
  /**
   * What a person sees afterwards; true when it is the symptom expected (checked before the doctor
   * runs, for a few seconds: nginx's reload takes effect when its new workers have started).
   */
  symptom(site: Site): boolean;
  /** What brings the page back when the doctor fixes it (undefined: the doctor can only say what to do). */
  fixable: boolean;
  /** The request that shows it, when the plain page does not (a big cookie, a big body). */
  request?: string;
  /** What the page answers once fixed, when not the app's page (default: pageIsHealthy). */
  healed?: (answer: PageAnswer) => boolean;
}

/** A cookie over uWSGI's 4 KB buffer (and an nginx header line within nginx's 8 KB). */
const BIG_COOKIE = `-H ${q(`Cookie: session=${'x'.repeat(5000)}`)}`;
/** A body over nginx's 1 MB default client_max_body_size. */
const BIG_BODY_FILE = '/tmp/uwsgi-guide-e2e-doctor-body';
const BIG_BODY = `--data-binary @${BIG_BODY_FILE}`;

/** Debian's uWSGI without any plugin: what `apt install uwsgi-core` gives a person following an old guide. */
const APT_UWSGI = 'uwsgi-core';
/** Whether the suite installed it (and so removes it again). */
let aptUwsgiInstalled = false;

/** The app made slow (it sleeps `seconds` before it answers), the ini given one setting more, uWSGI restarted. */
async function slowAppWith(site: Site, seconds: number, setting: string): Promise<void> {
  const healthy = readFileSync(join(site.keep, 'wsgi'), 'utf8');
  const def = 'def application(environ, start_response):\n';
  writeFileSync(site.wsgi, healthy.replace(def, `import time\n\n${def}    time.sleep(${seconds})\n`));
  edit(site.ini, 'die-on-term = true', `die-on-term = true\n${setting}`);
  await restartUwsgi(site);
}

/** `count` requests for the page at once, as many browsers make them: each one's status (0: no answer). */
function burst(site: Site, count: number): number[] {
  const one = `curl -s -o /dev/null -w '%{http_code}\\n' --max-time 30 -H ${q(`Host: ${site.server}`)} http://127.0.0.1/`;
  const all = sh(`for i in $(seq ${count}); do ${one} & done; wait`, 60_000);
  return all.stdout.split('\n').filter(Boolean).map(Number);
}

const status = (code: number) => (site: Site) => askPage(site).status === code;
const noAnswer = (site: Site) => askPage(site).status === 0;

export const BREAKAGES: Breakage[] = [
  {
    name: 'nginx stopped',
    cause: 'nginx-down',
    fixable: true,
    make: async () => {
      must('service nginx stop');
    },
    symptom: noAnswer,
  },
  {
    name: 'a syntax error in the site file, and nginx stopped and started (it does not start)',
    cause: 'nginx-config',
    fixable: false,
    make: async (site) => {
      // Debian's init script tests the configuration before it stops nginx for a restart, so a
      // running nginx would keep serving the old one: the breakage shows once nginx starts anew
      // (after a reboot, or a stop and start).
      must('service nginx stop');
      edit(site.siteFile, 'listen 80;', 'listen 80');
      sh('service nginx start');
    },
    symptom: noAnswer,
  },
  {
    name: 'a second site repeating the listen options of [::]:80, and nginx stopped and started',
    cause: 'listen-dup',
    fixable: false,
    make: async () => {
      writeFileSync(
        '/etc/nginx/sites-available/e2edoc-dup',
        'server {\n    listen [::]:80 ipv6only=on;\n    server_name dup.e2e.test;\n}\n' +
          'server {\n    listen [::]:80 ipv6only=on;\n    server_name dup2.e2e.test;\n}\n',
      );
      must('ln -sfn /etc/nginx/sites-available/e2edoc-dup /etc/nginx/sites-enabled/e2edoc-dup');
      must('service nginx stop');
      sh('service nginx start');
    },
    symptom: noAnswer,
  },
  {
    name: "the site's link in sites-enabled removed",
    cause: 'site-disabled',
    fixable: true,
    make: async (site) => {
      must(`rm ${q(site.siteLink)}`);
      must('service nginx reload');
    },
    // Debian's default site (listen 80 default_server) answers instead.
    symptom: (site) => !askPage(site).body.includes('Hello There!') && askPage(site).status !== 502,
  },
  {
    name: "the site's file and its link removed (a person cleaning up sites-available)",
    cause: 'no-site',
    fixable: false,
    make: async (site) => {
      must(`rm ${q(site.siteLink)} ${q(site.siteFile)}`);
      must('service nginx reload');
    },
    // Debian's default site (listen 80 default_server) answers instead.
    symptom: (site) => !askPage(site).body.includes('Hello There!') && askPage(site).status !== 502,
  },
  {
    name: 'server_name changed to another name',
    cause: 'default-site',
    fixable: true,
    make: async (site) => {
      if (!existsSync(DEFAULT_SITE)) throw new Error(`${DEFAULT_SITE} is missing: Debian's nginx package ships it`);
      edit(site.siteFile, `server_name ${site.server};`, 'server_name other.e2e.test;');
      must('service nginx reload');
    },
    symptom: (site) => !askPage(site).body.includes('Hello There!') && askPage(site).status !== 502,
  },
  {
    name: "nginx's uwsgi_pass names another socket path",
    cause: 'socket-path-differs',
    fixable: true,
    make: async (site) => {
      edit(site.siteFile, `unix:${site.socket};`, `unix:/run/${site.app}/other.sock;`);
      must('service nginx reload');
    },
    symptom: status(502),
  },
  {
    name: 'uWSGI stopped',
    cause: 'no-socket',
    fixable: true,
    make: async (site) => {
      await stopUwsgi(site);
    },
    symptom: status(502),
  },
  {
    name: 'uWSGI killed with SIGKILL (the socket file stays)',
    cause: 'refused',
    fixable: true,
    make: async (site) => {
      for (const pid of uwsgiPids(site)) process.kill(pid, 'SIGKILL');
      await waitUntil(() => uwsgiPids(site).length === 0, 5_000);
    },
    symptom: (site) => existsSync(site.socket) && askPage(site).status === 502,
  },
  {
    name: 'chmod-socket left out of the ini (the socket is 755, nginx may not write to it)',
    cause: 'permission',
    fixable: true,
    make: async (site) => {
      edit(site.ini, /^chmod-socket = 664\n/m, '');
      await restartUwsgi(site);
    },
    symptom: status(502),
  },
  {
    name: "the guide's socket beside the app, in a home directory closed to nginx (mode 700)",
    cause: 'permission',
    fixable: true,
    make: async (site) => {
      const sock = `${site.dir}/${site.app}.sock`;
      edit(site.ini, `socket = ${site.socket}`, `socket = ${sock}`);
      edit(site.siteFile, `unix:${site.socket};`, `unix:${sock};`);
      await restartUwsgi(site);
      must('service nginx reload');
    },
    symptom: status(502),
  },
  {
    name: '/run/APP owned by root (uWSGI may not create its socket there)',
    cause: 'bind-denied',
    fixable: true,
    make: async (site) => {
      await stopUwsgi(site);
      must(`rm -rf /run/${q(site.app)} && install -d -o root -g root -m 0755 /run/${q(site.app)}`);
      // Started as the wizard does, but without making the directory its own first.
      sh(
        `cd ${q(site.dir)} && runuser -u ${q(site.user)} -g www-data -- ${q(`${site.venv}/bin/uwsgi`)} ` +
          `--ini ${q(site.ini)} --daemonize ${q(site.uwsgiLog)} --umask 022`,
      );
      await sleep(1000);
    },
    symptom: status(502),
  },
  {
    name: 'module in the ini names a module that does not exist',
    cause: 'no-app',
    fixable: true,
    make: async (site) => {
      edit(site.ini, 'module = wsgi:application', 'module = wsgii:application');
      await restartUwsgi(site);
    },
    symptom: status(500),
  },
  {
    name: 'the app imports a package that is not in the virtualenv',
    cause: 'venv',
    fixable: false,
    make: async (site) => {
      writeFileSync(site.wsgi, `import flask\n${readFileSync(join(site.keep, 'wsgi'), 'utf8')}`);
      await restartUwsgi(site);
    },
    symptom: status(500),
  },
  {
    name: "apt's uWSGI (uwsgi-core, no uwsgi-plugin-python3) run on the app's ini instead of the venv's",
    cause: 'apt-uwsgi',
    fixable: true,
    make: async (site) => {
      if (!packageInstalled(APT_UWSGI)) {
        must(`DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${APT_UWSGI}`, 600_000);
        aptUwsgiInstalled = true;
      }
      await stopUwsgi(site);
      startUwsgi(site, `/usr/bin/${APT_UWSGI}`);
      await waitUntil(() => existsSync(site.socket), 5_000);
      await sleep(300);
      // A request, as a person's browser makes: uWSGI says at each that it has nothing to run it with.
      askPage(site);
    },
    symptom: status(502),
  },
  {
    name: 'home in the ini names a directory that is no virtualenv (uWSGI stops as Python cannot start)',
    cause: 'venv',
    fixable: true,
    make: async (site) => {
      edit(site.ini, 'die-on-term = true', `die-on-term = true\nhome = ${site.dir}/venv`);
      await restartUwsgi(site);
    },
    symptom: status(502),
  },
  {
    name: "the guide's Python 2 wsgi.py (the body a str, not bytes)",
    cause: 'str-body',
    fixable: true,
    make: async (site) => {
      edit(site.wsgi, 'return [b"', 'return ["');
      await restartUwsgi(site);
    },
    symptom: (site) => {
      const answer = askPage(site);
      return answer.status === 200 && !answer.body.includes('Hello There!');
    },
  },
  {
    name: 'nginx speaks HTTP to the uwsgi socket (proxy_pass instead of uwsgi_pass)',
    cause: 'http-to-uwsgi',
    fixable: true,
    make: async (site) => {
      edit(site.siteFile, /include\s+uwsgi_params;\s*\n\s*uwsgi_pass\s+unix:([^;]+);/, 'proxy_pass http://unix:$1:/;');
      must('service nginx reload');
    },
    symptom: status(502),
  },
  {
    name: 'uWSGI speaks HTTP on the socket (http-socket instead of socket)',
    cause: 'uwsgi-to-http',
    fixable: true,
    make: async (site) => {
      edit(site.ini, `socket = ${site.socket}`, `http-socket = ${site.socket}`);
      await restartUwsgi(site);
    },
    symptom: status(502),
  },
  {
    name: 'a request with a 5 KB cookie (over uWSGI’s 4 KB buffer)',
    cause: 'big-headers',
    fixable: true,
    request: BIG_COOKIE,
    make: async (site) => {
      askPage(site, BIG_COOKIE);
    },
    symptom: (site) => askPage(site, BIG_COOKIE).status === 502,
  },
  {
    name: 'a 2 MB upload (over nginx’s 1 MB client_max_body_size)',
    cause: 'too-large',
    fixable: true,
    request: BIG_BODY,
    // Fixed, nginx lets the body through to uWSGI: what comes back is then the guide's app's
    // business, and it never reads a body (uWSGI may answer 200, or drop the upload unread: 502).
    healed: (answer) => answer.status !== 413 && answer.status !== 0,
    make: async (site) => {
      must(`head -c 2097152 /dev/zero > ${BIG_BODY_FILE}`);
      // The doctor takes nginx's lines from the second after its configuration last changed (the
      // suite has just put the site back): the upload comes after that, as a person's would.
      await sleep(1100);
      askPage(site, BIG_BODY);
    },
    symptom: (site) => askPage(site, BIG_BODY).status === 413,
  },
  {
    name: 'a burst of requests at a slow page, the listen queue 2 deep (listen = 2)',
    cause: 'queue-full',
    fixable: false,
    make: async (site) => {
      await slowAppWith(site, 1, 'listen = 2');
      // nginx's lines since its configuration last changed are news to the doctor: the burst comes after.
      await sleep(1100);
    },
    // More requests at once than the workers and the queue hold: the rest are turned away (502).
    symptom: (site) => burst(site, 16).includes(502),
  },
  {
    name: 'a slow page killed by harakiri',
    cause: 'harakiri',
    fixable: false,
    make: async (site) => {
      await slowAppWith(site, 4, 'harakiri = 2');
      askPage(site);
    },
    symptom: status(502),
  },
  {
    name: "the guide's test server left running on its port",
    cause: 'test-leftover',
    fixable: true,
    make: async (site) => {
      must(
        `cd ${q(site.dir)} && runuser -u ${q(site.user)} -- ${q(`${site.venv}/bin/uwsgi`)} ` +
          `--socket 0.0.0.0:8313 --protocol=http -w wsgi --daemonize /dev/null`,
      );
      await waitUntil(() => sh('curl -s --max-time 2 http://127.0.0.1:8313/').stdout.includes('Hello'), 5_000);
    },
    // The site still answers: the leftover only takes a port and a second copy of the app.
    symptom: (site) => pageIsHealthy(askPage(site)) && sh('curl -s --max-time 2 http://127.0.0.1:8313/').code === 0,
  },
];

/** Remove what a breakage made outside the site's own files (apt's uWSGI, when the suite installed it). */
export function removeBreakageLeftovers(): void {
  sh(`rm -f ${BIG_BODY_FILE}`);
  if (aptUwsgiInstalled) must(`DEBIAN_FRONTEND=noninteractive apt-get purge -y ${APT_UWSGI}`, 600_000);
  aptUwsgiInstalled = false;
}
