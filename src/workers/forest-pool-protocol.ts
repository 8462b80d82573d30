import type { GrowForestParams } from '../core/models/forest/grow-forest-tree.ts';
import type { ForestTree } from '../core/models/forest/types.ts';

/**
 * The forest pool's protocol: whole trees, one message each way. A tree's bootstrap draws lie in a
 * shared slot, an Int32Array whose cell 0 holds the job that may claim it (CLAIM) and cells 1 … n
 * the draws; the job goes to every thread, and the first to swap its id for its own mark
 * (Atomics.compareExchange) grows it. So a thread that comes free takes the oldest tree nobody has
 * started, and no thread waits on another.
 */
export const CLAIM = 0;

/** The mark a thread leaves in a slot it claimed: −1 the pool's own thread, −1 − t helper t. */
export const claimMark = (thread: number): number => -1 - thread;

export type ForestPoolMessage =
  | { type: 'init'; index: number }
  /** One training's rows: `bins` and `y` in shared memory, read by every helper in place. */
  | { type: 'data'; id: number; rows: number; features: number; bins: Uint8Array; binCounts: Int32Array; y: Int32Array; classes: number; classWeight: Float64Array; params: GrowForestParams }
  | { type: 'tree'; data: number; job: number; slot: Int32Array; seed: number }
  | { type: 'drop'; data: number };

export type ForestHelperReply = { type: 'ready' } | { type: 'tree'; job: number; tree: ForestTree } | { type: 'error'; job: number; message: string };

// Checked by hand rather than with zod, as the histogram pool's protocol: a helper starts faster.
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isId = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isShared = (v: unknown, type: typeof Uint8Array | typeof Int32Array): boolean =>
  v instanceof type && typeof SharedArrayBuffer !== 'undefined' && v.buffer instanceof SharedArrayBuffer;

export function parseForestMessage(data: unknown): ForestPoolMessage {
  if (isObject(data)) {
    const { type } = data;
    if (type === 'init' && isId(data.index)) return data as ForestPoolMessage;
    if (type === 'drop' && isId(data.data)) return data as ForestPoolMessage;
    if (type === 'tree' && isId(data.data) && isId(data.job) && isShared(data.slot, Int32Array) && isId(data.seed)) return data as ForestPoolMessage;
    if (type === 'data' && isId(data.id) && isId(data.rows) && isId(data.features) && isId(data.classes) && isObject(data.params)) {
      const { bins, y, binCounts, classWeight, params } = data;
      const sizes =
        isShared(bins, Uint8Array) &&
        (bins as Uint8Array).length === data.rows * data.features &&
        isShared(y, Int32Array) &&
        (y as Int32Array).length === data.rows &&
        binCounts instanceof Int32Array &&
        binCounts.length === data.features &&
        classWeight instanceof Float64Array &&
        classWeight.length === data.classes;
      if (sizes && isId(params.maxDepth) && isId(params.minSamplesLeaf) && isId(params.maxFeatures)) return data as ForestPoolMessage;
    }
  }
  throw new Error('forest helper: not a pool message');
}

const TREE_ARRAYS = { feature: Int32Array, splitBin: Int32Array, defaultLeft: Uint8Array, left: Int32Array, value: Float64Array, gain: Float64Array } as const;

export function parseHelperReply(data: unknown): ForestHelperReply {
  if (isObject(data)) {
    if (data.type === 'ready') return { type: 'ready' };
    if (data.type === 'error' && isId(data.job) && typeof data.message === 'string') return data as ForestHelperReply;
    const tree = data.tree;
    if (data.type === 'tree' && isId(data.job) && isObject(tree)) {
      const nodes = (tree.feature as { length?: unknown } | undefined)?.length;
      const ok = Object.entries(TREE_ARRAYS).every(([key, type]) => tree[key] instanceof type && (tree[key] as ArrayLike<number>).length >= (nodes as number));
      if (ok) return data as ForestHelperReply;
    }
  }
  throw new Error('forest pool: not a helper reply');
}

/** The buffers a tree's arrays own, to transfer rather than copy. */
export function treeBuffers(tree: ForestTree): ArrayBuffer[] {
  return [tree.feature, tree.splitBin, tree.defaultLeft, tree.left, tree.value, tree.gain].map((a) => a.buffer as ArrayBuffer);
}
