// A person's own project (issue 17) planned: the guide's steps stay as they are without one; with
// one, its code, packages, import, ini, static files, environment file and Django's settings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPlan, formatPlan } from '../../src/engine/plan.js';
import type { CommandAction, FileAction, Plan } from '../../src/engine/types.js';
import { curriculum, deployCurriculum, deployRollBackCurriculum } from '../../steps/index.js';
import { DJANGO_APP, debian12, FLASK_APP, FLASK_FACTORY_APP, makeContext, ownAppContext } from '../helpers.js';

function stepIds(plan: Plan): string[] {
  return plan.steps.map((s) => s.id);
}

function action(plan: Plan, id: string): CommandAction | FileAction {
  const found = plan.steps.flatMap((s) => s.actions).find((a) => a.id === id);
  assert.ok(found, `no action ${id}`);
  return found;
}

function fileContent(plan: Plan, id: string): string {
  const found = action(plan, id);
  assert.equal(found.kind, 'file');
  return found.content;
}

function commandLine(plan: Plan, id: string): string {
  const found = action(plan, id);
  assert.equal(found.kind, 'command');
  return found.command;
}

describe('the plan without a project of the person', () => {
  it('is the guide: no own-app step, wsgi.py and the test run in it', () => {
    const ids = stepIds(buildPlan(curriculum, makeContext()));
    assert.ok(ids.includes('wsgi-app') && ids.includes('test-run'));
    assert.deepEqual(
      ids.filter((id) => id.startsWith('app-')),
      [],
    );
  });
});

describe('a Flask project', () => {
  const plan = buildPlan(curriculum, ownAppContext(FLASK_APP));
  const text = formatPlan(plan, 'en');

  it("replaces wsgi.py and the test run by the project's code, variables, packages and import proof", () => {
    const ids = stepIds(plan);
    assert.ok(!ids.includes('wsgi-app') && !ids.includes('test-run'));
    const order = ['virtualenv', 'app-code', 'app-env', 'app-packages', 'app-import', 'ini', 'service', 'app-static'];
    assert.deepEqual(
      ids.filter((id) => order.includes(id)),
      order,
    );
    assert.ok(!ids.includes('app-django'), 'no Django step for Flask');
  });

  it('run by root, reads the source as the service user and writes the copy as the service user, the source only read', () => {
    const copy = commandLine(plan, 'copy-code');
    assert.match(
      copy,
      /^runuser -u demo -- tar -C \/home\/alice\/site --exclude=\.git .* -cf - \. \| runuser -u demo -- tar -C \/home\/demo\/myapp\/code -xf -$/,
    );
    assert.match(copy, /--exclude=\.env /, 'the secrets are not copied with the code');
  });

  // Root reading the project would follow a link put there by whoever may write in it (.env → /etc/shadow) into
  // files the service user owns: root reads nothing of the project, the person (sudo) reads with their own rights.
  it("the project's .env is read as the service user by root, and as the person by a sudo user", () => {
    assert.match(
      commandLine(plan, 'write-env-file'),
      /^runuser -u demo -- sh -c 'if test -e "\$1"; then cat "\$1"; fi' sh \/home\/alice\/site\/\.env \| runuser -u demo -- /,
    );
    const bySudoUser = buildPlan(curriculum, {
      ...makeContext({ runningAs: 'admin' }),
      ownApp: FLASK_APP,
    });
    assert.match(commandLine(bySudoUser, 'write-env-file'), /^sh -c 'if test -e "\$1"; then cat "\$1"; fi' sh /);
    assert.match(commandLine(bySudoUser, 'copy-code'), /^tar -C \/home\/alice\/site /);
  });

  it('installs the requirements with the venv pip as the service user, with a try-this for pip failures', () => {
    const pip = action(plan, 'pip-install-requirements') as CommandAction;
    assert.equal(
      pip.command,
      'runuser -u demo -- /home/demo/myapp/myappenv/bin/pip install -r /home/demo/myapp/code/requirements.txt',
    );
    assert.match(pip.tryThis?.en ?? '', /libpq-dev/);
  });

  it('proves the import as the service user with the venv Python from chdir, through the environment file', () => {
    const check = plan.steps.find((s) => s.id === 'app-import')!.checks[0]!;
    assert.equal(check.probe.kind, 'command');
    if (check.probe.kind !== 'command') return;
    assert.equal(check.probe.cwd, '/home/demo/myapp/code');
    assert.match(
      check.probe.command,
      /^runuser -u demo -- \/home\/demo\/myapp\/with-env \/home\/demo\/myapp\/myappenv\/bin\/python -B -c /,
    );
    assert.match(check.probe.command, /import_module\("app"\), "app"\)/);
  });

  it('writes an ini with chdir, module:callable, home, need-app and touch-reload', () => {
    const ini = fileContent(plan, 'write-ini');
    for (const line of [
      'chdir = /home/demo/myapp/code',
      'module = app:app',
      'home = /home/demo/myapp/myappenv',
      'need-app = true',
      'touch-reload = /home/demo/myapp/myapp.ini',
      'processes = 5',
    ])
      assert.ok(ini.split('\n').includes(line), `${line} missing from\n${ini}`);
    assert.doesNotMatch(ini, /wsgi:application/);
  });

  it("with the wheel's uWSGI, reloads into the venv's python (the system's has no pyuwsgi); not without it", () => {
    const line = 'binary-path = /home/demo/myapp/myappenv/bin/python';
    const wheel = buildPlan(curriculum, { ...ownAppContext(FLASK_APP), chosen: { uwsgiFrom: 'wheel' } });
    assert.ok(fileContent(wheel, 'write-ini').split('\n').includes(line));
    assert.match(JSON.stringify(wheel.steps.find((s) => s.id === 'ini')), /binary-path – the wheel's uWSGI reloads/);
    assert.doesNotMatch(fileContent(plan, 'write-ini'), /binary-path/);
  });

  it('serves /static/ from a directory outside the home, filled from the copy', () => {
    const site = fileContent(plan, 'write-nginx-site');
    assert.match(site, /location \/static\/ \{\n {8}alias {11}\/var\/www\/myapp\/static\/;\n {4}\}/);
    assert.ok(site.indexOf('location /static/') < site.indexOf('location / {'));
    assert.equal(
      commandLine(plan, 'fill-static-dir'),
      'runuser -u demo -- cp -R /home/demo/myapp/code/static/. /var/www/myapp/static/',
    );
    assert.ok(plan.steps.find((s) => s.id === 'nginx')!.checks.some((c) => c.id === 'static-through-nginx'));
  });

  it('starts uWSGI without a service manager through the script that reads the environment file', () => {
    assert.match(
      commandLine(plan, 'start-service'),
      /^runuser -u demo -g www-data -- \/home\/demo\/myapp\/with-env \/home\/demo\/myapp\/myappenv\/bin\/uwsgi --ini /,
    );
  });

  it('gives the systemd unit the environment file', () => {
    const systemd = buildPlan(curriculum, ownAppContext(FLASK_APP, debian12('systemd')));
    assert.match(fileContent(systemd, 'write-systemd-unit'), /^EnvironmentFile=\/home\/demo\/myapp\/myapp\.env$/m);
  });

  it('never writes the environment file as a shown file: its values stay out of the plan', () => {
    const envAction = action(plan, 'write-env-file');
    assert.equal(envAction.kind, 'command');
    const shownFiles = plan.steps.flatMap((s) => s.actions).filter((a) => a.kind === 'file');
    assert.ok(!shownFiles.some((file) => file.path === '/home/demo/myapp/myapp.env'));
    // What the plan says of it is the command that fills it through a pipe, not a content.
    assert.match(text, /cat "\$1"; fi. sh \/home\/alice\/site\/\.env \| runuser -u demo -- sh -c /);
  });

  it('undo takes away the copy, the static directory and the environment file, never the source', () => {
    const effects = plan.steps
      .flatMap((s) => s.actions)
      .flatMap((a) => (a.kind === 'command' ? (a.effects ?? []) : []));
    const created = effects.flatMap((e) => (e.kind === 'creates' ? [e.path] : []));
    for (const path of ['/home/demo/myapp/code', '/var/www/myapp', '/home/demo/myapp/myapp.env'])
      assert.ok(created.includes(path), `${path} not recorded as created`);
    assert.ok(!created.some((path) => path.startsWith('/home/alice')), 'nothing of the source is taken away');
  });
});

describe('a Flask app factory', () => {
  const plan = buildPlan(curriculum, ownAppContext(FLASK_FACTORY_APP));

  it('writes the shim into the copy, in full, and serves it', () => {
    const shim = action(plan, 'write-shim');
    assert.equal(shim.kind, 'file');
    assert.equal(shim.kind === 'file' && shim.path, '/home/demo/myapp/code/wsgi.py');
    assert.match(formatPlan(plan, 'en'), /\| app = create_app\(\)/);
    assert.ok(fileContent(plan, 'write-ini').includes('module = wsgi:app\n'));
  });
});

describe('a Django project', () => {
  const plan = buildPlan(curriculum, ownAppContext(DJANGO_APP));

  it("writes the wizard's settings beside the project's: the server name, STATIC_ROOT, the database outside the code", () => {
    const settings = action(plan, 'write-django-settings');
    assert.equal(settings.kind === 'file' && settings.path, '/home/demo/myapp/code/mysite/uwsgi_guide_settings.py');
    const content = fileContent(plan, 'write-django-settings');
    assert.match(content, /^from mysite\.settings import \*/m);
    assert.match(content, /ALLOWED_HOSTS = \[\*ALLOWED_HOSTS, "example\.com"\]/);
    assert.match(content, /STATIC_ROOT = "\/var\/www\/myapp\/static"/);
    assert.ok(fileContent(plan, 'write-ini').includes('env = DJANGO_SETTINGS_MODULE=mysite.uwsgi_guide_settings\n'));
  });

  it('runs migrate and collectstatic as the service user with those settings', () => {
    assert.match(
      commandLine(plan, 'django-migrate'),
      /^runuser -u demo -- \/home\/demo\/myapp\/with-env env DJANGO_SETTINGS_MODULE=mysite\.uwsgi_guide_settings \/home\/demo\/myapp\/myappenv\/bin\/python manage\.py migrate --noinput$/,
    );
    assert.match(commandLine(plan, 'fill-static-dir'), / manage\.py collectstatic --noinput$/);
  });

  it("asks before its actions whether the project's own ALLOWED_HOSTS refuses the name, and names DEBUG", () => {
    const preflight = plan.steps.find((s) => s.id === 'app-django')!.preflight!.map((c) => c.id);
    assert.deepEqual(preflight, ['django-allowed-hosts', 'django-debug-off']);
  });
});

describe('deploy, for a project already served', () => {
  const plan = buildPlan(deployCurriculum, ownAppContext(FLASK_APP));

  it('copies the new code beside the running one and proves its import there, before anything served changes', () => {
    assert.deepEqual(stepIds(plan), ['deploy-code', 'deploy-reload']);
    assert.match(
      commandLine(plan, 'deploy-copy'),
      / \| runuser -u demo -- tar -C \/home\/demo\/myapp\/code\.new -xf -$/,
    );
    const check = plan.steps[0]!.checks.at(-1)!;
    assert.equal(check.probe.kind === 'command' && check.probe.cwd, '/home/demo/myapp/code.new');
    assert.match(
      commandLine(plan, 'deploy-pip-install'),
      /pip install -r \/home\/demo\/myapp\/code\.new\/requirements\.txt$/,
    );
  });

  it('then switches the code, keeping the previous one, refreshes the static files and touches the ini to reload', () => {
    const ids = plan.steps[1]!.actions.map((a) => a.id);
    assert.deepEqual(ids, ['deploy-switch', 'deploy-static', 'deploy-touch-reload', 'deploy-wait-reload']);
    assert.equal(
      commandLine(plan, 'deploy-switch'),
      "runuser -u demo -- sh -c 'rm -rf /home/demo/myapp/code.previous && mv /home/demo/myapp/code /home/demo/myapp/code.previous && mv /home/demo/myapp/code.new /home/demo/myapp/code'",
    );
    assert.equal(commandLine(plan, 'deploy-touch-reload'), 'runuser -u demo -- touch /home/demo/myapp/myapp.ini');
  });

  it('puts the previous code back when the new one did not serve: the new one kept in code.new, uWSGI reloaded', () => {
    const rollBack = buildPlan(deployRollBackCurriculum, ownAppContext(FLASK_APP));
    assert.deepEqual(
      rollBack.steps[0]!.actions.map((a) => a.id),
      ['roll-back-put-back', 'roll-back-static', 'roll-back-touch-reload', 'roll-back-wait-reload'],
    );
    assert.equal(
      commandLine(rollBack, 'roll-back-put-back'),
      "runuser -u demo -- sh -c 'rm -rf /home/demo/myapp/code.new && mv /home/demo/myapp/code /home/demo/myapp/code.new && mv /home/demo/myapp/code.previous /home/demo/myapp/code'",
    );
    assert.deepEqual(
      rollBack.steps[0]!.checks.map((c) => c.id),
      plan.steps[1]!.checks.map((c) => c.id),
      'proven to serve as a deploy is',
    );
  });

  it('runs migrate with the new code for Django, and writes its settings into the new copy', () => {
    const django = buildPlan(deployCurriculum, ownAppContext(DJANGO_APP));
    const settings = action(django, 'deploy-write-django-settings');
    assert.equal(settings.kind === 'file' && settings.path, '/home/demo/myapp/code.new/mysite/uwsgi_guide_settings.py');
    assert.match(commandLine(django, 'deploy-migrate'), / manage\.py migrate --noinput$/);
  });
});

describe("the own project's commands", () => {
  it('run whole as the account they are for: no && or ; outside a quoted sh -c, where the rest would run as root', () => {
    for (const app of [FLASK_APP, FLASK_FACTORY_APP, DJANGO_APP])
      for (const steps of [curriculum, deployCurriculum, deployRollBackCurriculum])
        for (const step of buildPlan(steps, ownAppContext(app)).steps)
          for (const action of step.actions) {
            if (action.kind !== 'command' || !action.for || action.for.runAs === 'root') continue;
            const unquoted = action.for.line.replace(/'[^']*'/g, "''");
            assert.doesNotMatch(unquoted, /&&|;|\|\|/, `${step.id}/${action.id}: ${action.command}`);
          }
  });
});

describe('the packages step, the app run as root (--allow-root)', () => {
  const explainOf = (user: string) => {
    const ctx = ownAppContext(FLASK_APP);
    const plan = buildPlan(curriculum, { ...ctx, answers: { ...ctx.answers, user } });
    return plan.steps.find((s) => s.id === 'app-packages')!.explain;
  };

  it('never says nothing runs as root when the account is root: the setup code runs as root, said in both languages', () => {
    const root = explainOf('root');
    assert.doesNotMatch(root.en, /nothing runs as root/);
    assert.match(root.en, /setup code runs as root/);
    assert.doesNotMatch(root.ja, /root では何も実行しません/);
    assert.match(root.ja, /セットアップのコードはインストール中に root で動きます/);
  });

  it('says nothing runs as root for any other account', () => {
    const demo = explainOf('demo');
    assert.match(demo.en, /nothing runs as root/);
    assert.match(demo.ja, /root では何も実行しません/);
  });
});

describe("pyproject.toml's dependencies", () => {
  const ctx = ownAppContext({ ...FLASK_APP, requirements: { kind: 'pyproject.toml', path: 'pyproject.toml' } });

  it("are handed to pip by the venv's Python in one process as the app's account: no pipe into /dev/stdin", () => {
    // A pipe between two runuser commands is root's: the account could not open /dev/stdin (seen on Debian 12).
    for (const [steps, id] of [
      [curriculum, 'pip-install-requirements'],
      [deployCurriculum, 'deploy-pip-install'],
    ] as const) {
      const line = commandLine(buildPlan(steps, ctx), id);
      assert.match(
        line,
        /^runuser -u demo -- \/home\/demo\/myapp\/myappenv\/bin\/python -c '.*' \S+\/pyproject\.toml$/,
      );
      assert.doesNotMatch(line, /\/dev\/stdin|\|/);
      assert.match(line, /subprocess\.call\(\[sys\.executable, "-m", "pip", "install", \*deps\]\)/);
    }
  });
});
