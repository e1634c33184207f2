// A recording of version 1 (a probe's answer as English sentences) still replays: its answers are
// read into version 2's observations when it is loaded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Observation } from '../../src/engine/ports.js';
import type { Probe } from '../../src/engine/types.js';
import { migrateV1Answer } from '../../src/simulate/recording-v1.js';
import { parseRecording, probeKey, RECORDING_VERSION } from '../../src/simulate/recording.js';
import { makeContext } from '../helpers.js';

const socket: Probe = { kind: 'socket', path: '/run/hello/hello.sock', mode: 0o664, group: 'www-data' };
const page: Probe = { kind: 'http', url: 'http://127.0.0.1/', host: 'hello.example.com', expectBody: 'Hello There!' };
const processes: Probe = { kind: 'processes', user: 'sammy', match: 'uwsgi', count: 6 };
const command: Probe = { kind: 'command', command: 'nginx -t' };
const file: Probe = { kind: 'file', path: '/home/sammy/hello/wsgi.py', content: 'x', owner: 'sammy' };
const packages: Probe = { kind: 'packages', names: ['nginx', 'python3-dev'] };
const port: Probe = { kind: 'port-free', port: 8080 };

/** What version 1 wrote for `found` (src/exec/system.ts then), and what it reads as now. */
const cases: [Probe, string, Observation][] = [
  [packages, 'all installed', { kind: 'packages', missing: [] }],
  [packages, 'not installed: nginx python3-dev', { kind: 'packages', missing: ['nginx', 'python3-dev'] }],
  [command, 'exit 0: (no output)', { kind: 'command', exitCode: 0, output: [] }],
  [
    command,
    'exit 1: nginx: [emerg] unknown directive ⏎ nginx: configuration file /etc/nginx/nginx.conf test failed',
    {
      kind: 'command',
      exitCode: 1,
      output: ['nginx: [emerg] unknown directive', 'nginx: configuration file /etc/nginx/nginx.conf test failed'],
    },
  ],
  [command, 'exit null: Terminated', { kind: 'command', exitCode: null, output: ['Terminated'] }],
  [file, 'as expected', { kind: 'file', exists: true, differences: [] }],
  [file, 'no such file', { kind: 'file', exists: false }],
  [
    file,
    'content differs, owner root, mode 0600, not executable',
    {
      kind: 'file',
      exists: true,
      differences: [
        { what: 'content' },
        { what: 'owner', found: 'root' },
        { what: 'mode', found: 0o600 },
        { what: 'not-executable' },
      ],
    },
  ],
  [
    page,
    'HTTP 502: <html> <head><title>502 Bad Gateway</title></head>',
    { kind: 'http', status: 502, body: '<html> <head><title>502 Bad Gateway</title></head>' },
  ],
  [page, 'HTTP 200: (empty body)', { kind: 'http', status: 200, body: '' }],
  [page, 'ECONNREFUSED', { kind: 'http', error: 'ECONNREFUSED' }],
  [page, 'no answer within 5 s', { kind: 'http', error: 'ETIMEDOUT' }],
  [processes, '6 running', { kind: 'processes', running: 6 }],
  [processes, 'no user sammy', { kind: 'processes', running: 0, userMissing: true }],
  [
    socket,
    'socket, mode 664, group sammy',
    { kind: 'socket', exists: true, isSocket: true, mode: 0o664, group: 'sammy' },
  ],
  [socket, "stat: cannot statx '/run/hello/hello.sock': No such file or directory", { kind: 'socket', exists: false }],
  [
    socket,
    "stat: cannot statx '/run/hello/hello.sock': Permission denied",
    { kind: 'socket', exists: false, error: "stat: cannot statx '/run/hello/hello.sock': Permission denied" },
  ],
  [port, 'free', { kind: 'port-free', inUse: false }],
  [port, 'port 8080 is in use', { kind: 'port-free', inUse: true }],
];

describe('a version 1 recording', () => {
  for (const [probe, found, observed] of cases) {
    it(`${probe.kind}: "${found}" reads as what it saw`, () => {
      const v1 = { at: 3, key: probeKey(probe), answer: { ok: false, expected: 'whatever it said', found } };
      assert.deepEqual(migrateV1Answer(v1 as never), { at: 3, key: probeKey(probe), answer: { ok: false, observed } });
    });
  }

  it('keeps every other answer as it was, and loads as the current version', () => {
    const path = { at: 0, key: 'inspect /home/sammy/hello', answer: { kind: 'dir' as const } };
    assert.deepEqual(migrateV1Answer(path), path);
    const v1 = {
      version: 1,
      recordedAt: '2026-11-21T20:00:00.000Z',
      machine: 'Debian GNU/Linux 12 (bookworm)',
      context: makeContext(),
      timeline: [],
      commands: {},
      answers: [
        path,
        { at: -1, key: probeKey(page), answer: { ok: false, expected: 'HTTP 200', found: 'ECONNREFUSED' } },
      ],
    };
    const loaded = parseRecording(JSON.stringify(v1), 'old.json');
    assert.equal(loaded.version, RECORDING_VERSION);
    assert.deepEqual(loaded.answers, [
      path,
      { at: -1, key: probeKey(page), answer: { ok: false, observed: { kind: 'http', error: 'ECONNREFUSED' } } },
    ]);
  });
});
