// A check's "expected" and "found" are put into words by the screen, from the probe and what it saw,
// in the person's language (issue 14, item 4); a program's own words are kept as they are.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Observation } from '../../src/engine/ports.js';
import type { Probe } from '../../src/engine/types.js';
import { expectedText, foundText } from '../../src/ui/probe-text.js';
import { englishSentences } from '../ui/english-scan.js';

const page: Probe = { kind: 'http', url: 'http://127.0.0.1/', host: 'example.com', expectBody: 'Hello There!' };
const file: Probe = { kind: 'file', path: '/home/demo/myapp/wsgi.py', content: 'x', owner: 'demo', mode: 0o644 };

describe('expectedText: what the probe looks for, in words', () => {
  const cases: [Probe, string, string][] = [
    [
      { kind: 'packages', names: ['nginx', 'python3-dev'] },
      'installed: nginx python3-dev',
      'インストール済み: nginx python3-dev',
    ],
    [{ kind: 'command', command: 'nginx -t' }, '`nginx -t` exits 0', '`nginx -t` が終了コード 0 で終わる'],
    [
      { kind: 'command', command: 'uwsgi --version', expectOutput: '^\\d+' },
      '`uwsgi --version` exits 0 and prints /^\\d+/',
      '`uwsgi --version` が終了コード 0 で終わり、/^\\d+/ に合う行を出力する',
    ],
    [
      file,
      '/home/demo/myapp/wsgi.py: exists, the shown content, owner demo, mode 0644',
      '/home/demo/myapp/wsgi.py: ある、表示した内容、所有者 demo、モード 0644',
    ],
    [
      page,
      'HTTP 200 from http://127.0.0.1/ (Host: example.com) containing "Hello There!"',
      'Host: example.com で http://127.0.0.1/ が HTTP 200 で "Hello There!" を含むページを返す',
    ],
    [
      { kind: 'processes', user: 'demo', match: '--ini /home/demo/myapp/myapp.ini', count: 6 },
      '6 processes of demo running "… --ini /home/demo/myapp/myapp.ini"',
      'demo のプロセスで "… --ini /home/demo/myapp/myapp.ini" を実行しているものが 6 個',
    ],
    [
      { kind: 'socket', path: '/run/myapp/myapp.sock', mode: 0o664, group: 'www-data' },
      'a socket, mode 664, group www-data',
      'ソケットで、モード 664、グループ www-data',
    ],
    [{ kind: 'port-free', port: 8080 }, 'nothing listening on port 8080', 'ポート 8080 で何も待ち受けていない'],
  ];
  for (const [probe, en, ja] of cases) {
    it(`${probe.kind}: ${en}`, () => {
      assert.equal(expectedText(probe, 'en'), en);
      assert.equal(expectedText(probe, 'ja'), ja);
    });
  }
});

describe('foundText: what the probe saw, in words', () => {
  const processes: Probe = { kind: 'processes', user: 'demo', match: 'uwsgi', count: 6 };
  const port: Probe = { kind: 'port-free', port: 80 };
  const nginxSaid = 'nginx: [emerg] unknown directive "uwsgi_pas"';
  const cases: [Observation, Probe | undefined, string, string][] = [
    [{ kind: 'packages', missing: [] }, undefined, 'all installed', 'すべてインストール済み'],
    [{ kind: 'packages', missing: ['nginx'] }, undefined, 'not installed: nginx', '未インストール: nginx'],
    [
      { kind: 'command', exitCode: 1, output: [nginxSaid, 'nginx: configuration file test failed'] },
      undefined,
      `exit 1: ${nginxSaid} ⏎ nginx: configuration file test failed`,
      `終了コード 1: ${nginxSaid} ⏎ nginx: configuration file test failed`,
    ],
    [
      { kind: 'command', exitCode: null, output: [] },
      undefined,
      'exit none: (no output)',
      '終了コード なし: (出力なし)',
    ],
    [{ kind: 'file', exists: false }, file, 'no such file', 'ファイルがない'],
    [{ kind: 'file', exists: false, error: 'EACCES' }, file, 'cannot read it (EACCES)', '読めない (EACCES)'],
    [{ kind: 'file', exists: true, differences: [] }, file, 'as expected', '期待どおり'],
    [
      {
        kind: 'file',
        exists: true,
        differences: [
          { what: 'content' },
          { what: 'owner', found: 'root' },
          { what: 'group', found: 'root' },
          { what: 'mode', found: 0o600 },
          { what: 'not-executable' },
        ],
      },
      file,
      'content differs, owner root, group root, mode 0600, not executable',
      '内容が違う、所有者 root、グループ root、モード 0600、実行できない',
    ],
    [
      { kind: 'http', status: 502, body: '<h1>502 Bad Gateway</h1>' },
      page,
      'HTTP 502: <h1>502 Bad Gateway</h1>',
      'HTTP 502: <h1>502 Bad Gateway</h1>',
    ],
    [{ kind: 'http', status: 200, body: '' }, page, 'HTTP 200: (empty body)', 'HTTP 200: (本文なし)'],
    [
      { kind: 'http', error: 'ECONNREFUSED' },
      page,
      'connection refused (ECONNREFUSED)',
      '接続を拒否された (ECONNREFUSED)',
    ],
    [{ kind: 'http', error: 'ETIMEDOUT' }, page, 'no answer within 5 s', '5 秒以内に応答がない'],
    [{ kind: 'http', error: 'EHOSTUNREACH' }, page, 'could not connect (EHOSTUNREACH)', '接続できない (EHOSTUNREACH)'],
    [{ kind: 'processes', running: 6 }, processes, '6 running', '6 個が動いている'],
    [{ kind: 'processes', running: 0, userMissing: true }, processes, 'no user demo', 'ユーザー demo がいない'],
    [
      { kind: 'socket', exists: true, isSocket: true, mode: 0o664, group: 'sammy' },
      undefined,
      'socket, mode 664, group sammy',
      'ソケット、モード 664、グループ sammy',
    ],
    [
      { kind: 'socket', exists: true, isSocket: false, mode: 0o644, group: 'root' },
      undefined,
      'not a socket, mode 644, group root',
      'ソケットではない、モード 644、グループ root',
    ],
    [{ kind: 'socket', exists: false }, undefined, 'not there', 'ない'],
    [
      { kind: 'socket', exists: false, error: "stat: cannot statx '/run/a.sock': Permission denied" },
      undefined,
      "stat: cannot statx '/run/a.sock': Permission denied",
      "stat: cannot statx '/run/a.sock': Permission denied",
    ],
    [{ kind: 'port-free', inUse: false }, port, 'free', '空いている'],
    [{ kind: 'port-free', inUse: true }, port, 'port 80 is in use', 'ポート 80 は使用中'],
    [{ kind: 'port-free', inUse: false, error: 'EACCES' }, port, 'cannot tell (EACCES)', '確かめられない (EACCES)'],
    [
      { kind: 'error', message: 'EMFILE' },
      undefined,
      'the check itself failed: EMFILE',
      '確認そのものが失敗した: EMFILE',
    ],
    [
      { kind: 'unrecorded' },
      undefined,
      'the recorded run never asked this at this point (simulation)',
      '記録した実行では、この時点でこの確認をしていない (シミュレーション)',
    ],
  ];
  for (const [observed, probe, en, ja] of cases) {
    it(`${observed.kind}: ${en}`, () => {
      assert.equal(foundText(observed, 'en', probe), en);
      assert.equal(foundText(observed, 'ja', probe), ja);
    });
  }

  it('in Japanese, no English sentence but what a program printed', () => {
    const programs = [
      nginxSaid,
      'nginx: configuration file test failed',
      "stat: cannot statx '/run/a.sock': Permission denied",
    ];
    const japanese = cases.map(([observed, probe]) => foundText(observed, 'ja', probe)).join('\n');
    assert.deepEqual(englishSentences(japanese, programs), []);
    const english = cases.map(([observed, probe]) => foundText(observed, 'en', probe)).join('\n');
    assert.ok(englishSentences(english, programs).length > 5, 'the scan finds the English ones');
  });
});
