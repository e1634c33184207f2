// The doctor's causes (issue 16): each has its words in both languages, and its fix, where the
// doctor can make one, is exact for a sample finding and never opens a socket or a directory to
// everyone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bodyLimitFor,
  type FileRead,
  type FixContext,
  fixFor,
  harakiriBelow,
  iniValue,
  withSetting,
} from '../../src/engine/doctor/fixes.js';
import { CAUSES, type CauseId, type FixAction } from '../../src/engine/doctor/model.js';
import { causeSaid } from '../../src/ui/doctor-text.js';
import { iniSource } from '../../steps/ini.js';
import { systemdUnitSource } from '../../steps/service.js';
import { goldenContext } from '../golden.js';
import { debian12 } from '../helpers.js';
import { englishSentences } from '../ui/english-scan.js';

/** The guide's ini and unit as the wizard writes them for demo's myapp on Debian 12 with systemd. */
const DEBIAN = goldenContext(debian12('systemd'));
const GUIDE_INI = iniSource(DEBIAN);
const GUIDE_UNIT = systemdUnitSource(DEBIAN);

const GUIDE_SITE = [
  'server {',
  '    listen 80;',
  '    server_name example.com;',
  '',
  '    location / {',
  '        include uwsgi_params;',
  '        uwsgi_pass unix:/run/myapp/myapp.sock;',
  '    }',
  '}',
  '',
].join('\n');

/** The guide's wsgi.py of 14.04, written for Python 2. */
const GUIDE_WSGI = [
  'def application(environ, start_response):',
  "    start_response('200 OK', [('Content-Type', 'text/html')])",
  '    return ["<h1 style=\'color:blue\'>Hello There!</h1>"]',
  '',
].join('\n');

const file = (path: string, text: string, owner = 'root', group = 'root', mode = 0o644) => ({
  path,
  text,
  owner,
  group,
  mode,
});

/** Everything the pairing can know about the guide's setup on a systemd machine. */
const CTX: FixContext = {
  service: { manager: 'systemd', name: 'myapp' },
  ini: file('/home/demo/myapp/myapp.ini', GUIDE_INI, 'demo', 'demo'),
  unit: file('/etc/systemd/system/myapp.service', GUIDE_UNIT),
  nginxSite: { ...file('/etc/nginx/sites-available/myapp', GUIDE_SITE), enabledLink: '/etc/nginx/sites-enabled/myapp' },
  wsgiFile: file('/home/demo/myapp/wsgi.py', GUIDE_WSGI, 'demo', 'demo'),
  djangoSettings: file('/home/demo/mysite/mysite/settings.py', "DEBUG = False\nALLOWED_HOSTS = ['localhost']\n"),
  nginxUser: 'www-data',
  nginxGroup: 'www-data',
  appOwner: 'demo',
  uwsgiReadTimeout: 60,
};

/** A finding's facts for each cause, as the checks and the log signatures name them. */
const SAMPLE_FACTS: Record<CauseId, Record<string, string>> = {
  'nginx-down': {},
  'nginx-config': { file: '/etc/nginx/sites-enabled/myapp', line: '7' },
  'listen-dup': { address: '[::]:80', file: '/etc/nginx/sites-enabled/myapp' },
  'site-disabled': { site: '/etc/nginx/sites-available/myapp' },
  'no-site': { site: '/etc/nginx/sites-available/myapp' },
  'default-site': {
    serverName: 'example.com',
    defaultSite: 'default',
    defaultSiteLink: '/etc/nginx/sites-enabled/default',
  },
  'socket-path-differs': { nginxSocket: '/run/myapp/myapp.sock', uwsgiSocket: '/home/demo/myapp/myapp.sock' },
  permission: { socket: '/run/myapp/myapp.sock', user: 'www-data' },
  'no-socket': { socket: '/run/myapp/myapp.sock' },
  refused: { socket: '/run/myapp/myapp.sock' },
  'bind-denied': { socket: '/run/myapp/myapp.sock' },
  'no-app': { module: 'wsgi:application', suggestedModule: 'wsgi:app' },
  venv: { module: 'flask', venv: '/home/demo/myapp/myappenv' },
  'apt-uwsgi': {},
  'http-to-uwsgi': { method: 'GET' },
  'uwsgi-to-http': { socket: '/run/myapp/myapp.sock' },
  'big-headers': { size: '5228' },
  harakiri: { worker: '1', pid: '20370' },
  'queue-full': { socket: '/run/myapp/myapp.sock' },
  'str-body': { file: '/home/demo/myapp/wsgi.py' },
  'no-die-on-term': { ini: '/home/demo/myapp/myapp.ini' },
  'unit-user': { user: 'sammy', unit: 'myapp.service' },
  'test-leftover': { pid: '4242', address: '0.0.0.0:8080' },
  'django-hosts': { host: 'example.com' },
  'django-static': { url: '/static/admin/css/base.css' },
  'too-large': { bytes: '4868' },
  unexplained: { status: '502' },
};

/** Where the guide's setup is not the one a cause's fix applies to: uWSGI speaking HTTP on its socket. */
const CONTEXT_OF: Partial<Record<CauseId, FixContext>> = {
  'uwsgi-to-http': { ...CTX, ini: { ...CTX.ini!, text: GUIDE_INI.replace('socket = /run', 'http-socket = /run') } },
};

describe("the doctor's words", () => {
  it('every cause has what, why and "try this" in both languages, with its facts put in', () => {
    for (const cause of CAUSES) {
      for (const lang of ['en', 'ja'] as const) {
        const said = causeSaid({ cause, facts: SAMPLE_FACTS[cause] }, lang);
        for (const [part, sentence] of Object.entries(said)) {
          assert.ok(sentence.trim().length > 0, `${cause} ${lang} ${part} is empty`);
          assert.doesNotMatch(sentence, /undefined|\?(?![^\s])|\[object/, `${cause} ${lang} ${part}: ${sentence}`);
        }
      }
      const en = causeSaid({ cause, facts: SAMPLE_FACTS[cause] }, 'en');
      const ja = causeSaid({ cause, facts: SAMPLE_FACTS[cause] }, 'ja');
      assert.notEqual(en.what, ja.what, `${cause}: the Japanese is its own`);
      for (const fact of Object.values(SAMPLE_FACTS[cause]).filter((f) => !f.startsWith('/etc/nginx/sites-enabled/d')))
        if (en.what.includes(fact) || en.tryThis.includes(fact))
          assert.ok(ja.what.includes(fact) || ja.tryThis.includes(fact), `${cause}: ${fact} in English only`);
    }
  });

  it('a fact the finding lacks is shown as "?", never as "undefined"', () => {
    const said = causeSaid({ cause: 'permission', facts: { socket: '/run/myapp/myapp.sock' } }, 'en');
    assert.equal(said.what, 'nginx (running as ?) may not open the socket /run/myapp/myapp.sock.');
  });

  it('no English sentence inside the Japanese, only names and quoted commands', () => {
    for (const cause of CAUSES) {
      const said = causeSaid({ cause, facts: SAMPLE_FACTS[cause] }, 'ja');
      const text = Object.values(said).join('\n');
      assert.deepEqual(englishSentences(text, []), [], `${cause}:\n${text}`);
    }
  });

  it('says what the fix does exactly for the causes the doctor fixes, and nothing for the others', () => {
    for (const cause of CAUSES) {
      const fix = fixFor({ cause, facts: SAMPLE_FACTS[cause] }, CONTEXT_OF[cause] ?? CTX);
      for (const lang of ['en', 'ja'] as const) {
        const said = causeSaid({ cause, facts: SAMPLE_FACTS[cause] }, lang);
        assert.equal(said.fix !== undefined, fix !== undefined, `${cause} ${lang}: fix words ⇔ a fix`);
      }
    }
  });
});

const reloadNginx: FixAction = { kind: 'command', command: 'nginx -t && nginx -s reload', asRoot: true };
const root = (command: string): FixAction => ({ kind: 'command', command, asRoot: true });
const restartApp = root('systemctl restart myapp');
/** The file a fix writes: the one read, with its new content. */
const written =
  (read: FileRead) =>
  (content: string): FixAction => ({
    kind: 'file',
    path: read.path,
    content,
    owner: read.owner,
    group: read.group,
    mode: read.mode,
  });
const iniFile = written(CTX.ini!);
const unitFile = written(CTX.unit!);
const siteFile = written(CTX.nginxSite!);

function fix(cause: CauseId, ctx: FixContext = CTX, facts = SAMPLE_FACTS[cause]): FixAction[] | undefined {
  return fixFor({ cause, facts }, ctx);
}

describe("the doctor's fixes, exact", () => {
  it("permission: mode 664 and nginx's group through the unit's Group=, then the service again", () => {
    const ctx = {
      ...CTX,
      ini: { ...CTX.ini!, text: GUIDE_INI.replace('chmod-socket = 664\n', '') },
      unit: { ...CTX.unit!, text: GUIDE_UNIT.replace('Group=www-data\n', '') },
    };
    assert.deepEqual(fix('permission', ctx), [
      iniFile(`${GUIDE_INI.replace('chmod-socket = 664\n', '')}chmod-socket = 664\n`),
      unitFile(GUIDE_UNIT.replace('Group=www-data\n', '').replace('myapp.ini\n', 'myapp.ini\nGroup=www-data\n')),
      root('systemctl daemon-reload'),
      restartApp,
    ]);
  });

  it("permission under Upstart: setgid to nginx's group in the job", () => {
    const job = file(
      '/etc/init/myapp.conf',
      'description "uWSGI"\nsetuid demo\nsetgid demo\nexec uwsgi --ini myapp.ini\n',
    );
    const actions = fix('permission', {
      ...CTX,
      unit: undefined,
      upstartJob: job,
      service: { manager: 'upstart', name: 'myapp' },
    });
    assert.deepEqual(actions?.slice(1), [
      {
        kind: 'file',
        path: job.path,
        content: job.text.replace('setgid demo', 'setgid www-data'),
        owner: 'root',
        group: 'root',
        mode: 0o644,
      },
      root('restart myapp'),
    ]);
  });

  it('permission through a closed home directory: the socket moves to /run/myapp, nginx follows', () => {
    const ini = { ...CTX.ini!, text: GUIDE_INI.replace('/run/myapp/myapp.sock', '/home/demo/myapp/myapp.sock') };
    const unit = { ...CTX.unit!, text: GUIDE_UNIT.replace('RuntimeDirectory=myapp\n', '') };
    const site = {
      ...CTX.nginxSite!,
      text: GUIDE_SITE.replace('/run/myapp/myapp.sock', '/home/demo/myapp/myapp.sock'),
    };
    const facts = { socket: '/home/demo/myapp/myapp.sock', user: 'www-data', closedDir: '/home/demo' };
    assert.deepEqual(fix('permission', { ...CTX, ini, unit, nginxSite: site }, facts), [
      unitFile(
        GUIDE_UNIT.replace('RuntimeDirectory=myapp\n', '').replace(
          'myapp.ini\n',
          'myapp.ini\nRuntimeDirectory=myapp\n',
        ),
      ),
      iniFile(GUIDE_INI),
      siteFile(GUIDE_SITE),
      root('systemctl daemon-reload'),
      restartApp,
      reloadNginx,
    ]);
  });

  it('no socket: the service started and enabled; under /run without RuntimeDirectory=, that first', () => {
    assert.deepEqual(fix('no-socket'), [root('systemctl enable --now myapp')]);
    const unit = { ...CTX.unit!, text: GUIDE_UNIT.replace('RuntimeDirectory=myapp\n', '') };
    assert.deepEqual(fix('no-socket', { ...CTX, unit }), [
      unitFile(
        GUIDE_UNIT.replace('RuntimeDirectory=myapp\n', '').replace(
          '--ini /home/demo/myapp/myapp.ini\n',
          '--ini /home/demo/myapp/myapp.ini\nRuntimeDirectory=myapp\n',
        ),
      ),
      root('systemctl daemon-reload'),
      root('systemctl enable --now myapp'),
    ]);
    assert.deepEqual(fix('no-socket', { ...CTX, service: { manager: 'upstart', name: 'myapp' }, unit: undefined }), [
      root('start myapp'),
    ]);
  });

  it('refused: a restart; vacuum = true added where it is missing', () => {
    assert.deepEqual(fix('refused'), [restartApp]);
    const ini = { ...CTX.ini!, text: GUIDE_INI.replace('vacuum = true\n', '') };
    assert.deepEqual(fix('refused', { ...CTX, ini }), [
      iniFile(`${GUIDE_INI.replace('vacuum = true\n', '')}vacuum = true\n`),
      restartApp,
    ]);
  });

  it("no app: the module the doctor found importable, in place of the ini's", () => {
    assert.deepEqual(fix('no-app'), [iniFile(GUIDE_INI.replace('wsgi:application', 'wsgi:app')), restartApp]);
    assert.equal(fix('no-app', CTX, { module: 'wsgi:application' }), undefined, 'nothing found: no guess');
  });

  it('venv, apt-uwsgi, big headers, die-on-term: one setting in the ini, then a restart', () => {
    const added = (line: string) => iniFile(`${GUIDE_INI}${line}\n`);
    assert.deepEqual(fix('venv'), [added('home = /home/demo/myapp/myappenv'), restartApp]);
    assert.deepEqual(fix('apt-uwsgi'), [
      root('apt-get install -y uwsgi-plugin-python3'),
      added('plugins = python3'),
      restartApp,
    ]);
    assert.deepEqual(fix('big-headers'), [added('buffer-size = 32768'), restartApp]);
    const ini = { ...CTX.ini!, text: GUIDE_INI.replace('\ndie-on-term = true\n', '') };
    assert.deepEqual(fix('no-die-on-term', { ...CTX, ini }), [
      iniFile(
        GUIDE_INI.replace('\ndie-on-term = true\n', '').replace(
          'vacuum = true\n',
          'vacuum = true\ndie-on-term = true\n',
        ),
      ),
      restartApp,
    ]);
  });

  it("harakiri: below nginx's uwsgi_read_timeout; none when it already is (the request is slow)", () => {
    assert.deepEqual(fix('harakiri'), [iniFile(`${GUIDE_INI}harakiri = 50\n`), restartApp]);
    const equal = { ...CTX.ini!, text: `${GUIDE_INI}harakiri = 60\n` };
    assert.deepEqual(fix('harakiri', { ...CTX, ini: equal }), [iniFile(`${GUIDE_INI}harakiri = 50\n`), restartApp]);
    const below = { ...CTX.ini!, text: `${GUIDE_INI}harakiri = 30\n` };
    assert.equal(fix('harakiri', { ...CTX, ini: below }), undefined);
    assert.deepEqual([harakiriBelow(60), harakiriBelow(300), harakiriBelow(10), harakiriBelow(1)], [50, 290, 5, 1]);
  });

  it('str body: the returned literal made bytes', () => {
    assert.deepEqual(fix('str-body'), [
      {
        kind: 'file',
        path: '/home/demo/myapp/wsgi.py',
        content: GUIDE_WSGI.replace('return ["', 'return [b"'),
        owner: 'demo',
        group: 'demo',
        mode: 0o644,
      },
      restartApp,
    ]);
    const already = { ...CTX.wsgiFile!, text: GUIDE_WSGI.replace('return ["', 'return [b"') };
    assert.equal(fix('str-body', { ...CTX, wsgiFile: already }), undefined, 'no literal to change: no fix');
  });

  it("nginx's side: the site linked, the default site's link removed, the socket path, the body size", () => {
    assert.deepEqual(fix('site-disabled'), [
      root('ln -s /etc/nginx/sites-available/myapp /etc/nginx/sites-enabled/myapp'),
      reloadNginx,
    ]);
    assert.deepEqual(fix('default-site'), [root('rm /etc/nginx/sites-enabled/default'), reloadNginx]);
    const elsewhere = { ...CTX.nginxSite!, text: GUIDE_SITE.replace('/run/myapp/', '/home/demo/myapp/') };
    const paths = { nginxSocket: '/home/demo/myapp/myapp.sock', uwsgiSocket: '/run/myapp/myapp.sock' };
    assert.deepEqual(fix('socket-path-differs', { ...CTX, nginxSite: elsewhere }, paths), [
      siteFile(GUIDE_SITE),
      reloadNginx,
    ]);
    assert.equal(fix('socket-path-differs', CTX, { ...paths, uwsgiSocket: 'myapp.sock' }), undefined, 'relative');
    assert.deepEqual(fix('too-large'), [
      siteFile(
        GUIDE_SITE.replace('server_name example.com;', 'server_name example.com;\n    client_max_body_size 10m;'),
      ),
      reloadNginx,
    ]);
    assert.deepEqual([bodyLimitFor(4868), bodyLimitFor(30 * 1024 * 1024)], ['10m', '60m']);
  });

  it('unit-user: User= the account that owns the app; never root', () => {
    const unit = { ...CTX.unit!, text: GUIDE_UNIT.replace('User=demo', 'User=sammy') };
    assert.deepEqual(fix('unit-user', { ...CTX, unit }), [
      unitFile(GUIDE_UNIT),
      root('systemctl daemon-reload'),
      restartApp,
    ]);
    assert.equal(fix('unit-user', { ...CTX, unit, appOwner: 'root' }), undefined);
  });

  it("the test run left over: stopped as Ctrl-C would, then the service; Django's host added", () => {
    assert.deepEqual(fix('test-leftover'), [root('kill -INT 4242'), restartApp]);
    assert.deepEqual(fix('django-hosts')?.[0], {
      kind: 'file',
      path: '/home/demo/mysite/mysite/settings.py',
      content: "DEBUG = False\nALLOWED_HOSTS = ['localhost', 'example.com']\n",
      owner: 'root',
      group: 'root',
      mode: 0o644,
    });
    assert.equal(fix('django-hosts', CTX, { host: "x'); import os; ('" }), undefined, 'only a host name goes in');
  });

  it('uwsgi-to-http: the http-socket becomes a socket', () => {
    const ini = CONTEXT_OF['uwsgi-to-http']!.ini!;
    assert.deepEqual(fix('uwsgi-to-http', { ...CTX, ini }), [iniFile(GUIDE_INI), restartApp], 'in its place');
    const router = { ...ini, text: `${GUIDE_INI}http = :8080\n` };
    assert.equal(fix('uwsgi-to-http', { ...CTX, ini: router }), undefined, 'a uwsgi socket is there already');
  });

  it('without what it needs (no service to restart, no ini), the doctor offers no fix rather than half of one', () => {
    const bare: FixContext = { nginxUser: 'www-data', nginxGroup: 'www-data' };
    for (const cause of ['permission', 'no-app', 'venv', 'big-headers', 'harakiri', 'str-body', 'refused'] as const)
      assert.equal(fix(cause, bare), undefined, cause);
  });
});

describe('no fix opens anything to everyone', () => {
  const WORLD_COMMAND = /\bchmod\b.*(\b[0-7]?[0-7][0-7][2367]\b|[ao]\+[rx]*w)/;
  const WORLD_SETTING = /^\s*chmod-socket\s*=\s*(6[0-7]6|7[0-7]7|[0-7]*[2367])\s*$/m;

  it('no socket mode 666/777, no world-writable file or directory, for every cause and a context that had them', () => {
    const open: FixContext = {
      ...CTX,
      ini: { ...CTX.ini!, text: GUIDE_INI.replace('chmod-socket = 664', 'chmod-socket = 666') },
    };
    for (const ctx of [CTX, open])
      for (const cause of CAUSES) {
        for (const action of [...(fix(cause, ctx) ?? []), ...(fix(cause, CONTEXT_OF[cause] ?? ctx) ?? [])]) {
          if (action.kind === 'command') assert.doesNotMatch(action.command, WORLD_COMMAND, cause);
          else {
            assert.equal(action.mode & 0o002, 0, `${cause}: ${action.path} writable by all`);
            // A setting the person made stays theirs; the doctor never writes one of its own.
            if (action.path.endsWith('.ini') && WORLD_SETTING.test(action.content))
              assert.ok(WORLD_SETTING.test(ctx.ini!.text) && cause !== 'permission', cause);
          }
        }
      }
    const permission = fix('permission', open)!;
    assert.equal(permission[0]!.kind === 'file' && iniValue(permission[0]!.content, 'chmod-socket'), '664');
  });
});

describe('settings in an ini or a unit', () => {
  it('replaces the first, drops the repeats, or adds at the end of the section', () => {
    assert.equal(withSetting('[uwsgi]\na = 1\nb = 2\na = 3\n', 'uwsgi', 'a', '9'), '[uwsgi]\na = 9\nb = 2\n');
    assert.equal(
      withSetting('[uwsgi]\na = 1\n\n[other]\nx = 1\n', 'uwsgi', 'b', '2'),
      '[uwsgi]\na = 1\nb = 2\n\n[other]\nx = 1\n',
    );
    assert.equal(withSetting('[Unit]\nA=1\n', 'Service', 'User', 'demo', '='), '[Unit]\nA=1\n\n[Service]\nUser=demo\n');
    assert.equal(iniValue('[uwsgi]\nsocket = a.sock\n[x]\nsocket = b\n', 'socket'), 'a.sock');
  });
});
