// The doctor's judgement (issue 16) on surveys made from the wizard's own files (test/doctor-surveys.ts):
// healthy, then one thing changed at a time, each named as its cause at its layer, the layers after
// it not judged, and the fix made from the files as they are. The real machine's version of each is
// test/e2e/doctor.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose } from '../../src/engine/doctor/diagnose.js';
import { causeSaid } from '../../src/ui/doctor-text.js';
import type { DoctorSurvey } from '../../src/engine/doctor/survey.js';
import { mergeOptions } from '../../src/engine/doctor/pairing.js';
import { parseUwsgiArgs, parseUwsgiIni } from '../../src/engine/doctor/uwsgi-config.js';
import {
  type Changes,
  DEMO,
  dir,
  INI,
  PLACE,
  SITE,
  SOCKET_755,
  SOCKET_PARTS,
  survey,
  WSGI,
} from '../doctor-surveys.js';

function firstOf(changes: Changes | DoctorSurvey) {
  const report = diagnose('place' in changes ? changes : survey(changes));
  assert.equal(report.healthy, false, 'something is found');
  const failed = report.layers.filter((l) => l.state === 'failed').map((l) => l.layer);
  assert.equal(failed.length, 1, 'the walk stops at one failed layer');
  const after = report.layers.slice(report.layers.findIndex((l) => l.state === 'failed') + 1);
  assert.ok(
    after.every((l) => l.state === 'not-checked'),
    'the layers after it are not judged',
  );
  return report.findings[0]!;
}

describe("the doctor's judgement", () => {
  it("the wizard's site as it leaves it: healthy, every layer passed, nothing found", () => {
    const report = diagnose(survey());
    assert.deepEqual(report.findings, []);
    assert.equal(report.healthy, true);
    assert.ok(report.layers.every((l) => l.state === 'ok'));
  });

  it('nginx stopped: nginx-down, fixed by starting it', () => {
    const found = firstOf({ nginxRunning: false });
    assert.equal(found.cause, 'nginx-down');
    assert.deepEqual(found.fix, [{ kind: 'command', command: 'service nginx start', asRoot: true }]);
  });

  it('nginx -t failing on a duplicate listen: listen-dup with the file and address nginx names, no fix', () => {
    const output = ['nginx: [emerg] duplicate listen options for [::]:80 in /etc/nginx/sites-enabled/x:3'];
    const found = firstOf({ nginxTest: { exitCode: 1, output } });
    assert.equal(found.cause, 'listen-dup');
    assert.deepEqual([found.facts.address, found.facts.file], ['[::]:80', '/etc/nginx/sites-enabled/x']);
    assert.equal(found.fix, undefined);
  });

  it("the site's link gone: site-disabled, fixed by linking it and reloading nginx", () => {
    const found = firstOf({ enabled: false });
    assert.equal(found.cause, 'site-disabled');
    assert.equal(
      found.fix?.[0]?.kind === 'command' && found.fix[0].command,
      `ln -s ${PLACE.siteAvailable} ${PLACE.siteEnabled}`,
    );
  });

  it('no site at all for the app (never set up, or another name): no-site, no fix', () => {
    const s = survey({ enabled: false });
    s.nginx.sitesAvailable = ['default'];
    const found = firstOf(s);
    assert.equal(found.cause, 'no-site');
    assert.equal(found.fix, undefined);
  });

  it('another server_name: the default site catches the name (default-site), its link removed as the fix', () => {
    const found = firstOf({ site: SITE.replace('server_name example.com;', 'server_name other.test;') });
    assert.equal(found.cause, 'default-site');
    assert.equal(found.layer, 'route');
    assert.equal(found.facts.defaultSiteLink, '/etc/nginx/sites-enabled/default');
  });

  it("the site as certbot's nginx plugin leaves it (issue 18): port 80's 301 is its redirect, not a broken route", () => {
    // certbot --nginx --redirect: the app's block moved to 443, a block of its own answering port 80 with the 301.
    const https = SITE.replace(/^\s*listen 80;\n/m, '').replace(
      /\n}\s*$/,
      [
        '',
        '    listen 443 ssl; # managed by Certbot',
        '    ssl_certificate /etc/letsencrypt/live/example.com/fullchain.pem; # managed by Certbot',
        '    ssl_certificate_key /etc/letsencrypt/live/example.com/privkey.pem; # managed by Certbot',
        '}',
        'server {',
        '    if ($host = example.com) {',
        '        return 301 https://$host$request_uri;',
        '    } # managed by Certbot',
        '    listen 80;',
        '    server_name example.com;',
        '    return 404; # managed by Certbot',
        '}',
        '',
      ].join('\n'),
    );
    assert.match(https, /listen 443 ssl;[\s\S]*listen 80;/, 'the app block on 443, the redirect on 80');
    const report = diagnose(survey({ site: https, page: { status: 301, body: '' } }));
    assert.deepEqual(report.findings, []);
    assert.equal(report.healthy, true);
  });

  it('uwsgi_pass to another path: socket-path-differs naming both paths, the site pointed at uWSGI’s', () => {
    const found = firstOf({ site: SITE.replace('unix:/run/myapp/myapp.sock', 'unix:/run/myapp/other.sock') });
    assert.equal(found.cause, 'socket-path-differs');
    assert.deepEqual(
      [found.facts.nginxSocket, found.facts.uwsgiSocket],
      ['/run/myapp/other.sock', '/run/myapp/myapp.sock'],
    );
    const written = found.fix?.find((a) => a.kind === 'file');
    assert.ok(written?.kind === 'file' && written.content.includes('unix:/run/myapp/myapp.sock'));
  });

  it('uWSGI stopped and its socket gone: no-socket, fixed by starting uWSGI as the wizard did', () => {
    const gone = [...SOCKET_PARTS.slice(0, 3), { ...SOCKET_PARTS[3]!, type: 'missing' as const }];
    const found = firstOf({ running: false, socketParts: gone });
    assert.equal(found.cause, 'no-socket');
    assert.ok(found.fix?.some((a) => a.kind === 'command' && a.command === PLACE.start));
  });

  it('a socket file left with nothing listening: refused', () => {
    assert.equal(firstOf({ running: false, listening: false }).cause, 'refused');
  });

  it('a socket of mode 755: permission at the socket, fixed by chmod-socket = 664 and a restart', () => {
    const parts = [...SOCKET_PARTS.slice(0, 3), { ...SOCKET_PARTS[3]!, mode: 0o755 }];
    const found = firstOf({ socketParts: parts });
    assert.equal(found.cause, 'permission');
    assert.equal(found.facts.closedDir, undefined);
    // The ini says chmod-socket = 664 already (the socket's mode changed after uWSGI made it): the
    // restart alone, no write of the ini that changes nothing (seen in tmux: shown as a write, no diff).
    assert.equal(
      found.fix?.some((a) => a.kind === 'file'),
      false,
    );
    assert.equal(found.fix?.at(-1)?.kind, 'command', 'uWSGI restarted');
    const ini = firstOf(SOCKET_755).fix?.find((a) => a.kind === 'file');
    assert.ok(ini?.kind === 'file' && /^chmod-socket = 664$/m.test(ini.content), 'without it, the ini gains it');
    // No service manager here: the fix's words say what it does on this machine, not a unit's Group=.
    const said = causeSaid(found, 'en').fix ?? '';
    assert.match(said, /uWSGI is started again as the wizard starts it, in nginx's group/);
    assert.doesNotMatch(said, /Group=/);
    assert.doesNotMatch(causeSaid(found, 'ja').fix ?? '', /Group=/);
    // Under systemd, the unit's Group= is what lets nginx's group in, and its words say so.
    const underSystemd = survey({ socketParts: parts });
    underSystemd.place = { ...underSystemd.place, serviceManager: 'systemd' };
    underSystemd.files.push({
      path: '/etc/systemd/system/myapp.service',
      text: '[Service]\nUser=demo\nGroup=demo\nExecStart=/home/demo/myapp/myappenv/bin/uwsgi --ini /home/demo/myapp/myapp.ini\n',
      owner: 'root',
      group: 'root',
      mode: 0o644,
      mtimeMs: 0,
    });
    const systemd = firstOf(underSystemd);
    assert.ok(systemd.fix?.some((a) => a.kind === 'file' && /^Group=www-data$/m.test(a.content)));
    assert.match(causeSaid(systemd, 'en').fix ?? '', /\(the unit's Group=\)/);
  });

  it("nginx running as an account outside the web server's group: permission, and no fix to make", () => {
    const s = survey();
    s.nginx.workerUser = { name: 'nobody', uid: 65534, gids: [65534] };
    const found = firstOf(s);
    assert.equal(found.cause, 'permission');
    assert.deepEqual(
      [found.facts.user, found.facts.outsideGroup, found.facts.closedDir],
      ['nobody', 'www-data', undefined],
    );
    assert.equal(found.evidence[0]?.kind === 'stat' && found.evidence[0].path, '/run/myapp');
    assert.equal(found.fix, undefined);
  });

  it('a closed home on the way: permission naming the directory; the socket moves to /run on both sides', () => {
    const sock = '/home/demo/myapp/myapp.sock';
    const parts = [
      dir('/', 0o755),
      dir('/home', 0o755),
      dir('/home/demo', 0o700, DEMO, DEMO),
      dir('/home/demo/myapp', 0o755, DEMO, DEMO),
      { ...SOCKET_PARTS[3]!, path: sock },
    ];
    // The guide's place for the socket, beside the app; the survey looks at that path.
    const s = survey({
      ini: INI.replace('/run/myapp/myapp.sock', sock),
      site: SITE.replace('unix:/run/myapp/myapp.sock', `unix:${sock}`),
    });
    s.sockets = [{ path: sock, parts, listening: true }];
    const found = firstOf(s);
    assert.equal(found.cause, 'permission');
    assert.equal(found.facts.closedDir, '/home/demo');
    const files = found.fix?.filter((a) => a.kind === 'file') ?? [];
    assert.equal(files.length, 2, 'the ini and the site');
    assert.ok(files.every((f) => f.kind === 'file' && f.content.includes('/run/myapp/myapp.sock')));
  });

  it('uWSGI could not bind (its log says so): bind-denied, not merely no-socket', () => {
    const gone = [
      ...SOCKET_PARTS.slice(0, 2),
      dir('/run/myapp', 0o755),
      { ...SOCKET_PARTS[3]!, type: 'missing' as const },
    ];
    const log = ['*** Starting uWSGI 2.0.28 (64bit) on [x] ***', 'bind(): Permission denied [core/socket.c line 230]'];
    assert.equal(firstOf({ running: false, socketParts: gone, uwsgiLog: log }).cause, 'bind-denied');
  });

  it("the app's module missing: no-app, the ini's module set to the guide's wsgi:application", () => {
    const ini = INI.replace('module = wsgi:application', 'module = wsgii:application');
    const found = firstOf({
      ini,
      appImport: { exitCode: 1, output: ["ModuleNotFoundError: No module named 'wsgii'"] },
    });
    assert.equal(found.cause, 'no-app');
    assert.equal(found.facts.suggestedModule, 'wsgi:application');
  });

  it('a package the app imports missing: venv, no fix', () => {
    const found = firstOf({ appImport: { exitCode: 1, output: ["ModuleNotFoundError: No module named 'flask'"] } });
    assert.equal(found.cause, 'venv');
    assert.equal(found.facts.module, 'flask');
  });

  it("a str body: str-body, wsgi.py's body made bytes", () => {
    const wsgi = WSGI.replace('return [b"', 'return ["');
    const log = ['*** Starting uWSGI 2.0.28 (64bit) on [x] ***', "[ERROR] Unhandled object from iterator: '<h1>'"];
    const found = firstOf({
      wsgi,
      uwsgiLog: log,
      socketAnswer: { status: 200, body: '' },
      page: { status: 200, body: '' },
    });
    assert.equal(found.cause, 'str-body');
    const written = found.fix?.find((a) => a.kind === 'file');
    assert.ok(written?.kind === 'file' && written.content.includes('return [b"'));
  });

  it('a fix that restarts a uWSGI started by hand in a shell: its master stopped by its pid, waited for, then started as the wizard does', () => {
    const strBody = {
      wsgi: WSGI.replace('return [b"', 'return ["'),
      uwsgiLog: ['*** Starting uWSGI 2.0.28 (64bit) on [x] ***', "[ERROR] Unhandled object from iterator: '<h1>'"],
      socketAnswer: { status: 200, body: '' },
      page: { status: 200, body: '' },
    };
    /** uWSGI's master 4000 (its parent the shell, 3999) and its workers, started with these arguments. */
    const startedWith = (ini: string, ...args: string[]): DoctorSurvey => {
      const seen = survey({ ...strBody, ini });
      const argv = ['/home/demo/myapp/myappenv/bin/uwsgi', '--ini', 'myapp.ini', ...args];
      const options = parseUwsgiIni(ini, { path: PLACE.ini });
      const extra = parseUwsgiArgs(argv);
      seen.uwsgi.instances[0]!.options = { ...mergeOptions(extra, options), inis: [PLACE.ini] };
      seen.uwsgi.processes = [4000, 4001, 4002].map((pid) => ({
        pid,
        ppid: pid === 4000 ? 3999 : 4000,
        argv,
        user: 'demo',
      }));
      return seen;
    };
    const commands = (seen: DoctorSurvey) =>
      firstOf(seen).fix?.flatMap((a) => (a.kind === 'command' ? [a.command] : [])) ?? [];
    const wait = 'while kill -0 4000 2>/dev/null; do sleep 0.2; done';
    // No uWSGI runs with the wizard's pidfile: its stop is left out (it would only say `cat: …pid: No such file`).
    assert.deepEqual(commands(startedWith(INI)), [`kill -TERM 4000 && ${wait}`, PLACE.start]);
    // Without die-on-term uWSGI 2.0 takes SIGTERM as "reload": SIGINT ends it.
    assert.equal(commands(startedWith(INI.replace(/^die-on-term = true\n/m, '')))[0], `kill -INT 4000 && ${wait}`);
    const stop = firstOf(startedWith(INI)).fix?.[1];
    assert.ok(stop?.kind === 'command' && stop.stopsByHand === 4000, 'its words say it was started by hand');
    // Started by the wizard's line, with its pidfile: the wizard's stop reaches it.
    assert.deepEqual(commands(startedWith(INI, '--pidfile', PLACE.pidFile)), [`${PLACE.stop} || true`, PLACE.start]);
  });

  it("home naming no virtualenv: uWSGI stopped as Python could not start; venv, the ini's home set to the app's venv", () => {
    const wrong = '/home/demo/myapp/wrongenv';
    const ini = INI.replace('[uwsgi]\n', `[uwsgi]\nhome = ${wrong}\n`);
    const log = [
      '*** Starting uWSGI 2.0.31 (64bit) on [Tue Nov 24 03:47:14 2026] ***',
      `Set PythonHome to ${wrong}`,
      'Fatal Python error: init_fs_encoding: failed to get the Python codec of the filesystem encoding',
      "ModuleNotFoundError: No module named 'encodings'",
    ];
    // The socket stays, bound before Python started, and nothing listens on it; or it is gone.
    const gone = [...SOCKET_PARTS.slice(0, 3), { ...SOCKET_PARTS[3]!, type: 'missing' as const }];
    for (const changes of [
      { running: false, uwsgiLog: log, ini },
      { running: false, uwsgiLog: log, ini, socketParts: gone },
    ]) {
      const found = firstOf(changes);
      assert.deepEqual([found.cause, found.layer, found.facts.home], ['venv', 'socket', wrong]);
      assert.ok(found.evidence.some((e) => e.kind === 'log-line' && /No module named 'encodings'/.test(e.line)));
      assert.ok(found.evidence.some((e) => e.kind === 'config' && e.text === `home = ${wrong}`));
      const written = found.fix?.find((a) => a.kind === 'file');
      assert.ok(
        written?.kind === 'file' && written.content.includes(`home = ${PLACE.venv}\n`),
        JSON.stringify(found.fix),
      );
      assert.doesNotMatch(written.content, /wrongenv/);
      assert.match(
        causeSaid(found, 'en').what,
        /^uWSGI cannot start Python: home = \/home\/demo\/myapp\/wrongenv is not/,
      );
      assert.match(causeSaid(found, 'ja').what, /home = \/home\/demo\/myapp\/wrongenv は仮想環境ではありません/);
    }
  });

  it("apt's uWSGI without its Python plugin: apt-uwsgi at uWSGI, fixed here by starting the venv's uWSGI as the wizard does", () => {
    const log = [
      '*** Starting uWSGI 2.0.21-debian (64bit) on [Tue Nov 24 03:47:14 2026] ***',
      '!!!!!!!!!!!!!! WARNING !!!!!!!!!!!!!!',
      'no request plugin is loaded, you will not be able to manage requests.',
      'you may need to install the package for your language of choice, or simply load it with --plugin.',
      '-- unavailable modifier requested: 0 --',
    ];
    const found = firstOf({
      uwsgiLog: log,
      socketAnswer: { error: 'closed', body: '' },
      page: { status: 502, body: '' },
    });
    assert.deepEqual([found.cause, found.layer], ['apt-uwsgi', 'uwsgi']);
    assert.deepEqual(
      found.evidence.map((e) => e.kind === 'log-line' && e.line),
      [log[2], log[4]],
    );
    assert.deepEqual(found.fix, [
      { kind: 'command', command: `${PLACE.stop} || true`, asRoot: true },
      { kind: 'command', command: PLACE.start, asRoot: true },
    ]);
    assert.match(causeSaid(found, 'en').fix ?? '', /starts the uWSGI of the app's virtualenv/);
    // A plugin the venv's uWSGI could not load is no harm: Python is built in.
    const unloadable = '!!! UNABLE to load uWSGI plugin: ./python3_plugin.so: cannot open shared object file !!!';
    assert.equal(diagnose(survey({ uwsgiLog: [log[0]!, unloadable] })).healthy, true);
  });

  it('proxy_pass to the uwsgi socket: http-to-uwsgi, the site given uwsgi_pass again', () => {
    const site = SITE.replace(
      /include\s+uwsgi_params;\s*\n\s*uwsgi_pass\s+unix:([^;]+);/,
      'proxy_pass http://unix:$1:/;',
    );
    const found = firstOf({ site });
    assert.equal(found.cause, 'http-to-uwsgi');
    const written = found.fix?.find((a) => a.kind === 'file');
    assert.ok(written?.kind === 'file' && /uwsgi_pass unix:\/run\/myapp\/myapp\.sock;/.test(written.content));
    assert.doesNotMatch(written.content, /proxy_pass/);
  });

  it('http-socket in the ini where nginx uses uwsgi_pass: uwsgi-to-http, the ini given socket again', () => {
    const found = firstOf({ ini: INI.replace('socket = /run', 'http-socket = /run') });
    assert.equal(found.cause, 'uwsgi-to-http');
    const written = found.fix?.find((a) => a.kind === 'file');
    assert.ok(written?.kind === 'file' && /^socket = \/run\/myapp\/myapp\.sock$/m.test(written.content));
  });

  it('lines since the last start: big headers and a too large body, while the plain page answers', () => {
    const report = diagnose(
      survey({
        uwsgiLog: [
          '*** Starting uWSGI 2.0.28 (64bit) on [x] ***',
          'invalid request block size: 5369 (max 4096)...skip',
        ],
        nginxLog: [
          '2026/11/24 00:30:06 [error] 1#1: *9 client intended to send too large body: 2097152 bytes, client: 127.0.0.1, server: example.com, request: "POST / HTTP/1.1", host: "example.com"',
        ],
      }),
    );
    assert.deepEqual(report.findings.map((f) => f.cause).sort(), ['big-headers', 'too-large']);
    assert.ok(report.findings.every((f) => f.fix && f.evidence.length > 0));
  });

  it("nginx turned requests away, the socket's listen queue full: queue-full, with nginx's line, and no fix", () => {
    const busy =
      '2026/11/24 04:00:00 [error] 812#812: *9 connect() to unix:/run/myapp/myapp.sock failed (11: Resource temporarily unavailable) while connecting to upstream, client: 127.0.0.1, server: example.com, request: "GET / HTTP/1.1", upstream: "uwsgi://unix:/run/myapp/myapp.sock:", host: "example.com"';
    // The burst over, the page answers again: what the log says is the finding.
    const found = firstOf({ nginxLog: [busy] });
    assert.deepEqual([found.cause, found.layer, found.facts.socket], ['queue-full', 'page', '/run/myapp/myapp.sock']);
    assert.equal(found.evidence[0]?.kind === 'log-line' && found.evidence[0].line, busy);
    assert.equal(found.fix, undefined);
    // Still turned away as the doctor asks: the same finding, not an unexplained 502.
    assert.equal(firstOf({ nginxLog: [busy], page: { status: 502, body: 'Bad Gateway' } }).cause, 'queue-full');
  });

  it('harakiri in the log: harakiri at the uWSGI layer, with the line', () => {
    const log = ['*** Starting uWSGI 2.0.28 (64bit) on [x] ***', '*** HARAKIRI ON WORKER 1 (pid: 4001, try: 1) ***'];
    const found = firstOf({ uwsgiLog: log, socketAnswer: { error: 'closed', body: '' } });
    assert.equal(found.cause, 'harakiri');
    assert.equal(found.evidence[0]?.kind === 'log-line' && found.evidence[0].line, log[1]);
  });
});
