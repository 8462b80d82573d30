import { op } from './wasm-module.ts';

/*
 * The pieces of a row's walk down a tree that the WebAssembly prediction and growing kernels share
 * (gbdt/tree-margins-wasm.ts for boosting's heap-layout trees, forest/forest-sums-wasm.ts for the
 * forest's trees in creation order).
 */

const I32_LE_U = [0x4d];

/** Locals (and parameters) the walk uses: the matrix and tree addresses, the row, and scratch. */
export interface WalkLocals {
  bins: number;
  n: number;
  feature: number;
  splitBin: number;
  defaultLeft: number;
  binCounts: number;
  steps: number;
  i: number;
  step: number;
  node: number;
  f: number;
  fi: number;
  b: number;
  left: number;
}

/** An i32 array's element: base + 4 · index, loaded. */
export const i32At = (base: number, index: number[][]): number[][] => [op.get(base), ...index, op.i32(2), op.i32Shl, op.i32Add, op.i32Load()];

/**
 * Whether row i goes left at `node`, split on feature f (≥ 0), as 1 / 0 on the stack; b gets the
 * row's bin. The missing bin (binCounts[f] − 1) follows defaultLeft, any other goes left when
 * b ≤ splitBin. Chosen by a select, not a branch (which way a row goes is a coin toss).
 */
export function goesLeft(w: Pick<WalkLocals, 'bins' | 'n' | 'i' | 'node' | 'f' | 'b' | 'defaultLeft' | 'splitBin' | 'binCounts'>): number[][] {
  return [
    op.get(w.bins), op.get(w.f), op.get(w.n), op.i32Mul, op.i32Add, op.get(w.i), op.i32Add, op.i32Load8U(), op.set(w.b),
    ...i32At(w.defaultLeft, [op.get(w.node)]), op.get(w.b), ...i32At(w.splitBin, [op.get(w.node)]), I32_LE_U,
    op.get(w.b), ...i32At(w.binCounts, [op.get(w.f)]), op.i32(1), op.i32Sub, op.i32Eq, op.select,
  ];
}

