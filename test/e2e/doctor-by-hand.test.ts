// Issue 16 for real: a site made by hand following the guide, with no wizard record: the guide's
// files in the guide's places (wsgi.py as the guide writes it, the ini with `socket = myapp.sock`
// beside the app, the nginx site with `uwsgi_pass unix:/home/USER/APP/APP.sock`), and uWSGI started
// in a shell as a person following the guide starts it (as the user, group www-data, from the app
// directory, the venv activated, `uwsgi --ini APP.ini` in the foreground): this machine has no service
// manager, and the wizard's pidfile is not there. The doctor must diagnose it as well as one the
// wizard made, and fix it:
// - on Debian 12 the home is 700: `permission` first, with the closed home directory as evidence;
// - the home 755 (as older releases made it): the guide's Python 2 wsgi.py on Python 3, `str-body`;
// - `doctor --fix --yes`: wsgi.py's body made bytes, and the uWSGI of the shell (no pidfile of the
//   wizard's) stopped by its master's pid, then started as the wizard starts it: the page answers;
// - that uWSGI stopped and started again by hand, in a shell: healthy.
//
// It changes the machine, so it refuses to run unless it is root and CI=true or
// E2E_ALLOW_SYSTEM_CHANGES=1. Only names of its own: user e2edbh, app e2edbhand.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import type { Finding } from '../../src/engine/doctor/model.js';
import { askPage, type PageAnswer, pageIsHealthy, siteOf } from './breakages.js';
import {
  alive,
  createServiceUser,
  ensurePackageInstalled,
  followGuideByHand,
  heading,
  log,
  machineTest,
  must,
  nginxMaster,
  processesOf,
  q,
  removeAppsAndUser,
  runWizard,
  sh,
  stat,
  testApp,
  uidOf,
  waitUntil,
} from './machine.js';

const USER = 'e2edbh';
const APP = testApp(USER, 'e2edbhand', 'doctor-by-hand.e2e.test', 8313);
const SOCKET = `${APP.dir}/${APP.name}.sock`;

/** The guide's wsgi.py, as it is printed there (Python 2: the body a str). */
const GUIDE_WSGI = `def application(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/html')])
    return ["<h1 style='color:blue'>Hello There!</h1>"]
`;
/** The guide's ini, whole. */
const GUIDE_INI = `[uwsgi]
module = wsgi:application

master = true
processes = 5

socket = ${APP.name}.sock
chmod-socket = 664
vacuum = true

die-on-term = true
`;
/** The guide's nginx site, with the guide's socket beside the app. */
const GUIDE_SITE = `server {
    listen 80;
    server_name ${APP.server};

    location / {
        include         uwsgi_params;
        uwsgi_pass      unix:${SOCKET};
    }
}
`;

interface DoctorJson {
  healthy: boolean;
  findings: Finding[];
}

async function doctor(env: NodeJS.ProcessEnv): Promise<DoctorJson> {
  const run = await runWizard(
    ['doctor', '--json', '--app-name', APP.name, '--user', USER, '--server-name', APP.server, '--lang', 'en'],
    { env, once: true, prefix: 'doctor│ ' },
  );
  try {
    const report = JSON.parse(run.stdout) as DoctorJson;
    log(`doctor (exit ${run.code}): ${report.findings.map((f) => f.cause).join(', ') || 'healthy'}`);
    assert.equal(run.code, report.healthy ? 0 : 1, 'exit 0 when healthy, 1 when not');
    return report;
  } catch (error) {
    if (error instanceof SyntaxError)
      throw new Error(`doctor --json printed no JSON (exit ${run.code ?? run.signal}):\n${run.stdout}${run.stderr}`);
    throw error;
  }
}

/** The uWSGI processes of the app's user. */
function uwsgiOfUser(): number[] {
  const uid = uidOf(USER);
  return uid === undefined
    ? []
    : processesOf(uid)
        .filter((p) => /(^|\/)uwsgi /.test(p.cmdline))
        .map((p) => p.pid);
}

/**
 * As a person following the guide, in a shell: as the user, group www-data (as the guide's Upstart job
 * runs it), from the app directory, the venv activated, `uwsgi --ini APP.ini` in the foreground; its
 * output goes to a file of the test's, as it would to the person's terminal.
 */
async function startUwsgiInShell(output: string): Promise<void> {
  const script = `cd ${q(APP.dir)} && . ${q(`${APP.name}env/bin/activate`)} && uwsgi --ini ${APP.name}.ini`;
  const out = openSync(output, 'a');
  const shell = spawn('runuser', ['-u', USER, '-g', 'www-data', '--', 'sh', '-c', script], {
    stdio: ['ignore', out, out],
    detached: true,
  });
  shell.unref();
  closeSync(out);
  log(`in a shell$ ${script}`);
  assert.ok(await waitUntil(() => sh(`test -S ${q(SOCKET)}`).code === 0, 15_000), `uWSGI makes its socket ${SOCKET}`);
}

/** The master of the user's uWSGI: the one whose parent is not a uWSGI. */
function uwsgiMaster(): number | undefined {
  const pids = uwsgiOfUser();
  return pids.find((pid) => !pids.includes(Number(sh(`ps -o ppid= -p ${pid}`).stdout.trim())));
}

/** Stop the user's uWSGI as Upstart's stop would (SIGTERM: die-on-term), and wait until it is gone. */
async function stopUwsgiByHand(): Promise<void> {
  for (const pid of uwsgiOfUser()) process.kill(pid, 'SIGTERM');
  assert.ok(await waitUntil(() => uwsgiOfUser().length === 0, 15_000), 'uWSGI stopped');
}

function asUser(path: string, content: string): void {
  must(`runuser -u ${q(USER)} -- sh -c ${q(`cat > ${q(path)}`)} <<'E2E_EOF'\n${content}E2E_EOF`);
}

machineTest(
  'end-to-end: the doctor on a site made by hand following the guide, without a record (issue 16)',
  async (t, { dir, stateOf }) => {
    const env = stateOf('doctor-by-hand');
    const site = siteOf(APP.name, USER, APP.server, dir);
    const cleanUp = async (when: string) => {
      heading(`clean-up (${when})`);
      await removeAppsAndUser(USER, [APP.name]);
    };
    await cleanUp('before');
    t.after(() => cleanUp('after'));

    heading('the guide by hand: packages, venv, uWSGI, wsgi.py, the ini, uWSGI started, the nginx site');
    for (const name of ['build-essential', 'python3-dev', 'python3-venv', 'nginx']) ensurePackageInstalled(name);
    if (nginxMaster() === undefined) must('service nginx start');
    createServiceUser(USER);
    followGuideByHand(USER, APP.name, APP.dir);
    asUser(`${APP.dir}/wsgi.py`, GUIDE_WSGI);
    asUser(`${APP.dir}/${APP.name}.ini`, GUIDE_INI);
    const shellOutput = `${dir}/uwsgi-in-shell.log`;
    await startUwsgiInShell(shellOutput);
    writeFileSync(site.siteFile, GUIDE_SITE);
    must(`ln -s ${q(site.siteFile)} /etc/nginx/sites-enabled`);
    must('nginx -t && service nginx reload');
    const seen = (what: string, answer: PageAnswer) =>
      log(`curl: ${what} → ${answer.status} ${answer.body.slice(0, 80)}`);

    await t.test('Debian 12 (home 700): permission first, the closed home directory its evidence', async () => {
      assert.equal(stat(`/home/${USER}`).mode, '0700', 'the home is 700, as Debian 12 makes it');
      assert.ok(await waitUntil(() => askPage(site).status === 502, 10_000), 'nginx answers 502');
      const report = await doctor(env);
      const first = report.findings[0];
      assert.equal(first?.cause, 'permission', 'permission, first');
      const home = first.evidence.find((e) => e.kind === 'stat' && e.path === `/home/${USER}`);
      assert.ok(home, `the home's stat is evidence: ${JSON.stringify(first.evidence)}`);
      assert.equal(home.kind === 'stat' && home.mode, 0o700, 'mode 700');
      assert.equal(first.facts.closedDir, `/home/${USER}`, 'the closed directory is the home');
      assert.equal(first.facts.socket, SOCKET, "the guide's socket, resolved against the app directory");
    });

    await t.test("home 755, as older releases made it: the guide's Python 2 wsgi.py is named, str-body", async () => {
      must(`chmod 755 /home/${q(USER)}`);
      const answer = askPage(site);
      seen('home 755', answer);
      assert.equal(answer.status, 200, "nginx reaches uWSGI now; the guide's str body gives an empty page");
      assert.ok(!answer.body.includes('Hello There!'));
      const report = await doctor(env);
      assert.equal(report.healthy, false);
      assert.deepEqual(
        report.findings.map((f) => f.cause),
        ['str-body'],
        'exactly one thing wrong: the body a str',
      );
    });

    await t.test(
      "doctor --fix --yes: the body made bytes, the shell's uWSGI stopped by its pid and started as the wizard does",
      async () => {
        const byHand = uwsgiMaster();
        assert.ok(byHand, 'the uWSGI of the shell runs');
        const fixed = await runWizard(
          [
            'doctor',
            '--fix',
            '--yes',
            '--app-name',
            APP.name,
            '--user',
            USER,
            '--server-name',
            APP.server,
            '--lang',
            'en',
          ],
          { env, prefix: 'fix│ ' },
        );
        assert.equal(fixed.code, 0, `doctor --fix --yes ends healthy:\n${fixed.stdout}${fixed.stderr}`);
        // What it ran was shown before: the stop by the master's pid, with why.
        assert.match(fixed.stdout, new RegExp(`uWSGI started by hand \\(master pid ${byHand}\\)`));
        assert.match(fixed.stdout, new RegExp(`\\$ kill -TERM ${byHand} && while kill -0 ${byHand}`));
        assert.ok(!alive(byHand), "the shell's uWSGI is gone");
        const answer = askPage(site);
        seen('after doctor --fix', answer);
        assert.ok(pageIsHealthy(answer), 'the page answers "Hello There!" again');
        const now = uwsgiMaster();
        assert.ok(now !== undefined && now !== byHand, 'a new uWSGI serves it');
        assert.match(sh(`tr '\\0' ' ' < /proc/${now}/cmdline`).stdout, new RegExp(`--pidfile /run/${APP.name}/`));
        assert.equal(uwsgiOfUser().length, 6, 'one uWSGI: 1 master + 5 workers, none left beside it');
      },
    );

    await t.test('that uWSGI stopped, and started again in a shell: healthy, no finding', async () => {
      await stopUwsgiByHand();
      await startUwsgiInShell(shellOutput);
      assert.ok(await waitUntil(() => pageIsHealthy(askPage(site)), 10_000), 'the page answers');
      const report = await doctor(env);
      assert.deepEqual(report.findings, []);
      assert.equal(report.healthy, true);
    });
  },
);
