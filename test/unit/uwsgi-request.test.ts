// The doctor's own uwsgi-protocol client (issue 16), against a real uWSGI ($UWSGI, as
// test/content/configs.test.ts finds it; under CI=true it must be there) serving a tiny WSGI app
// from a root-owned 0700 temporary directory: what it answers for each way a socket can fail, and
// what uWSGI logs for it.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeUwsgiPacket, requestVars, uwsgiRequest } from '../../src/exec/uwsgi-request.js';
import { checkedBy, findUwsgi, noUwsgi, programEnv } from '../validators.js';

describe('the uwsgi packet', () => {
  it('is the 4-byte header (0, vars size as u16 LE, 0) and each var as u16 LE length, key, u16 LE length, value', () => {
    const packet = encodeUwsgiPacket([
      ['A', 'xy'],
      ['PATH_INFO', '/'],
    ]);
    const vars = Buffer.from([1, 0, 0x41, 2, 0, 0x78, 0x79, 9, 0, ...Buffer.from('PATH_INFO'), 1, 0, 0x2f]);
    assert.deepEqual(packet, Buffer.concat([Buffer.from([0, vars.length, 0, 0]), vars]));
  });

  it("carries what nginx's uwsgi_params would for the request, headers as HTTP_ vars", () => {
    const vars = Object.fromEntries(
      requestVars({
        host: 'example.com',
        uri: '/a/b?x=1',
        serverPort: 8080,
        headers: { 'X-Forwarded-For': '1.2.3.4' },
      }),
    );
    assert.deepEqual(vars, {
      REQUEST_METHOD: 'GET',
      REQUEST_URI: '/a/b?x=1',
      PATH_INFO: '/a/b',
      QUERY_STRING: 'x=1',
      SERVER_PROTOCOL: 'HTTP/1.1',
      SERVER_NAME: 'example.com',
      SERVER_PORT: '8080',
      HTTP_HOST: 'example.com',
      REMOTE_ADDR: '127.0.0.1',
      HTTP_X_FORWARDED_FOR: '1.2.3.4',
    });
  });
});

const APP = `
import time

def application(environ, start_response):
    path = environ['PATH_INFO']
    if path == '/slow':
        # Say that this worker has the request, so the test fills the queue only behind it.
        open('slow-taken', 'w').close()  # uWSGI runs in the test's directory (--chdir)
        time.sleep(30)
    if path == '/str':
        start_response('200 OK', [('Content-Type', 'text/plain')])
        return ['a str, not bytes']
    body = ' '.join([environ['REQUEST_METHOD'], path, environ['QUERY_STRING'], environ.get('HTTP_HOST', '')])
    start_response('200 OK', [('Content-Type', 'text/plain'), ('X-App', 'tiny')])
    return [('hello ' + body).encode()]
`;

checkedBy('a request straight to a real uWSGI socket', findUwsgi(), noUwsgi, (uwsgi) => {
  // Root-owned and 0700 (mkdtemp): the app, the logs and most sockets. `shared` (0711: others may
  // pass through it to a socket they know the name of, but may neither list nor write in it) holds
  // the sockets that are asked for as another account.
  const work = mkdtempSync(join(tmpdir(), 'uwsgi-nginx-guide-uwsgi-request-'));
  const shared = mkdtempSync(join(tmpdir(), 'uwsgi-nginx-guide-uwsgi-shared-'));
  chmodSync(shared, 0o711);
  const started: ChildProcess[] = [];
  let fake: Server | undefined;

  /** A uWSGI serving the app with these options, its log in work/NAME.log; ready once each socket exists. */
  async function startUwsgi(name: string, args: string[], sockets: string[]): Promise<ChildProcess> {
    const log = join(work, `${name}.log`);
    const child = spawn(uwsgi, ['--chdir', work, '--wsgi-file', join(work, 'app.py'), '--logto', log, ...args], {
      env: programEnv,
      stdio: 'ignore',
    });
    started.push(child);
    for (let waited = 0; !sockets.every((s) => existsSync(s)); waited += 50) {
      if (child.exitCode !== null || waited > 10_000) {
        throw new Error(`uWSGI ${name} did not start: ${existsSync(log) ? readFileSync(log, 'utf8') : 'no log'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return child;
  }

  const logOf = (name: string) => readFileSync(join(work, `${name}.log`), 'utf8');
  let tcpPort = 0;

  before(async () => {
    writeFileSync(join(work, 'app.py'), APP);
    await startUwsgi(
      'app',
      [
        ...['--socket', join(shared, 'app.sock'), '--chmod-socket=666'],
        ...['--http-socket', join(work, 'http.sock'), '--socket', '127.0.0.1:0'],
      ],
      [join(shared, 'app.sock'), join(work, 'http.sock')],
    );
    // The port the kernel gave: uWSGI logs it.
    for (let waited = 0; tcpPort === 0 && waited < 5000; waited += 50) {
      tcpPort = Number(/bound to TCP address 127\.0\.0\.1:(\d+)/.exec(logOf('app'))?.[1] ?? 0);
      if (tcpPort === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await startUwsgi(
      'locked',
      ['--socket', join(shared, 'locked.sock'), '--chmod-socket=600'],
      [join(shared, 'locked.sock')],
    );
  });

  after(async () => {
    for (const child of started) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    }
    fake?.close();
    rmSync(work, { recursive: true, force: true });
    rmSync(shared, { recursive: true, force: true });
  });

  it('a 200 from the app: status, headers and body, over a unix socket and over TCP', async () => {
    const answer = await uwsgiRequest(
      { kind: 'unix', path: join(shared, 'app.sock') },
      { host: 'example.com', uri: '/hello?x=1' },
    );
    assert.equal(answer.ok, true, JSON.stringify(answer));
    if (!answer.ok) return;
    assert.equal(answer.status, 200);
    assert.equal(answer.statusLine, 'HTTP/1.1 200 OK');
    assert.deepEqual(answer.headers, [
      ['Content-Type', 'text/plain'],
      ['X-App', 'tiny'],
    ]);
    assert.equal(answer.body, 'hello GET /hello x=1 example.com');
    const tcp = await uwsgiRequest({ kind: 'inet', host: '127.0.0.1', port: tcpPort }, { host: 'example.com' });
    assert.deepEqual(tcp.ok && [tcp.status, tcp.body], [200, 'hello GET /  example.com']);
  });

  it("an app returning str (the guide's Python 2 wsgi.py on Python 3): 200 with an empty body; uWSGI logs it", async () => {
    const answer = await uwsgiRequest({ kind: 'unix', path: join(shared, 'app.sock') }, { host: 'x', uri: '/str' });
    assert.deepEqual(answer.ok && [answer.status, answer.body, answer.bodyBytes], [200, '', 0], JSON.stringify(answer));
    assert.match(logOf('app'), /\[ERROR\] Unhandled object from iterator: 'a str, not bytes'/);
  });

  it('a socket file nothing listens on (uWSGI killed, no vacuum): ECONNREFUSED', async () => {
    const stale = join(work, 'stale.sock');
    const child = await startUwsgi('stale', ['--socket', stale], [stale]);
    child.kill('SIGKILL');
    await once(child, 'exit');
    assert.ok(existsSync(stale), 'the socket file stays behind');
    assert.deepEqual(await uwsgiRequest({ kind: 'unix', path: stale }, { host: 'x' }), {
      ok: false,
      error: 'ECONNREFUSED',
    });
  });

  it('no file at the path: ENOENT; a file that is no socket: ECONNREFUSED, as nginx sees it', async () => {
    assert.deepEqual(await uwsgiRequest({ kind: 'unix', path: join(work, 'missing.sock') }, { host: 'x' }), {
      ok: false,
      error: 'ENOENT',
    });
    writeFileSync(join(work, 'plain-file'), '');
    assert.deepEqual(await uwsgiRequest({ kind: 'unix', path: join(work, 'plain-file') }, { host: 'x' }), {
      ok: false,
      error: 'ECONNREFUSED',
    });
  });

  it('a socket with mode 600 asked as another account: EACCES (666 beside it answers that account)', () => {
    // The client runs in a child as `nobody` (root drops to it); not root, the test cannot be
    // another account, so it asks its own socket with every permission taken away.
    const asOther = process.getuid?.() === 0;
    if (!asOther) chmodSync(join(shared, 'locked.sock'), 0o000);
    const client = readFileSync(new URL('../../src/exec/uwsgi-request.js', import.meta.url), 'utf8');
    const ask = (path: string) => {
      const script = `${client}\nconsole.log(JSON.stringify(await uwsgiRequest({ kind: 'unix', path: ${JSON.stringify(path)} }, { host: 'x' })));`;
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        cwd: '/',
        ...(asOther ? { uid: 65534, gid: 65534 } : {}),
      });
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout);
    };
    assert.deepEqual(ask(join(shared, 'locked.sock')), { ok: false, error: 'EACCES' });
    assert.equal(ask(join(shared, 'app.sock')).status, 200);
  });

  it("HTTP's socket asked in the uwsgi protocol: no answer, uWSGI waits for the end of HTTP headers", async () => {
    const answer = await uwsgiRequest({ kind: 'unix', path: join(work, 'http.sock') }, { host: 'x', timeoutMs: 1000 });
    assert.deepEqual(answer, { ok: false, error: 'timeout' });
    // Once the client gives up, uWSGI says so.
    const said = /uwsgi_proto_http_parser\(\) -> client closed connection/;
    for (let waited = 0; !said.test(logOf('app')) && waited < 3000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.match(logOf('app'), said);
  });

  it('headers over 4 KB: uWSGI resets the connection unread and logs "invalid request block size"', async () => {
    const answer = await uwsgiRequest(
      { kind: 'unix', path: join(shared, 'app.sock') },
      { host: 'x', headers: { Cookie: 'c'.repeat(5000) } },
    );
    assert.deepEqual(answer, { ok: false, error: 'ECONNRESET' });
    assert.match(logOf('app'), /invalid request block size: \d{4} \(max 4096\)\.\.\.skip/);
  });

  it('a full listen queue (the one worker stuck, listen = 1): EAGAIN', async () => {
    const queue = join(work, 'queue.sock');
    await startUwsgi('queue', ['--socket', queue, '--listen', '1'], [queue]);
    const target = { kind: 'unix' as const, path: queue };
    // The worker takes this one and sleeps for longer than the test (uWSGI is killed after it); the
    // next ones wait in the queue until it is full.
    const stuck = uwsgiRequest(target, { host: 'x', uri: '/slow', timeoutMs: 3000 });
    // Until the worker has taken that request it still sits in the queue; filled then, the queue
    // would gain a free place the moment the worker takes it (seen under load: 'timeout').
    const taken = join(work, 'slow-taken');
    for (let waited = 0; !existsSync(taken) && waited < 5000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(existsSync(taken), 'the worker took the slow request');
    const held: Socket[] = [];
    let refused: string | undefined;
    for (let i = 0; i < 20 && refused === undefined; i++) {
      refused = await new Promise<string | undefined>((resolve) => {
        const connection = connect({ path: queue });
        held.push(connection);
        connection.on('connect', () => resolve(undefined));
        connection.on('error', (error: NodeJS.ErrnoException) => resolve(error.code));
      });
    }
    try {
      assert.equal(refused, 'EAGAIN', 'the queue never filled');
      assert.deepEqual(await uwsgiRequest(target, { host: 'x' }), { ok: false, error: 'EAGAIN' });
    } finally {
      for (const connection of held) connection.destroy();
      await stuck;
    }
  });

  it('a listener that never answers: timeout; one that answers garbage: not-http, with what it sent', async () => {
    let reply: string | undefined;
    fake = createServer((connection) => {
      connection.on('data', () => {
        if (reply !== undefined) connection.end(reply);
      });
    });
    const path = join(work, 'fake.sock');
    fake.listen(path);
    await once(fake, 'listening');
    assert.deepEqual(await uwsgiRequest({ kind: 'unix', path }, { host: 'x', timeoutMs: 300 }), {
      ok: false,
      error: 'timeout',
    });
    reply = 'SSH-2.0-OpenSSH\r\n\x00';
    assert.deepEqual(await uwsgiRequest({ kind: 'unix', path }, { host: 'x' }), {
      ok: false,
      error: 'not-http',
      received: 'SSH-2.0-OpenSSH\\x0d\\x0a\\x00',
    });
  });
});
