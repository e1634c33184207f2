// A command's output reaches the session in batches: chunks that come close together are handed
// on together, in order, and nothing is held back once the command ends.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { BATCH_MS, batchOutput } from '../../src/exec/output-batch.js';

describe('batchOutput', () => {
  it(`hands on the chunks of ${BATCH_MS} ms as one, in the order they came`, () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const delivered: string[] = [];
      const batch = batchOutput((text) => delivered.push(text));
      batch.push('a\n');
      batch.push('b\n');
      mock.timers.tick(BATCH_MS - 1);
      assert.deepEqual(delivered, []);
      batch.push('c');
      mock.timers.tick(1);
      assert.deepEqual(delivered, ['a\nb\nc']);
      batch.push('d\n');
      mock.timers.tick(BATCH_MS);
      assert.deepEqual(delivered, ['a\nb\nc', 'd\n']);
      mock.timers.tick(BATCH_MS * 10);
      assert.equal(delivered.length, 2, 'no empty batches while nothing comes');
    } finally {
      mock.timers.reset();
    }
  });

  it('hands on a large batch at once, without waiting', () => {
    const delivered: string[] = [];
    const batch = batchOutput((text) => delivered.push(text), 1000, 10);
    batch.push('12345');
    batch.push('67890');
    assert.deepEqual(delivered, ['1234567890']);
    batch.flush();
    assert.equal(delivered.length, 1);
  });

  it('flush hands on what is gathered now, and the waiting batch is not handed on again', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const delivered: string[] = [];
      const batch = batchOutput((text) => delivered.push(text));
      batch.push('last words\n');
      batch.flush();
      assert.deepEqual(delivered, ['last words\n']);
      mock.timers.tick(BATCH_MS * 2);
      assert.deepEqual(delivered, ['last words\n']);
    } finally {
      mock.timers.reset();
    }
  });
});
