// Step text wrapped once to the terminal's width (issue 15, item 16): what is joined, what is kept.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hangingLines, packItems, keysOf, proseLines, wrapHanging } from '../../src/ui/prose.js';

describe('step text at a width', () => {
  it('joins the lines of a paragraph, keeps blank lines and indented code as they are', () => {
    const text = ['one two three', 'four five six', '', '    $ uwsgi --ini x', 'seven'].join('\n');
    assert.deepEqual(proseLines(text, 20), ['one two three four', 'five six', '', '    $ uwsgi --ini x', 'seven']);
    assert.deepEqual(proseLines(text, 40), ['one two three four five six', '', '    $ uwsgi --ini x', 'seven']);
  });

  it('lines spaced into columns (a table) are kept as written, and so are the spaces that align a list; a line too wide hangs', () => {
    const text = [
      'Stop uWSGI:   systemctl stop myapp.service',
      'Start uWSGI:  systemctl start myapp.service',
      'After a reboot: it starts',
    ].join('\n');
    assert.deepEqual(proseLines(text, 80), text.split('\n'));
    assert.deepEqual(proseLines('  • environ         – a dictionary', 80), ['  • environ         – a dictionary']);
    // Wider than the terminal, a row goes on under its value.
    assert.deepEqual(proseLines(text, 34), [
      'Stop uWSGI:   systemctl stop',
      '              myapp.service',
      'Start uWSGI:  systemctl start',
      '              myapp.service',
      'After a reboot: it starts',
    ]);
    assert.deepEqual(proseLines('  $ uwsgi --socket 0.0.0.0:8080 --protocol=http', 30), [
      '  $ uwsgi --socket',
      '    0.0.0.0:8080',
      '    --protocol=http',
    ]);
  });

  it('a list item goes on under its text; numbered items too; a new bullet starts a new item', () => {
    const text = [
      '  1. call start_response(status, headers):',
      '     the status line;',
      '  2. return an iterable.',
    ].join('\n');
    assert.deepEqual(proseLines(text, 32), [
      '  1. call start_response(status,',
      '     headers): the status line;',
      '  2. return an iterable.',
    ]);
    assert.deepEqual(proseLines(text, 30).slice(0, 2), ['  1. call', '     start_response(status,']);
  });

  it('Japanese breaks between characters, never before 。 or 、, and joins its lines without a space', () => {
    assert.deepEqual(proseLines('あいうえおかきくけこ。\nさしすせそ', 10), [
      'あいうえお',
      'かきくけ',
      'こ。さしす',
      'せそ',
    ]);
    assert.deepEqual(wrapHanging('nginx の設定', 40), ['nginx の設定']);
  });

  it('a word longer than the line is cut, not lost', () => {
    assert.deepEqual(wrapHanging('/run/averyveryverylongname/x.sock', 12), [
      '/run/averyve',
      'ryverylongna',
      'me/x.sock',
    ]);
  });

  it('a shell prompt stays with its command', () => {
    assert.deepEqual(wrapHanging('It was fixed:  $ chgrp www-data /run/x.sock', 16), [
      'It was fixed:',
      '$ chgrp www-data',
      '/run/x.sock',
    ]);
  });

  it('a key bar breaks only between keys', () => {
    const keys = keysOf('[r] check again   [d] do the step again   [s] skip   [q] quit');
    assert.deepEqual(keys, ['[r] check again', '[d] do the step again', '[s] skip', '[q] quit']);
    assert.deepEqual(packItems(keys, 45), [
      ['[r] check again', '[d] do the step again'],
      ['[s] skip', '[q] quit'],
    ]);
  });
});

describe("a report's lines at a width (the doctor's)", () => {
  it('a long line goes on under its text, after its indentation, its marks and its label', () => {
    const lines = [
      '▶ ✗ nginx (running as www-data) may not open the socket /run/myapp/myapp.sock.',
      '   why: Connecting to a unix socket needs write permission on it and the right to enter every directory.',
      '     | 2026/11/24 [crit] connect() to unix:/run/myapp/myapp.sock failed (13: Permission denied)',
      'short',
    ];
    assert.deepEqual(hangingLines(lines, 50), [
      '▶ ✗ nginx (running as www-data) may not open the',
      '    socket /run/myapp/myapp.sock.',
      '   why: Connecting to a unix socket needs write',
      '        permission on it and the right to enter',
      '        every directory.',
      '     | 2026/11/24 [crit] connect() to',
      '       unix:/run/myapp/myapp.sock failed (13:',
      '       Permission denied)',
      'short',
    ]);
  });

  it('a sentence with a colon in it is no label: it hangs under its marks; ) never begins a row', () => {
    const line =
      '▶ ✗ このアプリの nginx のサイトがありません: /etc/nginx/sites-available/tourapp がなく、有効なサイトのどれもそのソケットへ渡していません。';
    const rows = hangingLines([line], 80);
    assert.ok(rows.length > 1 && rows.slice(1).every((row) => /^ {4}\S/.test(row)), rows.join('\n'));
    const layer = '  · ソケットに直接送ったリクエストに答えが返る (未確認: 手前の層で失敗しています)';
    assert.ok(
      hangingLines([layer], 80).every((row) => !/^\s*\)/.test(row)),
      hangingLines([layer], 80).join('\n'),
    );
  });

  it('in Japanese the label is 理由:, and the text hangs under it', () => {
    const [first, ...rest] = hangingLines(
      [`   理由: ${'ソケットに接続するには書き込み権限が必要です。'.repeat(3)}`],
      40,
    );
    assert.ok(first?.startsWith('   理由: ソケット'), first);
    assert.ok(
      rest.length > 0 && rest.every((line) => line.startsWith(' '.repeat(9)) && line[9] !== ' '),
      rest.join('\n'),
    );
  });
});
