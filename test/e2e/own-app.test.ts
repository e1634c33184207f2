// Issue 17 for real: a person's own Flask project (fixtures/apps/flask-site, its requirements from
// PyPI) deployed unattended: the page through nginx is the app's, its CSS is served by nginx itself
// (nginx's ETag, no line for it in uWSGI's log); then changed and deployed again while requests
// keep coming (none may fail during the reload); then broken, and deploy refuses it with Python's
// error while the previous code keeps serving; then a change that imports but answers 500: switched in, the
// previous code put back by deploy itself and serving again; then undone: the service, the site, the static
// directory and the environment file gone, the person's source directory as it was.
//
// It changes the machine, so it refuses to run unless it is root and CI=true or
// E2E_ALLOW_SYSTEM_CHANGES=1. Only names of its own are used (user e2eown, app e2eownapp), with a
// state directory (XDG_STATE_HOME) of its own.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { cpSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createServiceUser,
  curlPage,
  heading,
  log,
  machineTest,
  must,
  PROJECT,
  present,
  q,
  removeAppsAndUser,
  runWizard,
  sh,
  testApp,
  treeSnapshot,
  type WizardRun,
} from './machine.js';

const USER = 'e2eown';
const APP = testApp(USER, 'e2eownapp', 'ownapp.e2e.test', 8341);
const STATIC_DIR = `/var/www/${APP.name}`;
const ENV_FILE = `${APP.dir}/${APP.name}.env`;
const SECRET = 'e2e-secret-value-7f3a9c';

/** One request through nginx for the app's name: its status (0 when it did not get one). */
function status(path = '/'): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port: 80, path, headers: { Host: APP.server }, timeout: 20_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

function assertFinished(run: WizardRun, label: string): void {
  assert.equal(run.code, 0, `${label}: exited ${run.code ?? run.signal}; stderr:\n${run.stderr}`);
  assert.doesNotMatch(run.stdout, / failed · /, `${label}: a step failed`);
}

machineTest(
  "end-to-end: a person's own Flask project deployed, deployed again, refused when broken, undone (issue 17)",
  async (t, { dir, stateOf }) => {
    const env = stateOf('own-app');
    const cleanUp = async (when: string) => {
      heading(`clean-up (${when})`);
      await removeAppsAndUser(USER, [APP.name]);
      if (present(STATIC_DIR)) must(`rm -rf ${q(STATIC_DIR)}`);
    };
    await cleanUp('before');
    t.after(() => cleanUp('after'));
    createServiceUser(USER);
    // The person's project, where the app's account can read it (the wizard reads it as that account).
    must(`chmod 755 ${q(dir)}`);
    const source = join(dir, 'flask-site');
    cpSync(join(PROJECT, 'fixtures/apps/flask-site'), source, { recursive: true });
    // A secret of the person's, in their .env: it reaches the app's environment, never the screen or the log.
    writeFileSync(join(source, '.env'), `SECRET_TOKEN=${SECRET}\n`);
    must(`chmod -R a+rX ${q(source)}`);
    const args = [...APP.answers, '--app-source', source];

    heading('the project deployed unattended');
    const before = treeSnapshot(source);
    const first = await runWizard(['--yes', ...args], { env, limitMs: 20 * 60_000 });
    assertFinished(first, 'the wizard');
    const page = curlPage(APP.server);
    log(page.stdout);
    assert.match(page.stdout, /Greetings from the Flask fixture site/, "the page through nginx is the app's");
    assert.equal(treeSnapshot(source), before, 'the source directory was only read');

    heading("the stylesheet is nginx's answer, not uWSGI's");
    const css = sh(`curl -sI --max-time 10 -H ${q(`Host: ${APP.server}`)} http://127.0.0.1/static/style.css`);
    log(css.stdout);
    assert.match(css.stdout, /^HTTP\/1\.1 200/);
    const file = statSync(`${STATIC_DIR}/static/style.css`);
    const etag = `"${Math.floor(file.mtimeMs / 1000).toString(16)}-${file.size.toString(16)}"`;
    assert.match(css.stdout, new RegExp(`^ETag: ${etag}\\r?$`, 'm'), "nginx's ETag: mtime and size in hex");
    const uwsgiLog = readFileSync(`${APP.dir}/${APP.name}.log`, 'utf8');
    assert.match(uwsgiLog, /GET \/ =>/, 'uWSGI logs the requests it serves');
    assert.doesNotMatch(uwsgiLog, /style\.css/, 'and never saw the stylesheet');
    const envMode = statSync(ENV_FILE).mode & 0o777;
    assert.equal(envMode, 0o600, 'the environment file is private');
    assert.match(readFileSync(ENV_FILE, 'utf8'), new RegExp(`^SECRET_TOKEN=${SECRET}$`, 'm'), 'it holds the .env');
    const master = readFileSync(`/run/${APP.name}/${APP.name}.pid`, 'utf8').trim();
    const uwsgiEnv = readFileSync(`/proc/${master}/environ`, 'utf8').split('\0');
    assert.ok(uwsgiEnv.includes(`SECRET_TOKEN=${SECRET}`), "uWSGI's master has it");
    assert.ok(first.logPath, 'the run names its log');
    const said = { 'the output': `${first.stdout}${first.stderr}`, 'the log': readFileSync(first.logPath, 'utf8') };
    for (const [where, words] of Object.entries(said))
      assert.ok(!words.includes(SECRET), `the secret's value is not in ${where}`);

    heading('a change deployed while requests keep coming');
    const template = join(source, 'templates/home.html');
    writeFileSync(template, readFileSync(template, 'utf8').replace('Greetings from', 'Fresh greetings from'));
    const statuses: number[] = [];
    let deploying = true;
    const load = (async () => {
      while (deploying) statuses.push(await status());
    })();
    const second = await runWizard(['deploy', '--yes', ...args], { env, limitMs: 10 * 60_000 });
    // A few more after the reload: the new workers answer too.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    deploying = false;
    await load;
    assertFinished(second, 'deploy');
    const failed = statuses.filter((code) => code !== 200);
    log(
      `requests during the deploy: ${statuses.length}, not 200: ${failed.length} (${[...new Set(failed)].join(' ')})`,
    );
    assert.ok(statuses.length > 20, `requests were sent all through the deploy (${statuses.length})`);
    assert.equal(failed.length, 0, 'no request failed during the reload');
    assert.match(curlPage(APP.server).stdout, /Fresh greetings from the Flask fixture site/, 'the new text is served');

    heading('a change that breaks the import is refused; the previous code keeps serving');
    const appPy = readFileSync(join(source, 'app.py'), 'utf8');
    const requirements = readFileSync(join(source, 'requirements.txt'), 'utf8');
    writeFileSync(join(source, 'app.py'), `import flask_no_such_extension\n${appPy}`);
    const broken = await runWizard(['deploy', '--yes', ...args], { env, limitMs: 10 * 60_000 });
    assert.notEqual(broken.code, 0, 'deploy fails');
    assert.match(
      `${broken.stdout}${broken.stderr}`,
      /ModuleNotFoundError: No module named 'flask_no_such_extension'/,
      "Python's own error is shown",
    );
    assert.match(
      curlPage(APP.server).stdout,
      /Fresh greetings from the Flask fixture site/,
      'the previous code still serves',
    );

    heading("a requirement pip cannot satisfy: pip's error and what to try, the previous code serving");
    writeFileSync(join(source, 'requirements.txt'), 'Flask>=3,<4\nflask-no-such-package-e2e==0.0.1\n');
    const unsatisfiable = await runWizard(['deploy', '--yes', ...args], { env, limitMs: 10 * 60_000 });
    assert.notEqual(unsatisfiable.code, 0, 'deploy fails');
    const pipSaid = `${unsatisfiable.stdout}${unsatisfiable.stderr}`;
    assert.match(pipSaid, /No matching distribution found for flask-no-such-package-e2e==0\.0\.1/, "pip's own error");
    assert.match(pipSaid, /try this: Read pip's error above/, 'what to try');
    assert.match(
      curlPage(APP.server).stdout,
      /Fresh greetings from the Flask fixture site/,
      'the previous code serves',
    );

    heading('a change that imports but answers 500: switched in, then the previous code put back by deploy itself');
    writeFileSync(join(source, 'requirements.txt'), requirements);
    writeFileSync(
      join(source, 'app.py'),
      appPy.replace(
        '    return render_template(',
        "    raise RuntimeError('broken by the e2e test')\n    return render_template(",
      ),
    );
    const answers500 = await runWizard(['deploy', '--yes', ...args], { env, limitMs: 10 * 60_000 });
    assert.notEqual(answers500.code, 0, 'deploy fails: the new code is not deployed');
    const rolledSaid = `${answers500.stdout}${answers500.stderr}`;
    assert.match(rolledSaid, /✗ http:\/\/127\.0\.0\.1\/ with Host: ownapp\.e2e\.test answers 200/, 'the page fails');
    assert.match(rolledSaid, /The new code did not serve after the reload, so the deploy put the previous code back/);
    assert.match(rolledSaid, /✓ \[deploy-roll-back\] done/, 'the previous code proven to serve again');
    assert.match(
      curlPage(APP.server).stdout,
      /Fresh greetings from the Flask fixture site/,
      'the previous code serves again',
    );
    assert.equal(await status(), 200);
    assert.match(readFileSync(`${APP.dir}/code.new/app.py`, 'utf8'), /broken by the e2e test/, 'the new code kept');

    heading('undo');
    const sourceBeforeUndo = treeSnapshot(source);
    const undo = await runWizard(['undo', '--yes', ...APP.answers], { env, limitMs: 5 * 60_000 });
    assert.equal(undo.code, 0, `undo exited ${undo.code}:\n${undo.stderr}`);
    for (const path of [STATIC_DIR, ENV_FILE, APP.dir, `/etc/nginx/sites-enabled/${APP.name}`, `/run/${APP.name}`])
      assert.ok(!present(path), `${path} is gone`);
    assert.notEqual(sh(`pgrep -u ${q(USER)} -f uwsgi`).code, 0, 'no uWSGI of the app runs');
    assert.equal(treeSnapshot(source), sourceBeforeUndo, 'the source directory is left as it was');
  },
);
