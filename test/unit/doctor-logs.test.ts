// The doctor reads the logs a person would (issue 16): only their end, only since the last start,
// and never through a link planted in a directory others can write to.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  journalCommand,
  readJournal,
  readNginxErrorLog,
  readTail,
  readUwsgiLogFile,
} from '../../src/exec/doctor-logs.js';

const dir = mkdtempSync(join(tmpdir(), 'uwsgi-guide-doctor-logs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('readTail', () => {
  it('reads a short log whole, and only the end of a long one, without a line cut in two', () => {
    const log = join(dir, 'short.log');
    writeFileSync(log, 'one\ntwo\n');
    assert.deepEqual(readTail(log), { lines: ['one', 'two'], cut: false });
    const long = join(dir, 'long.log');
    writeFileSync(long, `${'x'.repeat(50)}\nline A\nline B\n`);
    assert.deepEqual(readTail(long, 12), { lines: ['line B'], cut: true }, '"ne A" is not a line of the log');
  });

  it('refuses a link planted in a directory others can write to, and leaves its target unread', () => {
    const open = join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o1777);
    const secret = join(dir, 'secret');
    writeFileSync(secret, 'root:$6$not-for-the-report\n');
    symlinkSync(secret, join(open, 'app.log'));
    const read = readUwsgiLogFile(join(open, 'app.log'));
    assert.deepEqual([read.unreadable, read.lines], ['link', []]);
  });

  it("follows a link only where no one but root could have made it (a root-owned directory others can't write)", () => {
    if (process.getuid?.() !== 0) {
      // As another account the temporary directory is not root's: the link is refused, as above.
      const mine = join(dir, 'mine');
      mkdirSync(mine, { mode: 0o755 });
      writeFileSync(join(dir, 'real.log'), 'a line\n');
      symlinkSync(join(dir, 'real.log'), join(mine, 'error.log'));
      assert.equal(readNginxErrorLog({ path: join(mine, 'error.log') }).unreadable, 'link');
      return;
    }
    const rootOwned = join(dir, 'root-owned');
    mkdirSync(rootOwned, { mode: 0o755 });
    chmodSync(rootOwned, 0o755);
    writeFileSync(join(dir, 'real.log'), '2026/11/24 00:27:34 [crit] 1#1: *1 a line\n');
    symlinkSync(join(dir, 'real.log'), join(rootOwned, 'error.log'));
    assert.deepEqual(readNginxErrorLog({ path: join(rootOwned, 'error.log') }).lines, [
      '2026/11/24 00:27:34 [crit] 1#1: *1 a line',
    ]);
  });

  it('says what is in the way: a missing log, a FIFO (never opened to wait on), a directory', () => {
    assert.deepEqual(readTail(join(dir, 'nothing.log')), { unreadable: 'missing', reason: 'ENOENT' });
    const fifo = join(dir, 'fifo.log');
    execFileSync('mkfifo', [fifo]);
    assert.deepEqual(readTail(fifo), { unreadable: 'not-a-file', reason: 'not a regular file' });
    assert.equal(readUwsgiLogFile(dir).unreadable, 'not-a-file');
  });
});

describe("the logs' own cuts", () => {
  it("uWSGI's log file: since its last start", () => {
    const log = join(dir, 'uwsgi.log');
    writeFileSync(log, '*** Starting uWSGI 2.0.21 ***\nold\n*** Starting uWSGI 2.0.21 ***\nnew\n');
    const read = readUwsgiLogFile(log);
    assert.deepEqual(
      { source: read.source, file: read.file, lines: read.lines },
      { source: 'uwsgi', file: log, lines: ['*** Starting uWSGI 2.0.21 ***', 'new'] },
    );
  });

  it("nginx's error log: since the time asked; all of its end without one", () => {
    const log = join(dir, 'error.log');
    writeFileSync(log, '2026/11/24 00:27:26 [crit] 1#1: *1 old\n2026/11/24 00:27:34 [crit] 1#1: *2 new\n');
    assert.deepEqual(readNginxErrorLog({ path: log, since: new Date(2026, 10, 24, 0, 27, 30) }).lines, [
      '2026/11/24 00:27:34 [crit] 1#1: *2 new',
    ]);
    assert.equal(readNginxErrorLog({ path: log }).lines.length, 2);
  });
});

describe('the journal', () => {
  it('asks journalctl for the unit as its programs wrote it, this boot or since a time', () => {
    assert.equal(journalCommand('myapp'), 'journalctl -u myapp --boot -o cat --no-pager -n 5000');
    assert.equal(
      journalCommand('my app', new Date(1_700_000_000_500)),
      "journalctl -u 'my app' --since @1700000000 -o cat --no-pager -n 5000",
    );
  });

  it("keeps the end since uWSGI's last start, with systemd's lines after it, bounded", async () => {
    const printed = [
      '*** Starting uWSGI 2.0.21 ***',
      'old start',
      '*** Starting uWSGI 2.0.21 ***',
      "unable to load app 0 (mountpoint='') (callable not found or import error)",
      'myapp.service: Main process exited, code=exited, status=217/USER',
      '',
    ].join('\n');
    const asked: string[] = [];
    const read = await readJournal('myapp', {
      run: async (command) => {
        asked.push(command);
        return { code: 0, stdout: printed, stderr: '' };
      },
    });
    assert.deepEqual(asked, ['journalctl -u myapp --boot -o cat --no-pager -n 5000']);
    assert.deepEqual(read.lines, printed.split('\n').slice(2, 5));
    assert.equal(read.cut, false);
    const bounded = await readJournal('myapp', {
      maxBytes: 70,
      run: async () => ({ code: 0, stdout: printed, stderr: '' }),
    });
    assert.deepEqual(
      [bounded.lines, bounded.cut],
      [['myapp.service: Main process exited, code=exited, status=217/USER'], true],
    );
  });

  it("says journalctl's own words when it fails, and nothing of '-- No entries --'", async () => {
    const failed = await readJournal('myapp', {
      run: async () => ({ code: 1, stdout: '', stderr: 'Failed to add match: Invalid argument\n' }),
    });
    assert.deepEqual([failed.unreadable, failed.reason], ['failed', 'Failed to add match: Invalid argument']);
    const empty = await readJournal('myapp', {
      run: async () => ({ code: 0, stdout: '-- No entries --\n', stderr: '' }),
    });
    assert.deepEqual(empty.lines, []);
  });
});
