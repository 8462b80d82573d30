import type { Quantised } from '../core/models/gbdt/quantise.ts';
import type { GbdtParams, Tree } from '../core/models/gbdt/types.ts';

/** To a boosting helper: the training's matrix (copied once), a tree to grow, or the end of the training. */
export type RoundHelperMessage =
  | { type: 'matrix'; rows: number; features: number; bins: Uint8Array; binCounts: Int32Array; params: GbdtParams }
  | { type: 'tree'; q: Quantised; active: Uint8Array; features: Int32Array }
  | { type: 'drop' };

/** A tree's reply says when the helper finished it (performance.timeOrigin + now(), ms) and how long it took (ms). */
export type RoundHelperReply = { type: 'ready' } | { type: 'tree'; tree: Tree; nodeOfRow: Int32Array; doneAt: number; busy: number } | { type: 'error'; message: string };
