// Which unix sockets something listens on, as the doctor reads /proc (issue 16): the table holds a
// path as it was bound, so the guide's `socket = myapp.sock` (relative, from the app's directory)
// is where the process holding it runs. Seen on a real site made by hand following the guide: the
// socket beside the app was said to have nothing listening on it (test/e2e/doctor-by-hand.test.ts).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { listeningUnixPaths } from '../../src/exec/doctor-survey.js';

const work = mkdtempSync(join(tmpdir(), 'uwsgi-nginx-guide-doctor-listening-'));
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) child.kill();
  rmSync(work, { recursive: true, force: true });
});

/** A process binding and listening on `bound` from `cwd`, as uWSGI does for its ini's socket. */
async function listeningFrom(cwd: string, bound: string): Promise<ChildProcess> {
  const code = `import socket, time; s = socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(bound)}); s.listen(); time.sleep(30)`;
  const child = spawn('/usr/bin/python3', ['-c', code], { cwd, stdio: 'ignore' });
  children.push(child);
  for (let i = 0; i < 100 && !existsSync(join(cwd, bound)); i++) await new Promise((r) => setTimeout(r, 50));
  return child;
}

describe('listening unix sockets from /proc', () => {
  it("a socket bound by a relative path is found where its process runs (the guide's myapp.sock)", async () => {
    const appDir = mkdtempSync(join(work, 'app-'));
    const child = await listeningFrom(appDir, 'myapp.sock');
    const paths = await listeningUnixPaths([{ pid: child.pid!, cwd: appDir }]);
    assert.ok(paths.has(join(appDir, 'myapp.sock')), [...paths].filter((p) => p.includes('myapp')).join(', '));
  });

  it('a socket bound by an absolute path is found as it is', async () => {
    const runDir = mkdtempSync(join(work, 'run-'));
    const socket = join(runDir, 'app.sock');
    await listeningFrom('/', socket);
    assert.ok((await listeningUnixPaths([])).has(socket));
  });
});
