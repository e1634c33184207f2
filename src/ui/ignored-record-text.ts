// Why a progress record was ignored, in the person's language (the reason is data: engine/progress.ts).
import type { IgnoredBecause } from '../engine/progress.js';
import type { Labels } from './labels.js';

export function ignoredBecauseSaid(l: Labels, because: IgnoredBecause): string {
  const w = l.ignoredBecause;
  switch (because.kind) {
    case 'unreadable':
      return w.unreadable(because);
    case 'not-json':
      return w.notJson;
    case 'version':
      return w.version(because);
    case 'damaged':
      return w.damaged(because);
  }
}
