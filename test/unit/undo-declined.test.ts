// `undo` asks before it takes anything back (issue 21, the small ones): answering No is an answer,
// not an interruption. It exits 0, says nothing was undone, and keeps the record for a later undo.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { emptyProgress } from '../../src/engine/progress.js';
import { progressPath } from '../../src/exec/progress-store.js';
import { cannotIsolate, inTerminal, personEnv } from '../cli-run.js';

const state = mkdtempSync(join(tmpdir(), 'uwsgi-guide-undo-'));
after(() => rmSync(state, { recursive: true, force: true }));
const dir = join(state, 'uwsgi-nginx-guide');
// Accounts and groups every Debian has, so that the record's answers are valid anywhere.
const ANSWERS = {
  appName: 'undoapp',
  user: 'daemon',
  appDir: '/srv/undoapp',
  webGroup: 'daemon',
  serverName: 'undo.example',
  processes: 2,
  testPort: 8097,
};
const ENTRY = { kind: 'created', step: 'virtualenv', path: '/srv/undoapp', undo: 'rmdir /srv/undoapp' };

describe('undo, declined at its question', { skip: cannotIsolate }, () => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    progressPath(dir),
    JSON.stringify({ ...emptyProgress(ANSWERS, '2026-11-23T10:00:00.000Z'), journal: [ENTRY] }),
  );

  for (const [lang, question, declined] of [
    ['en', 'Take all of this back?', 'Nothing was undone; the record is kept'],
    ['ja', 'これらをすべて元に戻しますか?', '何も元に戻していません'],
  ] as const) {
    it(`${lang}: No exits 0, says nothing was undone, and the record keeps what undo would take back`, async () => {
      const term = inTerminal(['--lang', lang, 'undo'], personEnv(state));
      try {
        await term.until('rmdir /srv/undoapp');
        await term.until(question);
        term.type('n\r');
        await term.until(declined);
        assert.equal(await term.ended(), 0, term.screen());
      } finally {
        term.stop();
      }
      const kept = JSON.parse(readFileSync(progressPath(dir), 'utf8')) as { journal: unknown[] };
      assert.deepEqual(kept.journal, [ENTRY]);
    });
  }
});
