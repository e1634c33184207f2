// Finding a person's own app (issue 17) by reading its files, never running them: the three fixture
// projects as they are on disk, and the inputs that fool a reader of text (comments, strings, two
// apps, settings computed at run time).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { filesToRead, findApp, LOOKED_FOR, namedApp, type SourceTree } from '../../src/engine/own-app/find.js';
import type { FindResult, FoundApp } from '../../src/engine/own-app/found.js';
import { pythonLines } from '../../src/engine/own-app/python-lines.js';

const APPS = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'), 'fixtures', 'apps');

/** A fixture project as the reader gives it: its files and directories, and the text of those it reads. */
function fixture(name: string): SourceTree {
  const root = join(APPS, name);
  const files: string[] = [];
  const dirs: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = `${prefix}${entry.name}`;
      if (entry.isDirectory()) {
        dirs.push(path);
        walk(join(dir, entry.name), `${path}/`);
      } else if (entry.isFile()) files.push(path);
    }
  };
  walk(root, '');
  const texts = Object.fromEntries(filesToRead(files).map((file) => [file, readFileSync(join(root, file), 'utf8')]));
  return { files, dirs, texts };
}

/** A project made of these files' texts (every directory they are in is there too). */
function project(texts: Record<string, string>, extraDirs: string[] = []): SourceTree {
  const files = Object.keys(texts);
  const dirs = new Set(extraDirs);
  for (const file of files) {
    const parts = file.split('/');
    for (let n = 1; n < parts.length; n += 1) dirs.add(parts.slice(0, n).join('/'));
  }
  return { files, dirs: [...dirs], texts };
}

function found(result: FindResult): FoundApp {
  assert.equal(result.kind, 'found', JSON.stringify(result));
  return (result as Extract<FindResult, { kind: 'found' }>).app;
}

describe('findApp on the fixture projects', () => {
  it('flask-site: the app object in app.py, its static/ folder, its requirements.txt', () => {
    const result = findApp(fixture('flask-site'));
    assert.deepEqual(found(result), {
      framework: 'flask',
      module: 'app',
      callable: 'app',
      chdir: '',
      statics: { url: '/static/', dir: 'static' },
      requirements: { kind: 'requirements.txt', path: 'requirements.txt' },
    });
    assert.ok(result.lookedAt.includes('app.py'), String(result.lookedAt));
  });

  it('flask-pyproject: the app object in app.py, its packages from pyproject.toml (no requirements.txt)', () => {
    assert.deepEqual(found(findApp(fixture('flask-pyproject'))), {
      framework: 'flask',
      module: 'app',
      callable: 'app',
      chdir: '',
      requirements: { kind: 'pyproject.toml', path: 'pyproject.toml' },
    });
  });

  it('flask-factory: create_app() in a package → a wsgi.py shim calling it, shown in full', () => {
    const app = found(findApp(fixture('flask-factory')));
    assert.equal(app.framework, 'flask');
    assert.equal(app.module, 'wsgi');
    assert.equal(app.callable, 'app');
    assert.equal(app.shim?.path, 'wsgi.py');
    assert.equal(app.shim?.factory, 'greeter.create_app');
    assert.match(app.shim!.content, /^from greeter import create_app\n\napp = create_app\(\)\n$/m);
    assert.deepEqual(app.statics, { url: '/static/', dir: 'greeter/static' });
    assert.deepEqual(app.requirements, { kind: 'requirements.txt', path: 'requirements.txt' });
  });

  it('django-site: manage.py → mysite.settings → WSGI_APPLICATION, STATIC_ROOT from BASE_DIR, the hosts, DEBUG', () => {
    const result = findApp(fixture('django-site'));
    assert.deepEqual(found(result), {
      framework: 'django',
      module: 'mysite.wsgi',
      callable: 'application',
      chdir: '',
      django: {
        settingsModule: 'mysite.settings',
        managePy: 'manage.py',
        staticRootInProject: 'staticfiles',
        allowedHosts: ['www.mysite.example'],
        debug: true,
      },
      statics: { url: '/static/', dir: 'staticfiles' },
      requirements: { kind: 'requirements.txt', path: 'requirements.txt' },
    });
    assert.deepEqual(result.lookedAt, ['manage.py', 'mysite/settings.py', 'mysite/wsgi.py']);
  });
});

describe('findApp on tricky inputs', () => {
  it('a Flask(...) in a comment, a docstring or a string is not an app', () => {
    const result = findApp(
      project({
        'app.py': [
          '"""Usage:',
          'app = Flask(__name__)',
          '"""',
          '# app = Flask(__name__)',
          "EXAMPLE = 'app = Flask(__name__)'",
          'import flask',
        ].join('\n'),
      }),
    );
    assert.equal(result.kind, 'none');
    assert.deepEqual(result.lookedAt, ['app.py']);
  });

  it('an app made inside a function or an if block is not a module-level app', () => {
    const result = findApp(project({ 'app.py': 'from flask import Flask\ndef main():\n    app = Flask(__name__)\n' }));
    assert.equal(result.kind, 'none');
  });

  it('two apps in two files: several, each named with its file', () => {
    const result = findApp(
      project({
        'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
        'admin/__init__.py': 'from flask import Flask\napplication = Flask("admin")\n',
      }),
    );
    assert.equal(result.kind, 'several');
    assert.deepEqual((result as Extract<FindResult, { kind: 'several' }>).candidates, [
      { module: 'app', callable: 'app', file: 'app.py' },
      { module: 'admin', callable: 'application', file: 'admin/__init__.py' },
    ]);
  });

  it('wsgi.py importing the app from app.py is one app: the entry point wsgi:app', () => {
    const app = found(
      findApp(
        project({ 'wsgi.py': 'from app import app\n', 'app.py': 'import flask\napp = flask.Flask(__name__)\n' }, [
          'static',
        ]),
      ),
    );
    assert.deepEqual([app.framework, app.module, app.callable], ['flask', 'wsgi', 'app']);
    assert.deepEqual(app.statics, { url: '/static/', dir: 'static' });
  });

  it('wsgi.py calling the package factory is one app, and needs no shim', () => {
    const app = found(
      findApp(
        project({
          'wsgi.py': 'from shop import create_app\n\napp = create_app()\n',
          'shop/__init__.py': 'from flask import Flask\n\ndef create_app():\n    return Flask(__name__)\n',
        }),
      ),
    );
    assert.deepEqual([app.module, app.callable, app.shim], ['wsgi', 'app', undefined]);
  });

  it("a factory's static_folder and static_url_path are the ones said", () => {
    const app = found(
      findApp(
        project(
          {
            'site/__init__.py': [
              'from flask import Flask',
              'def make_app():',
              "    app = Flask(__name__, static_folder='assets',",
              "                static_url_path='/files')",
              '    return app',
            ].join('\n'),
          },
          ['site/assets'],
        ),
      ),
    );
    assert.equal(app.shim?.factory, 'site.make_app');
    assert.deepEqual(app.statics, { url: '/files/', dir: 'site/assets' });
  });

  it("a folder without __init__.py is not a package: its app.py is not the project's app", () => {
    const result = findApp(project({ 'site/app.py': 'from flask import Flask\napp = Flask(__name__)\n' }));
    assert.equal(result.kind, 'none');
  });

  it('a plain WSGI function named application', () => {
    const app = found(
      findApp(project({ 'hello.py': 'def application(environ, start_response):\n    return [b"hi"]\n' })),
    );
    assert.deepEqual(
      [app.framework, app.module, app.callable, app.statics],
      ['wsgi', 'hello', 'application', undefined],
    );
  });

  it('a project with no Python: none, saying what was looked for', () => {
    const result = findApp(project({ 'README.md': '# app = Flask(__name__)' }));
    assert.deepEqual(result, { kind: 'none', lookedAt: LOOKED_FOR });
  });

  it('settings computed at run time are left undefined, not guessed', () => {
    const app = found(
      findApp(
        project({
          'manage.py': "import os\nos.environ['DJANGO_SETTINGS_MODULE'] = 'proj.settings.prod'\n",
          'proj/settings/prod.py': [
            'import os',
            'BASE_DIR = os.getcwd()',
            "STATIC_ROOT = os.environ['STATIC_ROOT']",
            "ALLOWED_HOSTS = os.environ.get('HOSTS', '').split(',')",
            "DEBUG = os.environ.get('DEBUG') == '1'",
            "if DEBUG:\n    WSGI_APPLICATION = 'proj.debug_wsgi.application'",
          ].join('\n'),
          'proj/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
        }),
      ),
    );
    // WSGI_APPLICATION in an if: not known, so Django's default for the package (proj.wsgi) is taken.
    assert.deepEqual(
      { module: app.module, callable: app.callable, django: app.django },
      {
        module: 'proj.wsgi',
        callable: 'application',
        django: { settingsModule: 'proj.settings.prod', managePy: 'manage.py' },
      },
    );
  });

  it("STATIC_ROOT's other forms: an absolute literal, os.path.join(BASE_DIR, …), str(BASE_DIR / …)", () => {
    const django = (settings: string) =>
      found(
        findApp(
          project({
            'manage.py': "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'web.settings')\n",
            'web/settings.py': settings,
            'web/wsgi.py': 'application = get_wsgi_application()\n',
          }),
        ),
      ).django;
    assert.equal(django("STATIC_ROOT = '/var/www/web/static/'\n")?.staticRoot, '/var/www/web/static');
    const osPath = 'BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n';
    assert.equal(
      django(`${osPath}STATIC_ROOT = os.path.join(BASE_DIR, 'public', 'static')\n`)?.staticRootInProject,
      'public/static',
    );
    const pathlib = 'BASE_DIR = Path(__file__).resolve().parent\n';
    assert.equal(django(`${pathlib}STATIC_ROOT = str(BASE_DIR / 'static')\n`)?.staticRootInProject, 'web/static');
    // A relative literal depends on the directory the process runs in: not resolved.
    assert.equal(django("STATIC_ROOT = 'static'\n")?.staticRootInProject, undefined);
    assert.equal(django("STATIC_ROOT = 'static'\n")?.staticRoot, undefined);
  });

  it('two Django projects side by side: several', () => {
    const site = (name: string) => ({
      [`${name}/manage.py`]: `os.environ.setdefault('DJANGO_SETTINGS_MODULE', '${name}.settings')\n`,
      [`${name}/${name}/settings.py`]: `WSGI_APPLICATION = '${name}.wsgi.application'\n`,
      [`${name}/${name}/wsgi.py`]: 'application = get_wsgi_application()\n',
    });
    const result = findApp(project({ ...site('blog'), ...site('shop') }));
    assert.equal(result.kind, 'several');
  });
});

describe('namedApp: --app-module module:callable', () => {
  const tree = project({
    'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    'admin/__init__.py': 'from flask import Flask\napplication = Flask("admin")\n',
  });

  it('takes the one the person names, among several', () => {
    const result = namedApp(tree, 'admin:application');
    assert.equal(result.kind, 'found');
    const { app } = result as Extract<typeof result, { kind: 'found' }>;
    assert.deepEqual([app.framework, app.module, app.callable], ['flask', 'admin', 'application']);
  });

  it('refuses a callable the module does not define, naming the file', () => {
    assert.deepEqual(namedApp(tree, 'app:application'), { kind: 'no-callable', file: 'app.py', lookedAt: ['app.py'] });
  });

  it('refuses a module that is not there, naming where it looked', () => {
    assert.deepEqual(namedApp(tree, 'shop.wsgi:app'), {
      kind: 'no-module',
      lookedAt: ['shop/wsgi.py', 'shop/wsgi/__init__.py'],
    });
  });

  it('a factory named is served through the shim', () => {
    const result = namedApp(fixture('flask-factory'), 'greeter:create_app');
    assert.equal(result.kind, 'found');
    assert.equal((result as Extract<typeof result, { kind: 'found' }>).app.shim?.factory, 'greeter.create_app');
  });
});

describe('pythonLines', () => {
  it('joins bracketed and backslash-continued lines, drops comments, reads string escapes', () => {
    const lines = pythonLines("x = (1,\n  2)  # two\ny = 'a\\'b' \\\n  \"c\"\n");
    assert.equal(lines.length, 2);
    assert.deepEqual(lines[1]!.tokens.at(-1), { kind: 'string', value: "a'bc" });
  });
});
