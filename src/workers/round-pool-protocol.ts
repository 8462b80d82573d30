import type { SharedRows } from '../core/models/gbdt/boost-rows.ts';
import type { Quantised } from '../core/models/gbdt/quantise.ts';
import type { GbdtParams, Tree } from '../core/models/gbdt/types.ts';
import type { LogisticProblem } from '../core/models/logistic/engine.ts';

/**
 * To a boosting helper: the training's matrix (copied once), a tree to grow, the boosting rows in
 * shared memory and a range of them to evaluate (probabilities and loss, between rounds), or the
 * end of the training. A logistic fit's partner: the second part of its rows (moved) and the
 * shared memory its evaluations go through (see PartnerChannel), served until the fit ends.
 */
export type RoundHelperMessage =
  | { type: 'matrix'; rows: number; features: number; bins: Uint8Array; binCounts: Int32Array; params: GbdtParams }
  | { type: 'tree'; q: Quantised; active: Uint8Array; features: Int32Array }
  | { type: 'rows'; rows: SharedRows }
  | { type: 'evaluate'; from: number; to: number }
  | { type: 'treeFromRows'; c: number; j: number; features: Int32Array }
  | { type: 'drop' }
  | { type: 'logistic'; part: LogisticProblem; channel: SharedArrayBuffer };

/**
 * A tree's reply says when the helper finished it (performance.timeOrigin + now(), ms) and how long
 * it took (ms); an evaluation's, its rows' loss sum.
 */
export type RoundHelperReply =
  | { type: 'ready' }
  | { type: 'tree'; tree: Tree; nodeOfRow: Int32Array; doneAt: number; busy: number }
  | { type: 'evaluated'; loss: number }
  | { type: 'error'; message: string };
