// The doctor's log signatures against lines uWSGI and nginx write now, on this machine (issue 16):
// uWSGI started with a wrong module, then spoken to in the uwsgi protocol, in HTTP and with too big
// a header block; an app whose import fails; nginx passing to a missing socket, to one nobody
// listens on, and given too big a body. Everything runs under a temporary directory and is stopped
// by its pid, also when a test fails. The programs are $UWSGI and $NGINX (test/validators.ts).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { matchLogs, nginxLinesSince, sinceLastUwsgiStart } from '../../src/engine/doctor/log-signatures.js';
import { checkedBy, findUwsgi, missing, noUwsgi, program, programEnv } from '../validators.js';

const work = mkdtempSync(join(tmpdir(), 'uwsgi-nginx-guide-signatures-'));
const started: ChildProcess[] = [];
after(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

function start(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { cwd: work, env: programEnv, stdio: 'ignore' });
  started.push(child);
  return child;
}

/** Stops a child by its pid and waits for it to be gone. */
async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}

/** Waits for `ready`; on time out, fails with `seen()` (the log so far) to tell why. */
async function until(
  what: string,
  ready: () => boolean | Promise<boolean>,
  seen: () => string = () => '',
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) assert.fail(`waited ${ms} ms for ${what}\n${seen()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The workers a uWSGI log names, stopped if one outlived its master (each checked to be ours first). */
function stopWorkers(log: string): void {
  for (const [, pid] of log.matchAll(/(?:spawned uWSGI worker \d+ \(pid|new pid): (\d+)/g)) {
    const cmdline = (() => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        return '';
      }
    })();
    if (cmdline.includes(work)) process.kill(Number(pid), 'SIGKILL');
  }
}

/** Sends `bytes` to a unix socket and reads until the other side closes (or 3 s). */
function exchange(socket: string, bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const connection = createConnection(socket, () => connection.end(bytes));
    connection.setTimeout(3000, () => connection.destroy());
    connection.on('data', (chunk) => chunks.push(chunk));
    connection.on('error', () => undefined);
    connection.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

/** A request in the uwsgi protocol: modifier1 0, the vars' size (u16 LE), modifier2 0, then the vars. */
function uwsgiPacket(vars: Record<string, string>): Buffer {
  const pairs = Object.entries(vars).flatMap(([key, value]) =>
    [key, value].flatMap((s) => {
      const size = Buffer.alloc(2);
      size.writeUInt16LE(Buffer.byteLength(s));
      return [size, Buffer.from(s)];
    }),
  );
  const body = Buffer.concat(pairs);
  const header = Buffer.from([0, body.length & 0xff, body.length >> 8, 0]);
  return Buffer.concat([header, body]);
}

const uwsgi = findUwsgi();
checkedBy("uWSGI's lines, as it writes them now", uwsgi, noUwsgi, (uwsgiProgram) => {
  it('a wrong module, then a uwsgi request, HTTP, and too big a header block', async () => {
    const socket = join(work, 'wrong.sock');
    const log = join(work, 'wrong.log');
    // An earlier start in the same log: only the last start's lines are read.
    writeFileSync(log, '*** Starting uWSGI 0.0 (earlier) ***\n--- no python application found, check ---\n');
    const args = ['--socket', socket, '--chdir', work, '--module', 'nosuch:application'];
    const child = start(uwsgiProgram, [...args, '--master', '--processes', '1', '--die-on-term', '--logto', log]);
    try {
      await until('the socket', () => existsSync(socket));
      const page = { REQUEST_METHOD: 'GET', PATH_INFO: '/', SERVER_PROTOCOL: 'HTTP/1.1', HTTP_HOST: 'example.com' };
      assert.match(await exchange(socket, uwsgiPacket(page)), /^HTTP\/1\.1 500/);
      await exchange(socket, Buffer.from('GET / HTTP/1.1\r\nHost: example.com\r\n\r\n'));
      const bigHeaders = Buffer.concat([Buffer.from([0, 5000 & 0xff, 5000 >> 8, 0]), Buffer.alloc(5000, 'a')]);
      await exchange(socket, bigHeaders);
      await until('the log', () => /block size: 5000/.test(readFileSync(log, 'utf8')));
    } finally {
      await stop(child, 'SIGINT');
    }
    const lines = sinceLastUwsgiStart(readFileSync(log, 'utf8').split('\n'));
    assert.match(lines[0]!, /^\*\*\* Starting uWSGI 2\./);
    const matches = matchLogs(lines, 'uwsgi');
    assert.deepEqual(
      matches.map((m) => m.signature),
      [
        'uwsgi-module-missing',
        'uwsgi-app-not-loaded',
        'uwsgi-no-app-dynamic',
        'uwsgi-no-python-app',
        'uwsgi-http-spoken',
        'uwsgi-block-too-big',
      ],
      lines.join('\n'),
    );
    assert.deepEqual(
      matches.map((m) => m.cause),
      ['no-app', 'no-app', 'no-app', 'no-app', 'http-to-uwsgi', 'big-headers'],
    );
    assert.equal(matches[0]!.facts.module, 'nosuch');
    assert.deepEqual([matches[4]!.facts.size, matches[4]!.facts.method], ['21573', 'GET']);
    assert.equal(matches[5]!.facts.size, '5000');
  });

  it("an app whose own import fails: Python's traceback, and the package it lacks", async () => {
    writeFileSync(join(work, 'needs.py'), 'import flask_not_here\n\napplication = None\n');
    const log = join(work, 'needs.log');
    const args = ['--socket', join(work, 'needs.sock'), '--chdir', work, '--module', 'needs', '--need-app'];
    const child = start(uwsgiProgram, [...args, '--die-on-term', '--logto', log]);
    await until('uWSGI to give up (need-app)', () => child.exitCode !== null).finally(() => stop(child, 'SIGKILL'));
    const matches = matchLogs(readFileSync(log, 'utf8').split('\n'), 'uwsgi');
    const missingPackage = matches.find((m) => m.signature === 'uwsgi-module-missing');
    assert.ok(missingPackage, JSON.stringify(matches));
    assert.deepEqual(
      [missingPackage.cause, missingPackage.facts.module, missingPackage.facts.file],
      ['venv', 'flask_not_here', join(work, 'needs.py')],
    );
    assert.match(missingPackage.context![0]!, /^Traceback/);
    assert.ok(matches.some((m) => m.signature === 'uwsgi-no-app-game-over'));
  });

  it("the guide's Python 2 body, a request past harakiri, SIGTERM without die-on-term", async () => {
    // One app: '/' returns str (the 14.04 guide's wsgi.py), '/slow' outlasts harakiri.
    const app = [
      'import time',
      'def application(environ, start_response):',
      "    if environ['PATH_INFO'] == '/slow':",
      '        time.sleep(4)',
      "    start_response('200 OK', [('Content-Type', 'text/html')])",
      '    return ["<h1>Hello There!</h1>"]',
      '',
    ];
    writeFileSync(join(work, 'guide.py'), app.join('\n'));
    const socket = join(work, 'guide.sock');
    const log = join(work, 'guide.log');
    const args = ['--http-socket', socket, '--chdir', work, '--module', 'guide:application', '--harakiri', '1'];
    const child = start(uwsgiProgram, [...args, '--master', '--processes', '1', '--logto', log]);
    const written = () => readFileSync(log, 'utf8');
    try {
      await until('the socket', () => existsSync(socket));
      await exchange(socket, Buffer.from('GET / HTTP/1.0\r\n\r\n'));
      await exchange(socket, Buffer.from('GET /slow HTTP/1.0\r\n\r\n'));
      // The master takes signals again once the killed worker has its successor.
      await until('the worker killed and replaced', () => /Respawned uWSGI worker/.test(written()), written);
      // A worker signalled while it starts may never end, and the reload with it (seen under load):
      // the line that tells is written when the reload begins.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      child.kill('SIGTERM');
      await until('the reload on SIGTERM', () => /brutally killing workers/.test(written()), written);
    } finally {
      await stop(child, 'SIGINT');
      stopWorkers(written());
    }
    const matches = matchLogs(written().split('\n'), 'uwsgi');
    assert.deepEqual(
      matches.map((m) => [m.signature, m.cause]),
      [
        ['uwsgi-str-body', 'str-body'],
        ['uwsgi-harakiri', 'harakiri'],
        ['uwsgi-worker-killed', 'harakiri'],
        ['uwsgi-reload-on-term', 'no-die-on-term'],
      ],
      written(),
    );
    assert.equal(matches[0]!.facts.object, "'<h1>Hello There!</h1>'", "Python's repr of the str");
    assert.equal(matches[1]!.facts.pid, matches[2]!.facts.pid, 'the worker harakiri killed');
  });

  it('an address another process holds: uWSGI says so and stops', async () => {
    const port = await freePort();
    const holder = start(process.execPath, ['-e', `require('net').createServer().listen(${port}, '127.0.0.1')`]);
    try {
      await until('the holder', () => isListening(port));
      const log = join(work, 'busy.log');
      const child = start(uwsgiProgram, ['--http-socket', `127.0.0.1:${port}`, '--module', 'none', '--logto', log]);
      await until('uWSGI to give up', () => child.exitCode !== null).finally(() => stop(child, 'SIGKILL'));
      const matches = matchLogs(readFileSync(log, 'utf8').split('\n'), 'uwsgi');
      assert.deepEqual(
        matches.map((m) => [m.signature, m.facts.address]),
        [
          ['uwsgi-another-instance', `127.0.0.1:${port}`],
          ['uwsgi-address-in-use', undefined],
        ],
      );
    } finally {
      await stop(holder, 'SIGKILL');
    }
  });
});

/** Whether something accepts connections on 127.0.0.1:port. */
function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection({ host: '127.0.0.1', port }, () => {
      probe.destroy();
      resolve(true);
    });
    probe.on('error', () => resolve(false));
  });
}

/** A TCP port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function httpStatus(port: number, path: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * nginx on a port of its own, with one location per socket (`/NAME` passes to `unix:PATH`), under
 * the temporary directory; `ask` sends the requests. Answers the lines it wrote to its error log.
 */
async function nginxRun(
  nginx: string,
  name: string,
  options: { user: string; locations: Record<string, string>; ask: (port: number) => Promise<void> },
): Promise<string[]> {
  const prefix = join(work, name);
  const port = await freePort();
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `${k}_temp_path ${prefix}-${k};`);
  const pass = (path: string) => `uwsgi_param REQUEST_METHOD $request_method; uwsgi_pass unix:${path};`;
  const locations = Object.entries(options.locations).map(([at, socket]) => `    location /${at} { ${pass(socket)} }`);
  const conf = `${prefix}.conf`;
  const errorLog = `${prefix}-error.log`;
  writeFileSync(
    conf,
    [
      options.user,
      `pid ${prefix}.pid;`,
      `error_log ${errorLog};`,
      'events {}',
      'http {',
      `  access_log off; ${temps.join(' ')}`,
      `  server { listen 127.0.0.1:${port}; client_max_body_size 1k;`,
      ...locations,
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const since = new Date();
  const master = start(nginx, ['-c', conf, '-p', `${work}/`, '-e', errorLog, '-g', 'daemon off;']);
  try {
    await until('nginx to answer', () =>
      httpStatus(port, '/').then(
        () => true,
        () => false,
      ),
    );
    await options.ask(port);
  } finally {
    await stop(master, 'SIGTERM');
  }
  return nginxLinesSince(readFileSync(errorLog, 'utf8').split('\n'), since);
}

/** A unix socket something listens on, in a process of the test's own (stopped with the others). */
async function listeningSocket(path: string): Promise<ChildProcess> {
  const holder = start(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)})`]);
  await until(path, () => existsSync(path));
  return holder;
}

/** The first match of each cause, with its socket (or body size). */
function firstOfEachCause(lines: string[]): (string | undefined)[][] {
  const seen = matchLogs(lines, 'nginx').map((m) => [m.cause, m.facts.socket ?? m.facts.bytes]);
  return seen.filter((s, i) => seen.findIndex((t) => t[0] === s[0]) === i);
}

const asRoot = process.getuid?.() === 0;

checkedBy("nginx's lines, as it writes them now", program('NGINX', 'nginx'), missing('NGINX', 'nginx'), (nginx) => {
  it('a missing socket, a socket nobody listens on, too big a body', async () => {
    const missingSocket = join(work, 'missing.sock');
    const staleSocket = join(work, 'stale.sock');
    // A socket left by a process killed outright: the file stays, nobody listens.
    await stop(await listeningSocket(staleSocket), 'SIGKILL');
    const lines = await nginxRun(nginx, 'nginx', {
      // As root, workers run as root too: nobody (nginx's default) may not enter the temporary directory.
      user: asRoot ? 'user root root;' : '',
      locations: { missing: missingSocket, stale: staleSocket },
      ask: async (port) => {
        assert.equal(await httpStatus(port, '/missing'), 502);
        assert.equal(await httpStatus(port, '/stale'), 502);
        assert.equal(await httpStatus(port, '/stale', 'x'.repeat(4000)), 413);
      },
    });
    assert.deepEqual(
      firstOfEachCause(lines),
      [
        ['no-socket', missingSocket],
        ['refused', staleSocket],
        ['too-large', '4000'],
      ],
      lines.join('\n'),
    );
  });

  it("a socket nginx's user may not open", async () => {
    // As root: workers as nobody, the socket in the temporary directory (0700, root's), as in a
    // closed home directory. As another account: the workers are that account, the socket not writable.
    const socket = join(work, 'private.sock');
    const holder = await listeningSocket(socket);
    if (!asRoot) chmodSync(socket, 0o555);
    try {
      const lines = await nginxRun(nginx, 'nginx-private', {
        user: asRoot ? 'user nobody nogroup;' : '',
        locations: { private: socket },
        ask: async (port) => assert.equal(await httpStatus(port, '/private'), 502),
      });
      assert.deepEqual(firstOfEachCause(lines), [['permission', socket]], lines.join('\n'));
    } finally {
      await stop(holder, 'SIGKILL');
    }
  });
});
