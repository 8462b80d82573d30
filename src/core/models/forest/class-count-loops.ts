import type { FeatureMatrix } from '../binning/types.ts';

/*
 * The class-count histogram loops of a forest node in JS: the CPU reference of the WGSL kernel
 * (src/gpu/forest-histogram-kernel.ts) and of the WebAssembly one (class-counts-wasm.ts), and the
 * fallback where WebAssembly is missing. CpuClassCounts (class-counts.ts) drives them.
 */

/**
 * CPU reference of FOREST_HISTOGRAM_WGSL (src/gpu/forest-histogram-kernel.ts): adds the rows
 * `rows[start … end)` to feature f's class-count histogram (`hist`, zero where it is added to):
 * their draws to their class's cell, 1 to the distinct-row cell. Returns the occupied real bins
 * as lo · 65536 + hi + 1 (hi + 1 = 0: none).
 */
export function addClassCounts(
  matrix: FeatureMatrix,
  y: Int32Array,
  draws: Int32Array,
  rows: Int32Array,
  start: number,
  end: number,
  f: number,
  K1: number,
  hist: Int32Array,
): number {
  const bins = matrix.bins;
  const col = f * matrix.rows;
  const miss = matrix.binCounts[f]! - 1;
  const K = K1 - 1;
  let lo = miss;
  let hi = -1;
  for (let k = start; k < end; k++) {
    const i = rows[k]!;
    const b = bins[col + i]!;
    const at = b * K1;
    hist[at + y[i]!]! += draws[i]!;
    hist[at + K]!++;
    if (b !== miss) {
      if (b < lo) lo = b;
      if (b > hi) hi = b;
    }
  }
  return hi < 0 ? 0 : lo * 65536 + hi + 1;
}

/** Features of one node whose histograms one pass over its rows builds (their cells are independent, so the adds overlap). */
export const BATCH = 8;
/** Below this many rows a node's histograms are built one feature at a time (clearing by occupied range is cheaper). */
export const BATCH_MIN_ROWS = 64;

/**
 * As `addClassCounts` for features[from … to) of one node in one pass over its rows: feature s of
 * the batch adds to `hist` from s · slot. Occupied ranges are left to the caller.
 */
export function addBatchClassCounts(
  matrix: FeatureMatrix,
  y: Int32Array,
  draws: Int32Array,
  rows: Int32Array,
  start: number,
  end: number,
  features: Int32Array,
  from: number,
  to: number,
  K1: number,
  hist: Int32Array,
  slot: number,
): void {
  const bins = matrix.bins;
  const n = matrix.rows;
  const K = K1 - 1;
  let s = 0;
  let r = from;
  for (; r + 3 < to; r += 4, s += 4) {
    const c0 = features[r]! * n;
    const c1 = features[r + 1]! * n;
    const c2 = features[r + 2]! * n;
    const c3 = features[r + 3]! * n;
    const o0 = s * slot;
    const o1 = o0 + slot;
    const o2 = o1 + slot;
    const o3 = o2 + slot;
    for (let k = start; k < end; k++) {
      const i = rows[k]!;
      const c = y[i]!;
      const d = draws[i]!;
      const a0 = o0 + bins[c0 + i]! * K1;
      const a1 = o1 + bins[c1 + i]! * K1;
      const a2 = o2 + bins[c2 + i]! * K1;
      const a3 = o3 + bins[c3 + i]! * K1;
      hist[a0 + c]! += d;
      hist[a0 + K]!++;
      hist[a1 + c]! += d;
      hist[a1 + K]!++;
      hist[a2 + c]! += d;
      hist[a2 + K]!++;
      hist[a3 + c]! += d;
      hist[a3 + K]!++;
    }
  }
  for (; r + 1 < to; r += 2, s += 2) {
    const c0 = features[r]! * n;
    const c1 = features[r + 1]! * n;
    const o0 = s * slot;
    const o1 = o0 + slot;
    for (let k = start; k < end; k++) {
      const i = rows[k]!;
      const c = y[i]!;
      const d = draws[i]!;
      const a0 = o0 + bins[c0 + i]! * K1;
      const a1 = o1 + bins[c1 + i]! * K1;
      hist[a0 + c]! += d;
      hist[a0 + K]!++;
      hist[a1 + c]! += d;
      hist[a1 + K]!++;
    }
  }
  if (r < to) {
    const c0 = features[r]! * n;
    const o0 = s * slot;
    for (let k = start; k < end; k++) {
      const i = rows[k]!;
      const a0 = o0 + bins[c0 + i]! * K1;
      hist[a0 + y[i]!]! += draws[i]!;
      hist[a0 + K]!++;
    }
  }
}
