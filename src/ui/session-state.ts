// The screen's view of the session's state, redrawn at most FRAME_MS apart while a command pours
// out output (issue 8). Every batch of output changes the state; re-rendering the whole screen for
// each would cost React a reconciliation per batch — twenty a second for a chatty build —
// although nobody reads a frame in less time. Any other change (a key, a phase,
// a check) is drawn at once, with the latest output.
import { useMemo, useSyncExternalStore } from 'react';
import type { WizardEvent, WizardState } from '../engine/wizard.js';

/**
 * Output is redrawn at most this often: 4 frames a second. A frame costs ink ~10 ms of layout and
 * text however little changed, and V8 more to compile ink's code again as it goes: over a
 * 5-second flood of output each frame a second added ~0.1 s of the wizard's CPU (npm run bench).
 * Lines that pour out faster than this scroll by unread at any pace; a line that comes alone is
 * on the screen within a quarter of a second.
 */
export const FRAME_MS = 250;

export interface StateSource {
  getState(): WizardState;
  /** `event` is what changed the state; without one, every change is drawn at once. */
  subscribe(listener: (state: WizardState, event?: WizardEvent) => void): () => void;
}

/** Wrap a subscription so that output-only changes reach `listener` at most once per `frameMs`. */
export function throttleOutput(subscribe: StateSource['subscribe'], frameMs = FRAME_MS) {
  return (listener: () => void): (() => void) => {
    let timer: NodeJS.Timeout | undefined;
    let lastDrawn = 0;
    const draw = () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      lastDrawn = Date.now();
      listener();
    };
    const unsubscribe = subscribe((_state, event) => {
      if (event?.type !== 'output') return draw();
      if (timer) return; // A frame is already due: it will show this output too.
      const wait = lastDrawn + frameMs - Date.now();
      if (wait <= 0) draw();
      else timer = setTimeout(draw, wait);
    });
    return () => {
      if (timer) clearTimeout(timer);
      unsubscribe();
    };
  };
}

/** The session's state for a component, with output redrawn at most every `frameMs`. */
export function useSessionState(session: StateSource, frameMs = FRAME_MS): WizardState {
  // Made once per session, not on every render (each output frame is one).
  const subscribe = useMemo(() => throttleOutput(session.subscribe, frameMs), [session, frameMs]);
  return useSyncExternalStore(subscribe, session.getState);
}
