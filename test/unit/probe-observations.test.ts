// The real probes answer with what they saw, as data (issue 14, item 4): an exit code and the lines
// printed, which of a file's wishes differ, a page's status and body or the connection's error
// code, a socket's mode and group, a port in use. Asked of this machine, in a temporary directory.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { probe } from '../../src/exec/system.js';

const dir = mkdtempSync(join(tmpdir(), 'probe-observations-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function listening(server: net.Server, ...args: unknown[]): Promise<void> {
  return new Promise((resolve) => server.listen(...(args as []), () => resolve()));
}

describe('the probes answer with what they saw', () => {
  it('packages: the names not installed', async () => {
    assert.deepEqual(await probe({ kind: 'packages', names: ['no-such-package-x9'] }), {
      ok: false,
      observed: { kind: 'packages', missing: ['no-such-package-x9'] },
    });
  });

  it('command: its exit code and the last lines it printed, stdout and stderr as printed', async () => {
    assert.deepEqual(await probe({ kind: 'command', command: 'echo one; echo two >&2; exit 3' }), {
      ok: false,
      observed: { kind: 'command', exitCode: 3, output: ['one', 'two'] },
    });
    assert.deepEqual(await probe({ kind: 'command', command: 'true', expectOutput: '^x' }), {
      ok: false,
      observed: { kind: 'command', exitCode: 0, output: [] },
    });
  });

  it('file: missing, then each wish it does not meet, then none', async () => {
    const path = join(dir, 'wsgi.py');
    const wants = { kind: 'file', path, content: 'right\n', mode: 0o755, executable: true } as const;
    assert.deepEqual(await probe(wants), { ok: false, observed: { kind: 'file', exists: false } });
    writeFileSync(path, 'wrong\n');
    chmodSync(path, 0o644);
    assert.deepEqual(await probe(wants), {
      ok: false,
      observed: {
        kind: 'file',
        exists: true,
        differences: [
          { what: 'content', diff: ['@@ -1,1 +1,1 @@', '-right', '+wrong'] },
          { what: 'mode', found: 0o644 },
          { what: 'not-executable' },
        ],
      },
    });
    writeFileSync(path, 'right\n');
    chmodSync(path, 0o755);
    assert.deepEqual(await probe(wants), { ok: true, observed: { kind: 'file', exists: true, differences: [] } });
  });

  it("http: the status and the body's summary, or the connection's error code", async () => {
    const server = http.createServer((_request, response) => {
      response.writeHead(502);
      response.end('<h1>502   Bad\nGateway</h1>');
    });
    await listening(server, 0, '127.0.0.1');
    const { port } = server.address() as net.AddressInfo;
    const page = { kind: 'http', url: `http://127.0.0.1:${port}/`, expectBody: 'Hello' } as const;
    assert.deepEqual(await probe(page), {
      ok: false,
      observed: { kind: 'http', status: 502, body: '<h1>502 Bad Gateway</h1>' },
    });
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    // A port nothing listens on (taken and let go again, never connected to): the connection is refused.
    const unused = net.createServer();
    await listening(unused, 0, '127.0.0.1');
    const closed = (unused.address() as net.AddressInfo).port;
    await new Promise((resolve) => unused.close(resolve));
    assert.deepEqual(await probe({ ...page, url: `http://127.0.0.1:${closed}/` }), {
      ok: false,
      observed: { kind: 'http', error: 'ECONNREFUSED' },
    });
  });

  it('socket: its mode and group, or not there', async () => {
    const path = join(dir, 'app.sock');
    const group = (await probe({ kind: 'command', command: 'id -gn' })).observed;
    assert.equal(group.kind, 'command');
    const groupName = group.kind === 'command' ? group.output[0]! : '';
    const wants = { kind: 'socket', path, mode: 0o664, group: groupName } as const;
    assert.deepEqual(await probe(wants), { ok: false, observed: { kind: 'socket', exists: false } });
    const server = net.createServer();
    await listening(server, path);
    chmodSync(path, 0o600);
    assert.deepEqual(await probe(wants), {
      ok: false,
      observed: { kind: 'socket', exists: true, isSocket: true, mode: 0o600, group: groupName },
    });
    chmodSync(path, 0o664);
    assert.equal((await probe(wants)).ok, true);
    await new Promise((resolve) => server.close(resolve));
  });

  it('processes: how many run, or that there is no such user', async () => {
    const marker = `probe-observations-${process.pid}`;
    assert.deepEqual(await probe({ kind: 'processes', user: userInfo().username, match: marker, count: 1 }), {
      ok: false,
      observed: { kind: 'processes', running: 0 },
    });
    assert.deepEqual(await probe({ kind: 'processes', user: 'no-such-user-x9', match: marker, count: 1 }), {
      ok: false,
      observed: { kind: 'processes', running: 0, userMissing: true },
    });
  });

  it('port-free: free, or in use', async () => {
    const server = net.createServer();
    await listening(server, 0, '0.0.0.0');
    const { port } = server.address() as net.AddressInfo;
    assert.deepEqual(await probe({ kind: 'port-free', port }), {
      ok: false,
      observed: { kind: 'port-free', inUse: true },
    });
    await new Promise((resolve) => server.close(resolve));
    assert.deepEqual(await probe({ kind: 'port-free', port }), {
      ok: true,
      observed: { kind: 'port-free', inUse: false },
    });
  });
});
