import type { FeatureMatrix } from '../binning/types.ts';
import { emit, forLoop } from '../wasm-control.ts';
import { I32, op, V128, type WasmFunction } from '../wasm-module.ts';

/*
 * Security logs are full of columns where one value dominates: flags, error counts, rates that are
 * 0 for nearly every flow (35 of KDD99's 41 features have one bin holding two thirds of the rows
 * or more). The root's histogram reads every row of every feature, and a column whose rows all
 * fall in one bin is its slowest: each row's add waits on the one before, to the same cell. So for
 * such a feature the rows outside its dominant bin are listed once per training, the root adds
 * just those, and the dominant bin gets the rest: the node's total minus the other bins (sums of
 * integer units, so exactly what adding its rows would give). LightGBM skips its most frequent
 * bin the same way.
 */

/** A feature is listed when its dominant bin holds at least this share of the rows. */
export const SPARSE_SHARE = 2 / 3;

export interface SparseRoot {
  /** Per feature: its dominant bin, or −1 for a feature read whole. */
  dominant: Int32Array;
  /** Per feature f: its entries are entries[starts[f] … starts[f + 1]). */
  starts: Int32Array;
  /** The rows outside each listed feature's dominant bin, ascending, as row · 256 + bin. */
  entries: Int32Array;
}

/**
 * The listed features of a matrix, or undefined when none qualifies (or rows do not fit 24 bits):
 * the JS reference of what the grower's kernels (below) write into its memory.
 */
export function sparseRoot(matrix: Pick<FeatureMatrix, 'rows' | 'features' | 'bins'>): SparseRoot | undefined {
  const { rows: n, features, bins } = matrix;
  if (n === 0 || n > 2 ** 24) return undefined;
  const dominant = new Int32Array(features).fill(-1);
  const starts = new Int32Array(features + 1);
  // Four tables, for rows 4k, 4k + 1, …: a column mostly in one bin would otherwise make every
  // count wait on the one before.
  const counts = new Int32Array(1024);
  for (let f = 0; f < features; f++) {
    counts.fill(0);
    const column = bins.subarray(f * n, (f + 1) * n);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      counts[column[i]!]!++;
      counts[256 + column[i + 1]!]!++;
      counts[512 + column[i + 2]!]!++;
      counts[768 + column[i + 3]!]!++;
    }
    for (; i < n; i++) counts[column[i]!]!++;
    const top = dominantOf(counts, n);
    if (top) dominant[f] = top.bin;
    starts[f + 1] = starts[f]! + (top?.others ?? 0);
  }
  if (!dominant.some((d) => d >= 0)) return undefined;
  const entries = new Int32Array(starts[features]!);
  for (let f = 0; f < features; f++) {
    const d = dominant[f]!;
    if (d < 0) continue;
    const column = bins.subarray(f * n, (f + 1) * n);
    let k = starts[f]!;
    for (let i = 0; i < n; i++) {
      const b = column[i]!;
      if (b !== d) entries[k++] = (i << 8) | b;
    }
  }
  return { dominant, starts, entries };
}

/** Whether a column's top count makes it listed, and how many rows it lists. */
export function dominantOf(counts: Int32Array, n: number): { bin: number; others: number } | undefined {
  let top = 0;
  let most = -1;
  for (let b = 0; b < 256; b++) {
    const c = counts[b]! + counts[256 + b]! + counts[512 + b]! + counts[768 + b]!;
    if (c > most) [top, most] = [b, c];
  }
  return most >= SPARSE_SHARE * n ? { bin: top, others: n - most } : undefined;
}

// rootSparse(entries, end, o, gh, delta): one feature's rows outside its dominant bin (below),
// each an i32 (row << 8 | bin) from entries to end, added to the feature's bins at o; in pairs, the
// second of each into the copy `delta` bytes on (a feature's few other rows often share one bin).
export const ROOT_SPARSE: WasmFunction = (() => {
  const [entries, end, o, gh, delta, e, p] = [0, 1, 2, 3, 4, 5, 6];
  const cell = (offset: number, second: boolean): number[][] => [
    ...[op.get(entries), op.i32Load(offset), op.set(e)],
    ...[op.get(e), op.i32(255), op.i32And, op.i32(4), op.i32Shl, op.get(o), op.i32Add, ...(second ? [op.get(delta), op.i32Add] : []), op.tee(p)],
    ...[op.get(p), op.v128Load(), op.get(gh), op.get(e), op.i32(8), op.i32ShrU, op.i32(4), op.i32Shl, op.i32Add, op.v128Load(), op.f64x2Add, op.v128Store()],
  ];
  return {
    name: 'rootSparse',
    params: [I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32],
    body: [
      ...[op.block, op.loop, op.get(entries), op.i32(4), op.i32Add, op.get(end), op.i32GeU, op.brIf(1)],
      ...cell(0, false), ...cell(4, true),
      ...[op.get(entries), op.i32(8), op.i32Add, op.set(entries), op.br(0), op.end, op.end],
      // An odd count leaves one entry.
      ...[op.get(entries), op.get(end), op.i32LtU, op.if, ...cell(0, false), op.end],
    ],
  };
})();

// countBins(column, n, counts): four tables of 256 i32 counts at counts (zeroed by the caller), row
// 4k + t counted in table t, as sparseRoot.
export const COUNT_BINS: WasmFunction = (() => {
  const [column, n, counts, i] = [0, 1, 2, 3];
  const count = (t: number): number[][] => [
    ...[op.get(column), op.get(i), op.i32Add, op.i32Load8U(t), op.i32(2), op.i32Shl, op.get(counts), op.i32Add, op.tee(4)],
    ...[op.get(4), op.i32Load(1024 * t), op.i32(1), op.i32Add, op.i32Store(1024 * t)],
  ];
  return {
    name: 'countBins',
    params: [I32, I32, I32],
    results: [],
    locals: [I32, I32],
    body: [
      emit([
        ...forLoop('quads', i, [op.i32(0)], [op.get(n), op.i32(-4), op.i32And], [[...count(0), ...count(1), ...count(2), ...count(3)]], 4),
        ...forLoop('tail', i, [op.get(n), op.i32(-4), op.i32And], [op.get(n)], [count(0)]),
      ]),
    ],
  };
})();

// listOthers(column, n, dominant, out) → the end of the list: (row << 8 | bin) of each row whose bin is
// not `dominant`, from out. Every row is written and the cursor moves past the others only, so one
// entry past the end is written over (the caller leaves room).
export const LIST_OTHERS: WasmFunction = (() => {
  const [column, n, dominant, out, i, b] = [0, 1, 2, 3, 4, 5];
  return {
    name: 'listOthers',
    params: [I32, I32, I32, I32],
    results: [I32],
    locals: [I32, I32],
    body: [
      emit(
        forLoop('rows', i, [op.i32(0)], [op.get(n)], [
          [op.get(column), op.get(i), op.i32Add, op.i32Load8U(), op.set(b)],
          [op.get(out), op.get(i), op.i32(8), op.i32Shl, op.get(b), op.i32Or, op.i32Store()],
          [op.get(out), op.get(b), op.get(dominant), op.i32Ne, op.i32(2), op.i32Shl, op.i32Add, op.set(out)],
        ]),
      ),
      op.get(out),
    ],
  };
})();

// fixDominant(o, bins, d, total): a feature's cells at o (bins of them), its dominant one (d) still 0:
// that cell = the node's total (at `total`) − the sum of the cells.
export const FIX_DOMINANT: WasmFunction = (() => {
  const [o, bins, d, total, b, sum] = [0, 1, 2, 3, 4, 5];
  return {
    name: 'fixDominant',
    params: [I32, I32, I32, I32],
    results: [],
    locals: [I32, V128],
    body: [emit([
      [op.f64Const(0), op.f64x2Splat, op.set(sum)],
      ...forLoop('bins', b, [op.i32(0)], [op.get(bins)], [[op.get(sum), op.get(o), op.get(b), op.i32(4), op.i32Shl, op.i32Add, op.v128Load(), op.f64x2Add, op.set(sum)]]),
      [op.get(o), op.get(d), op.i32(4), op.i32Shl, op.i32Add, op.get(total), op.v128Load(), op.get(sum), op.f64x2Sub, op.v128Store()],
    ])],
  };
})();
