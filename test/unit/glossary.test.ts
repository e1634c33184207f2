// The glossary (issue 7): looking terms up, printing them, and the overlay's open / scrolled state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatGlossary, lookUp, type GlossaryEntry } from '../../src/engine/glossary.js';
import { GLOSSARY_CLOSED, reduceGlossaryView } from '../../src/ui/glossary-view.js';

const entries: GlossaryEntry[] = [
  {
    term: { en: 'unix socket', ja: 'unix ソケット' },
    definition: { en: 'A file to connect to.', ja: 'つなぐためのファイル。' },
    mentions: /socket/,
  },
  {
    term: { en: 'worker', ja: 'ワーカー (worker)' },
    definition: { en: 'Runs the app.', ja: 'アプリを動かす。' },
    mentions: /worker/,
  },
];

describe('glossary', () => {
  it('prints every entry, term then explanation, in the chosen language', () => {
    assert.equal(formatGlossary(entries, 'en'), '■ unix socket\nA file to connect to.\n\n■ worker\nRuns the app.\n');
    assert.equal(
      formatGlossary(entries, 'ja'),
      '■ unix ソケット\nつなぐためのファイル。\n\n■ ワーカー (worker)\nアプリを動かす。\n',
    );
  });

  it('looks a word up in the terms of either language, ignoring case; no word: all', () => {
    assert.deepEqual(
      lookUp(entries, 'SOCK').map((e) => e.term.en),
      ['unix socket'],
    );
    assert.deepEqual(
      lookUp(entries, 'ワーカー').map((e) => e.term.en),
      ['worker'],
    );
    assert.deepEqual(lookUp(entries, 'nginx'), []);
    assert.equal(lookUp(entries).length, 2);
  });

  it('the overlay opens at the top, scrolls within its entries, and closes', () => {
    const open = reduceGlossaryView(GLOSSARY_CLOSED, { type: 'toggle' });
    assert.deepEqual(open, { open: true, top: 0 });
    assert.equal(reduceGlossaryView(open, { type: 'scroll', by: -1, entries: 3 }), open, 'not above the first');
    const down = reduceGlossaryView(open, { type: 'scroll', by: 5, entries: 3 });
    assert.deepEqual(down, { open: true, top: 2 }, 'not past the last');
    assert.deepEqual(
      reduceGlossaryView(reduceGlossaryView(down, { type: 'toggle' }), { type: 'toggle' }),
      { open: true, top: 0 },
      'opened again: at the top',
    );
    assert.deepEqual(reduceGlossaryView(down, { type: 'close' }), GLOSSARY_CLOSED);
    assert.equal(
      reduceGlossaryView(GLOSSARY_CLOSED, { type: 'scroll', by: 1, entries: 3 }),
      GLOSSARY_CLOSED,
      'closed: no scrolling',
    );
  });
});
