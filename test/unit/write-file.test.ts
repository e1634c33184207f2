// The executor's writing of a file the system refuses: named as data (its error code), so that the
// screen says it in the person's language instead of Node's English message (issue 15, item 11).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WriteFileError } from '../../src/engine/ports.js';
import { writeFileAs } from '../../src/exec/system.js';
import { fileAction } from '../helpers.js';

const work = mkdtempSync(join(tmpdir(), 'uwsgi-guide-write-'));
after(() => rmSync(work, { recursive: true, force: true }));
const isRoot = process.getuid?.() === 0;

describe('writeFileAs, when the system refuses', {
  skip: isRoot ? false : 'writes as root only (else it asks sudo)',
}, () => {
  it('a directory that is not there: WriteFileError with the path and ENOENT, not an English message', async () => {
    const path = join(work, 'no-such-dir', 'myapp.ini');
    const error = await writeFileAs({ ...fileAction('ini', path), owner: 'root', group: 'root' }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof WriteFileError, `a WriteFileError: ${String(error)}`);
    assert.deepEqual(error.problem, { kind: 'refused', path, code: 'ENOENT' });
  });
});
