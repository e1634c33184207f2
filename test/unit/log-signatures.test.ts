// The doctor's log signatures (issue 16), on lines uWSGI 2.0.21 and nginx 1.22 really wrote on this
// machine (paths, pids and times as they were), and on the lines of failures.md this machine cannot
// make (Django, systemd, an older Python). test/content/log-signatures-live.test.ts makes the
// commonest ones again on every run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  httpMethodReadAsSize,
  matchLogs,
  nginxLinesSince,
  sinceLastUwsgiStart,
  type LogMatch,
} from '../../src/engine/doctor/log-signatures.js';

/** The one match of a single line, as the matcher read it. */
function only(line: string, source: Parameters<typeof matchLogs>[1]): LogMatch {
  const matches = matchLogs([line], source);
  assert.equal(matches.length, 1, `one match for: ${line}\n${JSON.stringify(matches)}`);
  return matches[0]!;
}

const NGINX = {
  missing:
    '2026/11/24 00:27:34 [crit] 21806#21806: *1 connect() to unix:/tmp/de-exp/missing.sock failed (2: No such file or directory) while connecting to upstream, client: 127.0.0.1, server: , request: "GET / HTTP/1.1", upstream: "uwsgi://unix:/tmp/de-exp/missing.sock:", host: "127.0.0.1:18440"',
  refused:
    '2026/11/24 00:27:34 [error] 21806#21806: *3 connect() to unix:/tmp/de-exp/stale.sock failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: , request: "GET / HTTP/1.1", upstream: "uwsgi://unix:/tmp/de-exp/stale.sock:", host: "127.0.0.1:18441"',
  denied:
    '2026/11/24 00:27:26 [crit] 21513#21513: *5 connect() to unix:/tmp/de-exp/ok.sock failed (13: Permission denied) while connecting to upstream, client: 127.0.0.1, server: , request: "GET / HTTP/1.1", upstream: "uwsgi://unix:/tmp/de-exp/ok.sock:", host: "127.0.0.1:18442"',
  timedOut:
    '2026/11/24 00:27:35 [error] 21806#21806: *5 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 127.0.0.1, server: , request: "GET / HTTP/1.1", upstream: "uwsgi://unix:/tmp/de-exp/slow.sock", host: "127.0.0.1:18443"',
  closedEarly:
    '2026/11/24 00:27:39 [error] 21806#21806: *7 upstream prematurely closed connection while reading response header from upstream, client: 127.0.0.1, server: , request: "GET / HTTP/1.1", upstream: "uwsgi://unix:/tmp/de-exp/slow.sock:", host: "127.0.0.1:18444"',
  reset:
    '2026/11/24 00:27:39 [error] 21806#21806: *9 recv() failed (104: Connection reset by peer) while reading response header from upstream, client: 127.0.0.1, server: , request: "GET / HTTP/1.1", upstream: "uwsgi://unix:/tmp/de-exp/slow.sock:", host: "127.0.0.1:18444"',
  tooLarge:
    '2026/11/24 00:27:26 [error] 21513#21513: *11 client intended to send too large body: 4868 bytes, client: 127.0.0.1, server: , request: "POST / HTTP/1.1", host: "127.0.0.1:18443"',
  // From failures.md: a full backlog, and certbot's second `listen [::]:80 ipv6only=on`.
  busy: '2024/03/01 10:00:00 [error] 812#812: *9 connect() to unix:/run/myapp/myapp.sock failed (11: Resource temporarily unavailable) while connecting to upstream, client: 203.0.113.9, server: example.com, request: "GET / HTTP/1.1", upstream: "uwsgi://unix:/run/myapp/myapp.sock:", host: "example.com"',
  listenDup:
    '2024/03/01 10:00:00 [emerg] 812#812: duplicate listen options for [::]:80 in /etc/nginx/sites-enabled/myapp:3',
};

describe('nginx error.log signatures', () => {
  it('connect() failed names the cause by its errno, and the socket', () => {
    const cases: [string, string, string][] = [
      [NGINX.denied, 'permission', '13'],
      [NGINX.missing, 'no-socket', '2'],
      [NGINX.refused, 'refused', '111'],
      [NGINX.busy, 'queue-full', '11'],
    ];
    for (const [line, cause, errno] of cases) {
      const match = only(line, 'nginx');
      assert.equal(match.cause, cause, line);
      assert.equal(match.facts.errno, errno);
      assert.match(match.facts.socket!, /^\/(tmp|run)\/.*\.sock$/, 'the path without unix:');
    }
    const denied = only(NGINX.denied, 'nginx');
    assert.deepEqual(
      { socket: denied.facts.socket, host: denied.facts.host, request: denied.facts.request },
      { socket: '/tmp/de-exp/ok.sock', host: '127.0.0.1:18442', request: 'GET / HTTP/1.1' },
    );
    assert.deepEqual(only(NGINX.missing, 'nginx').alsoMeans, ['socket-path-differs']);
  });

  it('a TCP upstream is an address, not a socket path', () => {
    const line =
      '2024/03/01 10:00:00 [error] 812#812: *1 connect() failed (111: Connection refused) while connecting to upstream';
    assert.deepEqual(matchLogs([line], 'nginx'), [], 'no "to …": not this signature');
    const tcp = only(line.replace('connect() failed', 'connect() to [::1]:8000 failed'), 'nginx');
    assert.deepEqual([tcp.cause, tcp.facts.address, tcp.facts.socket], ['refused', '[::1]:8000', undefined]);
  });

  it('a timeout, a closed connection and a reset name the slow worker, the mismatch and the big header', () => {
    assert.equal(only(NGINX.timedOut, 'nginx').cause, 'harakiri');
    const closed = only(NGINX.closedEarly, 'nginx');
    assert.deepEqual([closed.cause, closed.alsoMeans], ['harakiri', ['uwsgi-to-http']]);
    const reset = only(NGINX.reset, 'nginx');
    assert.deepEqual([reset.cause, reset.facts.errno], ['big-headers', '104']);
  });

  it('too large a body, and a duplicate listen, with their particulars', () => {
    const large = only(NGINX.tooLarge, 'nginx');
    assert.deepEqual([large.cause, large.facts.bytes, large.facts.request], ['too-large', '4868', 'POST / HTTP/1.1']);
    const dup = only(NGINX.listenDup, 'nginx');
    assert.deepEqual(
      [dup.cause, dup.facts.address, dup.facts.file, dup.facts.fileLine],
      ['listen-dup', '[::]:80', '/etc/nginx/sites-enabled/myapp', '3'],
    );
    assert.equal(
      only('nginx: [emerg] duplicate listen options for [::]:80 in /etc/nginx/sites-enabled/default:22', 'nginx').cause,
      'listen-dup',
      'as nginx -t prints it',
    );
  });

  it("nginx's signatures are not looked for in uWSGI's log, nor uWSGI's in nginx's", () => {
    assert.deepEqual(matchLogs([NGINX.denied], 'uwsgi'), []);
    assert.deepEqual(
      matchLogs(['--- no python application found, check your startup logs for errors ---'], 'nginx'),
      [],
    );
  });
});

/** uWSGI 2.0.21 started with `--module nosuch:application`, then asked once in the uwsgi protocol and four times in HTTP. */
const WRONG_MODULE = [
  '*** Starting uWSGI 2.0.21-debian (64bit) on [Tue Nov 24 00:26:32 2026] ***',
  'detected binary path: /var/cache/uwsgi-nginx-guide-ci/validators/9025f801caad/root/usr/bin/uwsgi-core',
  'uwsgi socket 0 bound to UNIX address /tmp/de-exp/a.sock fd 3',
  'Python version: 3.11.2 (main, Apr 28 2025, 14:11:48) [GCC 12.2.0]',
  '*** Operational MODE: single process ***',
  "ModuleNotFoundError: No module named 'nosuch'",
  "unable to load app 0 (mountpoint='') (callable not found or import error)",
  '*** no app loaded. going in full dynamic mode ***',
  'spawned uWSGI master process (pid: 19513)',
  'spawned uWSGI worker 1 (pid: 19515, cores: 1)',
  '--- no python application found, check your startup logs for errors ---',
  '[pid: 19515|app: -1|req: -1/1] 127.0.0.1 () {16 vars in 149 bytes} [Tue Nov 24 00:26:34 2026] GET  => generated 21 bytes in 4 msecs (HTTP/1.1 500) 2 headers in 83 bytes (0 switches on core 0)',
  'invalid request block size: 21573 (max 4096)...skip',
  'invalid request block size: 21327 (max 4096)...skip',
  'invalid request block size: 16709 (max 4096)...skip',
  'invalid request block size: 4437 (max 4096)...skip',
  '...brutally killing workers...',
  'worker 1 buried after 1 seconds',
  'binary reloading uWSGI...',
];

describe("uWSGI's log signatures", () => {
  it('a wrong module: the missing module, then no app, in the order written', () => {
    const matches = matchLogs(WRONG_MODULE, 'uwsgi');
    assert.deepEqual(
      matches.map((m) => [m.index, m.signature, m.cause]),
      [
        [5, 'uwsgi-module-missing', 'no-app'],
        [6, 'uwsgi-app-not-loaded', 'no-app'],
        [7, 'uwsgi-no-app-dynamic', 'no-app'],
        [10, 'uwsgi-no-python-app', 'no-app'],
        [12, 'uwsgi-http-spoken', 'http-to-uwsgi'],
        [13, 'uwsgi-http-spoken', 'http-to-uwsgi'],
        [14, 'uwsgi-http-spoken', 'http-to-uwsgi'],
        [15, 'uwsgi-block-too-big', 'big-headers'],
        [16, 'uwsgi-reload-on-term', 'no-die-on-term'],
      ],
    );
    assert.deepEqual([matches[0]!.facts.module, matches[0]!.context], ['nosuch', undefined]);
    assert.deepEqual(
      matches.slice(4, 7).map((m) => m.facts.method),
      ['GET', 'POST', 'HEAD'],
    );
    assert.deepEqual([matches[7]!.facts.size, matches[7]!.facts.max], ['4437', '4096']);
  });

  it('"GET", "POST", "HEAD" read as a size are known; a real header size is not taken for HTTP', () => {
    assert.equal(httpMethodReadAsSize(21573), 'GET');
    assert.equal(httpMethodReadAsSize(21327), 'POST');
    assert.equal(httpMethodReadAsSize(16709), 'HEAD');
    assert.equal(httpMethodReadAsSize('U'.charCodeAt(0) + 'T'.charCodeAt(0) * 256), 'PUT');
    for (const size of [4437, 5228, 8192, 32769, 70000]) assert.equal(httpMethodReadAsSize(size), undefined);
  });

  it("an import failing inside the app's file: the traceback comes with it, and the venv is the cause", () => {
    const lines = [
      '*** Operational MODE: single process ***',
      'Traceback (most recent call last):',
      '  File "/tmp/de-exp/brokenapp.py", line 1, in <module>',
      '    import helper_missing',
      "ModuleNotFoundError: No module named 'helper_missing'",
      "unable to load app 0 (mountpoint='') (callable not found or import error)",
      '*** no app loaded. GAME OVER ***',
    ];
    const [missing, notLoaded, gameOver] = matchLogs(lines, 'uwsgi');
    assert.equal(missing!.cause, 'venv');
    assert.deepEqual(missing!.context, lines.slice(1, 4));
    assert.deepEqual(
      [missing!.facts.module, missing!.facts.file, missing!.facts.fileLine],
      ['helper_missing', '/tmp/de-exp/brokenapp.py', '1'],
    );
    assert.equal(notLoaded!.signature, 'uwsgi-app-not-loaded');
    assert.equal(gameOver!.signature, 'uwsgi-no-app-game-over');
  });

  it('Python 2\'s "ImportError: No module named flask" is known too', () => {
    const lines = ['Traceback (most recent call last):', '  File "wsgi.py", line 1, in <module>', '    import flask'];
    const match = matchLogs([...lines, 'ImportError: No module named flask'], 'uwsgi').at(-1)!;
    assert.deepEqual([match.cause, match.facts.module], ['venv', 'flask']);
  });

  it("another exception while importing the app: no app, with Python's traceback", () => {
    const lines = [
      'Traceback (most recent call last):',
      '  File "/home/demo/myapp/wsgi.py", line 3, in <module>',
      '    app = create_app()',
      '  File "/home/demo/myapp/app.py", line 9, in create_app',
      "    raise KeyError('SECRET_KEY')",
      "KeyError: 'SECRET_KEY'",
      "unable to load app 0 (mountpoint='') (callable not found or import error)",
    ];
    const [exception] = matchLogs(lines, 'uwsgi');
    assert.deepEqual(
      [exception!.signature, exception!.cause, exception!.facts.exception, exception!.facts.fileLine],
      ['uwsgi-app-exception', 'no-app', 'KeyError', '9'],
    );
    assert.equal(exception!.context!.length, 5);
    assert.deepEqual(matchLogs(['ValueError: a message without a traceback is not the import'], 'uwsgi'), []);
  });

  it('a virtualenv that is not there: "Set PythonHome" then no encodings (Python 3) or site (Python 2)', () => {
    const lines = [
      '!!! Python Home is not a directory: /tmp/de-exp/nosuchenv !!!',
      'Set PythonHome to /tmp/de-exp/nosuchenv',
      'Fatal Python error: init_fs_encoding: failed to get the Python codec of the filesystem encoding',
      'Python runtime state: core initialized',
      "ModuleNotFoundError: No module named 'encodings'",
    ];
    const [home] = matchLogs(lines, 'uwsgi');
    assert.deepEqual(
      [home!.cause, home!.facts.home, home!.facts.module],
      ['venv', '/tmp/de-exp/nosuchenv', 'encodings'],
    );
    const py2 = matchLogs(['Set PythonHome to /home/demo/myappenv', 'ImportError: No module named site'], 'uwsgi');
    assert.deepEqual([py2[0]!.signature, py2[0]!.facts.home], ['uwsgi-python-home', '/home/demo/myappenv']);
  });

  it("apt's modular uWSGI without its Python plugin, four ways", () => {
    const core = '/var/cache/uwsgi-nginx-guide-ci/validators/9025f801caad/root/usr/bin/uwsgi-core';
    const lines = [
      `${core}: unrecognized option '--wsgi-file'`,
      "/usr/bin/uwsgi: unrecognized option '--module'",
      'no request plugin is loaded, you will not be able to manage requests.',
      '-- unavailable modifier requested: 0 --',
      '!!! UNABLE to load uWSGI plugin: /usr/lib/uwsgi/plugins/python3_plugin.so: cannot open shared object file: No such file or directory !!!',
    ];
    const matches = matchLogs(lines, 'uwsgi');
    assert.deepEqual(
      matches.map((m) => m.cause),
      ['apt-uwsgi', 'apt-uwsgi', 'apt-uwsgi', 'apt-uwsgi', 'apt-uwsgi'],
    );
    assert.deepEqual([matches[0]!.facts.option, matches[0]!.facts.binary], ['--wsgi-file', core]);
    assert.equal(matches[1]!.facts.option, '--module');
    assert.equal(matches[3]!.facts.modifier, '0');
    assert.equal(matches[4]!.facts.plugin, '/usr/lib/uwsgi/plugins/python3_plugin.so');
    assert.deepEqual(matchLogs(["uwsgi: unrecognized option '--chmod-sockets'"], 'uwsgi'), [], 'a typo is not this');
  });

  it('harakiri: the worker and its pid, then the kill', () => {
    const lines = [
      'Tue Nov 24 00:26:53 2026 - *** HARAKIRI ON WORKER 1 (pid: 20370, try: 1) ***',
      'Tue Nov 24 00:26:53 2026 - HARAKIRI !!! worker 1 status !!!',
      'Tue Nov 24 00:26:53 2026 - HARAKIRI [core 0] 127.0.0.1 - GET / since 1795480010',
      'DAMN ! worker 1 (pid: 20370) died, killed by signal 9 :( trying respawn ...',
    ];
    const [harakiri, killed] = matchLogs(lines, 'uwsgi');
    assert.deepEqual(
      [harakiri!.index, harakiri!.cause, harakiri!.facts.worker, harakiri!.facts.pid],
      [0, 'harakiri', '1', '20370'],
    );
    assert.deepEqual([killed!.index, killed!.facts.signal, killed!.facts.pid], [3, '9', '20370']);
  });

  it('harakiri as uWSGI 2.0.22 and later write it, with graceful', () => {
    const line = 'Tue Nov 24 01:10:02 2026 - *** HARAKIRI ON WORKER 2 (pid: 31337, try: 1, graceful: yes) ***';
    const [harakiri] = matchLogs([line], 'uwsgi');
    assert.deepEqual([harakiri?.cause, harakiri?.facts.worker, harakiri?.facts.pid], ['harakiri', '2', '31337']);
  });

  it('a full listen queue, a str body, a socket it may not create, the test server still running', () => {
    const queue = only(
      '*** uWSGI listen queue of socket "/run/myapp/myapp.sock" (fd: 3) full !!! (101/100) ***',
      'uwsgi',
    );
    assert.deepEqual(
      [queue.cause, queue.facts.socket, queue.facts.queued, queue.facts.backlog],
      ['queue-full', '/run/myapp/myapp.sock', '101', '100'],
    );
    const str = only(
      '[ERROR] Unhandled object from iterator: "<h1 style=\'color:blue\'>Hello There!</h1>" (0x7efec271cf90)',
      'uwsgi',
    );
    assert.deepEqual([str.cause, str.facts.object], ['str-body', '"<h1 style=\'color:blue\'>Hello There!</h1>"']);
    assert.equal(only('bind(): Permission denied [core/socket.c line 230]', 'uwsgi').cause, 'bind-denied');
    const [another, inUse] = matchLogs(
      [
        'probably another instance of uWSGI is running on the same address (127.0.0.1:18431).',
        'bind(): Address already in use [core/socket.c line 769]',
      ],
      'uwsgi',
    );
    assert.deepEqual([another!.cause, another!.facts.address], ['test-leftover', '127.0.0.1:18431']);
    assert.equal(inUse!.cause, 'test-leftover');
  });

  it("Django's ALLOWED_HOSTS, in uWSGI's log", () => {
    const line = "Invalid HTTP_HOST header: 'example.com'. You may need to add 'example.com' to ALLOWED_HOSTS.";
    const match = only(line, 'uwsgi');
    assert.deepEqual([match.cause, match.facts.host], ['django-hosts', 'example.com']);
  });
});

describe("systemd's journal", () => {
  it("a unit whose User= does not exist, in the journal only (with uWSGI's lines beside)", () => {
    const lines = [
      'myapp.service: Failed to determine user credentials: No such process',
      'myapp.service: Failed at step USER spawning /home/demo/myapp/myappenv/bin/uwsgi: No such process',
      'myapp.service: Main process exited, code=exited, status=217/USER',
      '--- no python application found, check your startup logs for errors ---',
    ];
    const matches = matchLogs(lines, 'journal');
    assert.deepEqual(
      matches.map((m) => [m.signature, m.cause]),
      [
        ['systemd-user-credentials', 'unit-user'],
        ['systemd-user-step', 'unit-user'],
        ['systemd-user-missing', 'unit-user'],
        ['uwsgi-no-python-app', 'no-app'],
      ],
    );
    assert.deepEqual(
      [matches[1]!.facts.unit, matches[1]!.facts.executable],
      ['myapp.service', '/home/demo/myapp/myappenv/bin/uwsgi'],
    );
    assert.deepEqual(matchLogs(lines.slice(0, 3), 'uwsgi'), [], "not in uWSGI's own log file");
  });
});

describe('since the last start', () => {
  it("uWSGI's log from its last start banner; the whole log when there is none", () => {
    const log = ['*** Starting uWSGI 2.0.21 …', 'old line', '*** Starting uWSGI 2.0.21 …', 'new line'];
    assert.deepEqual(sinceLastUwsgiStart(log), log.slice(2));
    assert.deepEqual(sinceLastUwsgiStart(['a', 'b']), ['a', 'b']);
  });

  it("nginx's error.log from a time (local, to the second), continued lines kept with theirs", () => {
    const log = [
      '2026/11/24 00:27:26 [crit] 1#1: *1 old',
      '2026/11/24 00:27:34 [crit] 1#1: *2 new',
      'a continued line',
      '2026/11/24 00:27:35 [error] 1#1: *3 newer',
    ];
    assert.deepEqual(nginxLinesSince(log, new Date(2026, 10, 24, 0, 27, 34, 500)), log.slice(1));
    assert.deepEqual(nginxLinesSince(log, new Date(2026, 10, 24, 0, 28, 0)), []);
    assert.deepEqual(nginxLinesSince(log, new Date(2020, 0, 1)), log);
  });
});
