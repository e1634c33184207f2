// What undo and a failed rollback list is said in the person's language (issue 14: a Japanese run
// shows no English sentence); the run log keeps the engine's English words.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeEntry, type JournalEntry } from '../../src/engine/journal.js';
import { entryWords } from '../../src/ui/entry-text.js';
import { englishSentences } from '../ui/english-scan.js';

const SITE = '/etc/nginx/sites-available/myapp';
const ENTRIES: JournalEntry[] = [
  { kind: 'created', step: 'virtualenv', path: '/home/demo/myapp', made: 'directory', runAs: 'service-user' },
  { kind: 'file', step: 'nginx', path: SITE, owner: 'root' },
  { kind: 'file', step: 'nginx', path: SITE, owner: 'root', backup: `${SITE}.bak-1` },
  {
    kind: 'relinked',
    step: 'nginx',
    path: '/etc/nginx/sites-enabled/myapp',
    previousTarget: '/etc/nginx/sites-available/old',
    runAs: 'root',
  },
  { kind: 'started', step: 'service', what: { kind: 'systemd-unit', name: 'myapp' } },
  { kind: 'started', step: 'service', what: { kind: 'upstart-job', name: 'myapp' } },
  {
    kind: 'started',
    step: 'service',
    what: { kind: 'uwsgi-daemon', uwsgi: '/home/demo/myapp/myappenv/bin/uwsgi', pidFile: '/run/myapp/myapp.pid' },
  },
];

describe('entryWords', () => {
  it('in English, says what the run log says', () => {
    for (const entry of ENTRIES) assert.equal(entryWords(entry, 'en'), describeEntry(entry));
  });

  it('in Japanese, names the same paths and services with no English sentence', () => {
    for (const entry of ENTRIES) {
      const words = entryWords(entry, 'ja');
      assert.deepEqual(englishSentences(words, []), [], words);
      for (const path of words.match(/\/[^\s)]+/g) ?? []) assert.ok(describeEntry(entry).includes(path), path);
    }
    assert.equal(entryWords(ENTRIES[2]!, 'ja'), `${SITE} を置き換え (以前の版は ${SITE}.bak-1)`);
    assert.equal(entryWords(ENTRIES[4]!, 'ja'), 'systemd のサービス myapp を起動');
  });
});
