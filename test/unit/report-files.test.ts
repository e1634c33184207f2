// The report's files are written where the person asked, which may be a directory others can
// write to: a link planted under a report's name is refused, and what it points to is untouched.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ReportLinkError, writeReportFiles } from '../../src/exec/report-files.js';

describe('writeReportFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'uwsgi-guide-report-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes each file, and writes it again in place on the next report', () => {
    writeReportFiles(join(dir, 'out'), { 'r.md': 'first\n' });
    writeReportFiles(join(dir, 'out'), { 'r.md': 'second\n', 'r.json': '{}\n' });
    assert.equal(readFileSync(join(dir, 'out', 'r.md'), 'utf8'), 'second\n');
    assert.equal(readFileSync(join(dir, 'out', 'r.json'), 'utf8'), '{}\n');
  });

  it('refuses a link planted under a report name and leaves its target alone', () => {
    const target = join(dir, 'precious');
    writeFileSync(target, 'not yours\n');
    symlinkSync(target, join(dir, 'planted.md'));
    const planted = join(dir, 'planted.md');
    assert.throws(
      () => writeReportFiles(dir, { 'planted.md': 'report\n' }),
      (error: unknown) => error instanceof ReportLinkError && error.path === planted,
    );
    assert.equal(readFileSync(target, 'utf8'), 'not yours\n');
  });

  it('a link under the second name leaves the first unwritten too', () => {
    const target = join(dir, 'precious2');
    writeFileSync(target, 'not yours\n');
    symlinkSync(target, join(dir, 'second.json'));
    assert.throws(
      () => writeReportFiles(dir, { 'second.md': 'report\n', 'second.json': '{}\n' }),
      (error: unknown) => error instanceof ReportLinkError && error.path === join(dir, 'second.json'),
    );
    assert.ok(!existsSync(join(dir, 'second.md')), 'nothing was written');
    assert.equal(readFileSync(target, 'utf8'), 'not yours\n');
  });
});
