// Issue 17 where people deploy: a person's own Flask project (fixtures/apps/flask-site, with a .env
// holding a secret) set up by the standalone wizard in a bookworm guest with systemd as PID 1, run
// unattended with plain output and no terminal by an account that may sudo to root without a
// password (the app's account too), uWSGI from PyPI's wheel. Proven from the host: the app's page
// and its CSS (nginx's answer) at the guest's address; the secret in the environment systemd gave
// uWSGI's master through the unit's EnvironmentFile=, the file mode 600; the unit active and
// enabled. Then a change of text and `deploy --yes`: the new text served by a reload systemd ran
// (the same main pid). Then `undo`: the unit, the site, the static directory and the env file gone,
// the source directory as it was.
// Run: `npm run build && E2E_ALLOW_SYSTEM_CHANGES=1 flock /tmp/machine.lock node --test
// --test-reporter=spec dist/test/vm/own-app.test.js`
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT, log, q } from '../e2e/machine.js';
import { bootGuest, timed, vmTest, type Guest } from './guest.js';
import { EXECUTABLE, IN_GUEST, logPage, pageFromHost, printTranscript, type HostAnswer } from './page.js';

const USER = 'carol';
const APP = { name: 'site', server: 'site.test', port: 8093 };
const SOURCE = `/home/${USER}/src/flask-site`;
const APP_DIR = `/home/${USER}/${APP.name}`;
const ENV_FILE = `${APP_DIR}/${APP.name}.env`;
const STATIC_DIR = `/var/www/${APP.name}`;
const UNIT = `/etc/systemd/system/${APP.name}.service`;
const SECRET = 'vm-secret-value-41c9e2';

const ANSWERS = [
  '--lang',
  'en',
  '--user',
  USER,
  '--app-name',
  APP.name,
  '--server-name',
  APP.server,
  '--test-port',
  String(APP.port),
]
  .map(q)
  .join(' ');
// deploy takes the same answers; --no-quiz and --uwsgi-from (the wheel: no compile) are the first run's alone.
const SETUP = `${ANSWERS} --app-source ${q(SOURCE)}`;

async function wizard(guest: Guest, args: string, label: string, limitMs: number): Promise<string> {
  const run = await timed(label, () =>
    guest.run(`${IN_GUEST} ${args}`, { user: USER, echo: `${label}│ `, timeoutMs: limitMs }),
  );
  if (run.code !== 0) {
    await printTranscript(guest, USER);
    const ps = await guest.run(`ps -eo pid,ppid,user,args | grep -v grep | grep -i uwsgi`, { quiet: true });
    log(`---- uWSGI's processes ----\n${ps.stdout}`);
    log(
      `---- journalctl -u ${APP.name} (tail) ----\n${(await guest.run(`journalctl -u ${APP.name} -n 60 --no-pager`, { quiet: true })).stdout}`,
    );
  }
  assert.equal(run.code, 0, `${label} exited ${run.code}: ${run.stderr}`);
  assert.doesNotMatch(run.stdout, / failed · /, `${label}: no step failed`);
  return run.stdout;
}

/** The page (or a file) from the host until it holds `text`, for up to `withinMs` (nginx and uWSGI reload behind it). */
async function pageWith(guest: Guest, path: string, text: string, withinMs = 10_000): Promise<HostAnswer> {
  const deadline = Date.now() + withinMs;
  let page = await pageFromHost(guest, APP.server, path);
  while (!page.body.includes(text) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    page = await pageFromHost(guest, APP.server, path);
  }
  logPage(guest, `${APP.server} ${path}`, page);
  assert.equal(page.status, 200, `${path} answers 200 from the host`);
  assert.ok(page.body.includes(text), `${path} holds "${text}"`);
  return page;
}

/** Every file of the source with its content's hash, mode and change time: what "untouched" means. */
function sourceSnapshot(guest: Guest): Promise<string> {
  return guest.must(
    `cd ${q(SOURCE)} && find . -printf '%p %m %U %C@\\n' | sort && find . -type f -exec sha256sum {} + | sort`,
    {
      quiet: true,
    },
  );
}

async function unitState(guest: Guest, verb: 'is-active' | 'is-enabled'): Promise<string> {
  return (await guest.run(`systemctl ${verb} ${APP.name}`, { quiet: true })).stdout.trim();
}

vmTest(
  "bookworm: a person's own Flask project set up under systemd, deployed again and undone",
  async (t) => {
    const started = Date.now();
    assert.ok(existsSync(EXECUTABLE), `${EXECUTABLE} is missing: npm run build makes it`);
    const guest = await bootGuest(t, 'bookworm');
    assert.equal((await guest.must('ps -p 1 -o comm=')).trim(), 'systemd');

    await guest.createUser(USER, { sudo: 'nopasswd', homeMode: '750' });
    await guest.copyIn(EXECUTABLE, IN_GUEST, { owner: 'root:root', mode: '755' });
    await guest.must(`install -d -o ${USER} -g ${USER} /home/${USER}/src`, { quiet: true });
    await guest.copyIn(join(PROJECT, 'fixtures/apps/flask-site'), SOURCE, { owner: `${USER}:${USER}` });
    // The person's secret, in their .env as people keep it: it must reach the app, never the screen.
    await guest.writeFile(`${SOURCE}/.env`, `SECRET_TOKEN=${SECRET}\n`, { owner: `${USER}:${USER}`, mode: '600' });
    const source = await sourceSnapshot(guest);

    // --- set up, unattended ---------------------------------------------------------------------
    const first = await wizard(guest, `--yes --no-quiz --uwsgi-from wheel ${SETUP}`, 'bookworm own-app', 25 * 60_000);
    assert.match(first, /^Machine: .* · debian-12 · systemd ·/m);
    assert.match(first, /✓ \[service\] done/);
    assert.ok(!first.includes(SECRET), "the secret's value is not in the output");
    const home = await pageWith(guest, '/', 'Greetings from the Flask fixture site');
    assert.doesNotMatch(home.body, /Hello There!/, "the app's page, not the guide's hello world");
    assert.equal(await sourceSnapshot(guest), source, 'the source directory was only read');

    // The stylesheet: nginx's own answer (its ETag is the file's mtime and size in hex), not uWSGI's.
    const css = await pageWith(guest, '/static/style.css', '{');
    const [mtime, size] = (await guest.must(`stat -c '%Y %s' ${STATIC_DIR}/static/style.css`, { quiet: true }))
      .trim()
      .split(' ')
      .map(Number);
    assert.equal(css.headers.etag, `"${mtime!.toString(16)}-${size!.toString(16)}"`, "nginx's ETag");
    assert.match(String(css.headers.server), /^nginx/);
    const journal = await guest.must(`journalctl -u ${APP.name} --no-pager`, { quiet: true });
    assert.match(journal, /GET \/ =>/, "uWSGI's requests are in the unit's journal");
    assert.doesNotMatch(journal, /style\.css/, 'uWSGI never saw the stylesheet');

    // The secret: in the unit's EnvironmentFile=, private to the account, in the master's environment.
    const unit = await guest.readFile(UNIT);
    log(`${UNIT}:\n${unit}`);
    assert.match(unit, new RegExp(`^EnvironmentFile=-?${ENV_FILE}$`, 'm'), 'the unit reads the env file');
    assert.equal((await guest.must(`stat -c '%a %U' ${ENV_FILE}`)).trim(), `600 ${USER}`, 'mode 600, the account');
    assert.match(await guest.readFile(ENV_FILE), new RegExp(`^SECRET_TOKEN=${SECRET}$`, 'm'));
    const mainPid = async () =>
      (await guest.must(`systemctl show -p MainPID --value ${APP.name}`, { quiet: true })).trim();
    const master = await mainPid();
    assert.notEqual(master, '0', 'systemd names the master');
    const environ = (await guest.must(`tr '\\0' '\\n' < /proc/${master}/environ`, { quiet: true })).split('\n');
    assert.ok(environ.includes(`SECRET_TOKEN=${SECRET}`), "systemd gave uWSGI's master the secret");
    assert.equal(await unitState(guest, 'is-active'), 'active');
    assert.equal(await unitState(guest, 'is-enabled'), 'enabled');

    // --- a change of text, deployed again --------------------------------------------------------
    await guest.must(`sed -i 's/Greetings from/Fresh greetings from/' ${SOURCE}/templates/home.html`, { user: USER });
    const changed = await sourceSnapshot(guest);
    const deploy = await wizard(guest, `deploy --yes ${SETUP}`, 'bookworm deploy', 10 * 60_000);
    assert.ok(!deploy.includes(SECRET), "the secret's value is not in deploy's output");
    await pageWith(guest, '/', 'Fresh greetings from the Flask fixture site');
    assert.equal(await mainPid(), master, "a graceful reload: systemd's main process is the same master");
    assert.equal(await unitState(guest, 'is-active'), 'active');

    // --- undo --------------------------------------------------------------------------------
    await wizard(guest, `undo --yes ${ANSWERS}`, 'bookworm undo', 5 * 60_000);
    for (const path of [UNIT, `/etc/nginx/sites-enabled/${APP.name}`, STATIC_DIR, ENV_FILE, APP_DIR]) {
      assert.notEqual((await guest.run(`test -e ${path} -o -L ${path}`, { quiet: true })).code, 0, `${path} is gone`);
    }
    const status = await guest.run(`systemctl status ${APP.name} --no-pager`, { quiet: true });
    assert.equal(status.code, 4, `systemctl status ${APP.name}: no such unit`);
    assert.equal((await guest.run(`pgrep -u ${USER} uwsgi`, { quiet: true })).code, 1, 'no uWSGI of the app runs');
    assert.doesNotMatch((await pageFromHost(guest, APP.server)).body, /greetings/i, 'nothing of the app answers');
    assert.equal(await sourceSnapshot(guest), changed, 'the source directory is left as it was');
    log(`bookworm own app: the whole run in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  },
  { timeout: 40 * 60_000 },
);
