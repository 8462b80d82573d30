import type { FeatureMatrix } from '../binning/types.ts';
import type { SharedRows } from './boost-rows.ts';
import { createScratch, growTree } from './grow-tree.ts';
import { histogramLayout } from './histogram.ts';
import { wasmHistograms } from './histogram-wasm.ts';
import type { Quantised } from './quantise.ts';
import type { GbdtParams, Tree } from './types.ts';

/**
 * What grows one boosting tree from quantised gradients: the CPU reference here, or a GPU engine
 * (src/gpu) that keeps the binned matrix on the device. Both must make the same split decisions,
 * so both sum the same fixed-point integers and hand the sums to the same split search.
 */
export interface TreeGrower {
  /** "cpu", or the GPU adapter's description. */
  readonly device: string;
  /**
   * Trees it grows at once (default 1). Above 1, trainGbdt asks for all of a softmax round's trees
   * (one per class, from the same gradients) before awaiting any, each with arrays of its own.
   */
  readonly concurrency?: number;
  /**
   * Says how many trees the next `grow` calls ask for (a round's, or its share): a grower on
   * several threads may then send a tree away as soon as it is asked for, while the caller
   * computes the next tree's gradients.
   */
  beginRound?(trees: number): void;
  /**
   * One tree over the rows marked `active` (their g, h enter the histograms), restricted to
   * `features`; `nodeOfRow` comes back holding every row's leaf.
   */
  grow(q: Quantised, active: Uint8Array, features: Int32Array, nodeOfRow: Int32Array): Tree | Promise<Tree>;
  /**
   * Given the boosting rows in shared memory, a way for another of the grower's threads to evaluate
   * rows [from, to) of them (`evaluateRows`, its loss sum back), or undefined.
   */
  shareRows?(rows: SharedRows): ((from: number, to: number) => Promise<number>) | undefined;
  /**
   * After shareRows, with no row sampling: class c's tree from RowSet j of the shared rows, its
   * gradients and fixed point computed by the thread that grows it (`quantiseShared`) and its
   * leaves written into the set; undefined when this tree stays with `grow`.
   */
  growFromRows?(c: number, j: number, features: Int32Array): Promise<Tree> | undefined;
  /** Frees what the grower holds (device buffers). */
  dispose(): void;
}

export type GrowerFactory = (matrix: FeatureMatrix, params: GbdtParams) => TreeGrower | Promise<TreeGrower>;

/**
 * The CPU grower, one thread: its histogram loops in WebAssembly SIMD where the host has it and the
 * memory is within bounds (histogram-wasm.ts), else in JS. Both give the same trees, bit for bit.
 */
export const cpuGrower: GrowerFactory = (matrix, params) => {
  const layout = histogramLayout(matrix);
  const fast = wasmHistograms(matrix, layout, params.maxDepth);
  if (!fast) return jsCpuGrower(matrix, params);
  return {
    device: 'cpu',
    grow: (q, active, features, nodeOfRow) => growTree(matrix, layout, features, q, active, params, fast.scratch, nodeOfRow, fast.work),
    dispose: () => undefined,
  };
};

/** The CPU reference grower: one thread, every loop in JS. */
export const jsCpuGrower: GrowerFactory = (matrix, params) => {
  const layout = histogramLayout(matrix);
  const scratch = createScratch(matrix.rows);
  return {
    device: 'cpu',
    grow: (q, active, features, nodeOfRow) => growTree(matrix, layout, features, q, active, params, scratch, nodeOfRow),
    dispose: () => undefined,
  };
};
