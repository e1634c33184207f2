// The screen's subscription to the session: output redrawn at most once a frame, everything else at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WizardEvent, WizardState } from '../../src/engine/wizard.js';
import { throttleOutput, type StateSource } from '../../src/ui/session-state.js';
import { sleep } from '../helpers.js';

/** A session stand-in: `emit` tells every listener of an event, as WizardSession.dispatch does. */
function source() {
  const listeners = new Set<Parameters<StateSource['subscribe']>[0]>();
  const subscribe: StateSource['subscribe'] = (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  const emit = (event: WizardEvent) => {
    for (const listener of listeners) listener({} as WizardState, event);
  };
  return { subscribe, emit, listeners };
}

const output: WizardEvent = { type: 'output', text: 'line\n' };

describe('throttleOutput', () => {
  it('draws the first chunk of output at once, then at most one frame per interval for a flood of chunks', async () => {
    const { subscribe, emit } = source();
    let draws = 0;
    const unsubscribe = throttleOutput(subscribe, 40)(() => (draws += 1));
    emit(output);
    assert.equal(draws, 1, 'the first chunk is drawn at once');
    for (let i = 0; i < 500; i++) emit(output);
    assert.equal(draws, 1, 'chunks within the frame wait for it');
    await sleep(60);
    assert.equal(draws, 2, 'one frame shows them all');
    await sleep(60);
    assert.equal(draws, 2, 'no frame without new output');
    unsubscribe();
  });

  it('draws any other change at once, and the output frame it covers is not drawn again', async () => {
    const { subscribe, emit } = source();
    let draws = 0;
    const unsubscribe = throttleOutput(subscribe, 40)(() => (draws += 1));
    emit(output);
    emit(output);
    emit({ type: 'quit' });
    assert.equal(draws, 2, 'the quit is drawn at once, with the output before it');
    await sleep(60);
    assert.equal(draws, 2, 'the pending output frame was cancelled');
    unsubscribe();
  });

  it('stops listening, and drops a pending frame, when unsubscribed', async () => {
    const { subscribe, emit, listeners } = source();
    let draws = 0;
    const unsubscribe = throttleOutput(subscribe, 40)(() => (draws += 1));
    emit(output);
    emit(output);
    unsubscribe();
    await sleep(60);
    assert.equal(draws, 1);
    assert.equal(listeners.size, 0);
  });
});
