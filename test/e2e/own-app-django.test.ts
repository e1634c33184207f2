// Issue 17 for real, the other two kinds of project: the Django fixture (startproject plus one view,
// STATIC_ROOT in the project, ALLOWED_HOSTS without the server's name, DEBUG on) and the Flask app
// factory, each deployed unattended from PyPI. Django: the 400 DisallowedHost its own settings give
// is found before and fixed by the wizard's settings, the page answers through nginx, migrate made
// the database outside the code, the admin's CSS is served by nginx, DEBUG is named; the factory:
// served through the generated wsgi.py. Each undone, the source left as it was. Before the Django
// project is deployed again, the doctor (issue 16) on it: its settings module cut back (400, DisallowedHost),
// named and fixed; its static files closed to nginx, named. Then its view changed and deployed, and undone:
// the fix's backup went with the code deploy moved away. A Flask project whose packages are listed only in
// pyproject.toml's [project] dependencies: those installed (the page needs one of them), not the project itself.
//
// It changes the machine, so it refuses to run unless it is root and CI=true or
// E2E_ALLOW_SYSTEM_CHANGES=1. Only names of its own are used (user e2eowndj, apps e2edjango, e2efactory
// and e2epyproject), with a state directory (XDG_STATE_HOME) of its own.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { siteOf } from './breakages.js';
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
  waitUntil,
} from './machine.js';

const USER = 'e2eowndj';

/** The fixture copied where the app's account can read it; its path. */
function projectCopy(dir: string, fixture: string): string {
  must(`chmod 755 ${q(dir)}`);
  const source = join(dir, fixture);
  cpSync(join(PROJECT, 'fixtures/apps', fixture), source, { recursive: true });
  must(`chmod -R a+rX ${q(source)}`);
  return source;
}

/** A file of the static directory fetched through nginx: 200 with nginx's ETag (mtime and size in hex). */
/**
 * A machine without the app (cleaned before, and after the test however it ends), the service user made, and a copy
 * of the fixture project to deploy: what each test here begins with.
 */
async function freshProject(
  t: { after: (fn: () => Promise<void>) => void },
  app: ReturnType<typeof testApp>,
  dir: string,
  fixture: string,
): Promise<string> {
  const cleanUp = async (when: string) => {
    heading(`clean-up (${when})`);
    await removeAppsAndUser(USER, [app.name]);
    if (present(`/var/www/${app.name}`)) must(`rm -rf ${q(`/var/www/${app.name}`)}`);
  };
  await cleanUp('before');
  t.after(() => cleanUp('after'));
  createServiceUser(USER);
  return projectCopy(dir, fixture);
}

function assertNginxServes(app: string, server: string, path: string): void {
  const response = sh(`curl -sI --max-time 10 -H ${q(`Host: ${server}`)} http://127.0.0.1/static/${path}`);
  log(response.stdout);
  assert.match(response.stdout, /^HTTP\/1\.1 200/, `/static/${path} answers 200`);
  const file = statSync(`/var/www/${app}/static/${path}`);
  const etag = `"${Math.floor(file.mtimeMs / 1000).toString(16)}-${file.size.toString(16)}"`;
  assert.match(response.stdout, new RegExp(`^ETag: ${etag}\\r?$`, 'm'), `nginx itself answered /static/${path}`);
}

/** `doctor --json` for the app: its exit code and the causes it names, first first. */
async function doctorCauses(app: ReturnType<typeof testApp>, env: NodeJS.ProcessEnv) {
  const run = await runWizard(['doctor', '--json', ...app.answers], { env, once: true, prefix: 'doctor│ ' });
  const report = JSON.parse(run.stdout) as { findings: { cause: string; facts: Record<string, string> }[] };
  return { code: run.code, findings: report.findings };
}

/**
 * Issue 16 on the deployed project, as a person breaks it: the wizard's settings module cut back to the
 * project's own (Django then answers 400, DisallowedHost), fixed by doctor --fix --yes; the static files'
 * directory closed to nginx (the admin's CSS 403 while the page works), named with what to try.
 */
async function doctorOnDjango(app: ReturnType<typeof testApp>, env: NodeJS.ProcessEnv): Promise<void> {
  heading('doctor: the wizard’s settings module cut back to the project’s own');
  const settings = `${app.dir}/code/mysite/uwsgi_guide_settings.py`;
  must(`printf 'from mysite.settings import *  # noqa\\n' > ${q(settings)}`);
  // uWSGI takes the settings as it loads the app: reloaded gracefully, as deploy does.
  const { pidfile, venv } = siteOf(app.name, app.user, app.server, '');
  must(`${q(`${venv}/bin/uwsgi`)} --reload ${q(pidfile)}`);
  await waitUntil(() => curlStatus(app.server, '/') === '400', 20_000);
  assert.equal(curlStatus(app.server, '/'), '400', 'Django answers 400 through nginx before the doctor is asked');
  const before = await doctorCauses(app, env);
  assert.equal(before.code, 1);
  assert.equal(before.findings[0]?.cause, 'django-hosts', JSON.stringify(before.findings));
  const fixed = await runWizard(['doctor', '--fix', '--yes', ...app.answers], { env, once: true });
  log(fixed.stdout);
  assert.equal(fixed.code, 0, `doctor --fix --yes ends healthy:\n${fixed.stdout}${fixed.stderr}`);
  assert.match(curlPage(app.server).stdout, /Greetings from the Django fixture site/, 'the page is back');

  heading('doctor: the static files closed to nginx');
  must(`chmod 700 ${q(`/var/www/${app.name}`)}`);
  try {
    assert.match(curlStatus(app.server, '/static/admin/css/base.css'), /^40[34]$/, 'the CSS is refused');
    const closed = await doctorCauses(app, env);
    assert.equal(closed.code, 1);
    assert.deepEqual(
      [closed.findings[0]?.cause, closed.findings[0]?.facts.reason, closed.findings[0]?.facts.closedDir],
      ['django-static', 'closed', `/var/www/${app.name}`],
    );
  } finally {
    must(`chmod 755 ${q(`/var/www/${app.name}`)}`);
  }
  assert.equal((await doctorCauses(app, env)).code, 0, 'healthy again');
}

/** The HTTP status nginx answers for a path, asked for the server's name. */
function curlStatus(server: string, path: string): string {
  return sh(`curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H ${q(`Host: ${server}`)} http://127.0.0.1${path}`)
    .stdout;
}

async function undoAndCheck(app: ReturnType<typeof testApp>, env: NodeJS.ProcessEnv, source: string): Promise<void> {
  heading(`undo ${app.name}`);
  const before = treeSnapshot(source);
  const undo = await runWizard(['undo', '--yes', ...app.answers], { env, limitMs: 5 * 60_000 });
  assert.equal(undo.code, 0, `undo exited ${undo.code}:\n${undo.stderr}`);
  for (const path of [`/var/www/${app.name}`, app.dir, `/etc/nginx/sites-enabled/${app.name}`, `/run/${app.name}`])
    assert.ok(!present(path), `${path} is gone`);
  assert.equal(treeSnapshot(source), before, 'the source directory is left as it was');
}

machineTest(
  'end-to-end: the Django fixture deployed, its 400 DisallowedHost fixed, admin CSS by nginx (issue 17)',
  async (t, { dir, stateOf }) => {
    const env = stateOf('django');
    const app = testApp(USER, 'e2edjango', 'django.e2e.test', 8342);
    const source = await freshProject(t, app, dir, 'django-site');

    const run = await runWizard(['--yes', ...app.answers, '--app-source', source], { env, limitMs: 20 * 60_000 });
    assert.equal(run.code, 0, `the wizard exited ${run.code}; stderr:\n${run.stderr}`);
    const said = `${run.stdout}${run.stderr}`;
    assert.match(
      said,
      /answers a request for django\.e2e\.test with 400 Bad Request \(DisallowedHost\)/,
      'the 400 is found',
    );
    assert.match(said, /DEBUG = True in your settings/, 'DEBUG left on is named');
    assert.match(said, /✓ Django answers a request for django\.e2e\.test \(not 400 DisallowedHost\)/, 'and fixed');

    const page = curlPage(app.server);
    log(page.stdout);
    assert.match(page.stdout, /Greetings from the Django fixture site/, "the page through nginx is the view's");
    assert.ok(present(`${app.dir}/db.sqlite3`), 'migrate made the database, outside the code');
    assertNginxServes(app.name, app.server, 'admin/css/base.css');
    // The doctor's fix keeps its backup beside the file it fixes, in the code that deploy then moves away.
    await doctorOnDjango(app, env);

    heading('the view changed, deployed again: migrate and collectstatic run, the new text served');
    const views = join(source, 'pages/views.py');
    writeFileSync(views, readFileSync(views, 'utf8').replace('fixture site (', 'fixture site, deployed again ('));
    const again = await runWizard(['deploy', '--yes', ...app.answers, '--app-source', source], {
      env,
      limitMs: 10 * 60_000,
    });
    assert.equal(again.code, 0, `deploy exited ${again.code}; stderr:\n${again.stderr}`);
    assert.match(again.stdout, /manage\.py migrate --noinput/);
    assert.match(again.stdout, /manage\.py collectstatic --noinput/);
    assert.match(curlPage(app.server).stdout, /fixture site, deployed again/, 'the new view answers');
    assertNginxServes(app.name, app.server, 'admin/css/base.css');
    assert.equal((await doctorCauses(app, env)).code, 0, 'the doctor finds the deployed code healthy');
    await undoAndCheck(app, env, source);
  },
);

machineTest(
  'end-to-end: a Flask app factory served through the generated wsgi.py (issue 17)',
  async (t, { dir, stateOf }) => {
    const env = stateOf('factory');
    const app = testApp(USER, 'e2efactory', 'factory.e2e.test', 8343);
    const source = await freshProject(t, app, dir, 'flask-factory');

    const run = await runWizard(['--yes', ...app.answers, '--app-source', source], { env, limitMs: 20 * 60_000 });
    assert.equal(run.code, 0, `the wizard exited ${run.code}; stderr:\n${run.stderr}`);
    assert.match(run.stdout, /create_app\(\)/, 'the shim is shown');
    assert.ok(!present(join(source, 'wsgi.py')), 'the shim is written into the copy only');
    assert.match(curlPage(app.server).stdout, /Greetings from the Flask app factory fixture/);
    assertNginxServes(app.name, app.server, 'site.css');
    await undoAndCheck(app, env, source);
  },
);

machineTest(
  "end-to-end: a Flask project whose packages are pyproject.toml's [project] dependencies (issue 17)",
  async (t, { dir, stateOf }) => {
    const env = stateOf('pyproject');
    const app = testApp(USER, 'e2epyproject', 'pyproject.e2e.test', 8344);
    const source = await freshProject(t, app, dir, 'flask-pyproject');

    const run = await runWizard(['--yes', ...app.answers, '--app-source', source], { env, limitMs: 20 * 60_000 });
    assert.equal(run.code, 0, `the wizard exited ${run.code}; stderr:\n${run.stderr}`);
    assert.match(run.stdout, /-m", "pip", "install", \*deps/, "pyproject.toml's dependencies handed to pip");
    // humanize is listed only there: the page answers with its comma only when pip installed the list.
    assert.match(curlPage(app.server).stdout, /Greetings from the pyproject fixture: 1,234,567 visitors/);
    const venv = siteOf(app.name, app.user, app.server, '').venv;
    const installed = sh(`${q(`${venv}/bin/pip`)} list --format=freeze`);
    log(installed.stdout);
    assert.match(installed.stdout, /^humanize==/m);
    assert.match(installed.stdout, /^Flask==3\./m);
    assert.doesNotMatch(
      installed.stdout,
      /^counter-site==/im,
      'the dependencies alone: the project itself is not installed',
    );
    await undoAndCheck(app, env, source);
  },
);
