import type { Histogram, NumericStats } from './types.ts';

const QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];
const HISTOGRAM_BINS = 30;

/** Finite values, sorted ascending, and the counts of what was left out. */
export function finiteSorted(values: Float64Array, valid: Uint8Array): {
  sorted: Float64Array;
  nan: number;
  posInf: number;
  negInf: number;
} {
  const out = new Float64Array(values.length);
  let n = 0;
  let nan = 0;
  let posInf = 0;
  let negInf = 0;
  for (let i = 0; i < values.length; i++) {
    if (!valid[i]) continue;
    const v = values[i]!;
    if (v === Infinity) posInf++;
    else if (v === -Infinity) negInf++;
    else if (v !== v) nan++;
    else out[n++] = v;
  }
  const finite = out.subarray(0, n);
  return { sorted: countingSort(finite) ?? finite.sort(), nan, posInf, negInf };
}

/** Most distinct values for which counting beats a comparison sort. */
const COUNTING_LIMIT = 4096;

/**
 * Sorts in place by counting when there are few distinct values (flags, ports, rates: most log
 * columns), which is linear; returns null when there are too many and a real sort is needed.
 */
function countingSort(values: Float64Array): Float64Array | null {
  const counts = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const c = counts.get(v);
    if (c === undefined) {
      if (counts.size === COUNTING_LIMIT) return null;
      counts.set(v, 1);
    } else counts.set(v, c + 1);
  }
  const keys = Float64Array.from(counts.keys()).sort();
  let at = 0;
  for (let k = 0; k < keys.length; k++) {
    const c = counts.get(keys[k]!)!;
    values.fill(keys[k]!, at, at + c);
    at += c;
  }
  return values;
}

/** Statistics of sorted finite values (quantiles by linear interpolation, as numpy's default). */
export function numericStats(sorted: Float64Array, nonFinite: { nan: number; posInf: number; negInf: number }): NumericStats {
  const n = sorted.length;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    sum += sorted[i]!;
    if (sorted[i] === 0) zeros++;
  }
  const mean = n ? sum / n : NaN;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (sorted[i]! - mean) ** 2;
  return {
    min: n ? sorted[0]! : NaN,
    max: n ? sorted[n - 1]! : NaN,
    mean,
    std: n > 1 ? Math.sqrt(ss / (n - 1)) : n === 1 ? 0 : NaN,
    quantiles: QUANTILES.map((p) => ({ p, value: quantile(sorted, p) })),
    zeros,
    ...nonFinite,
  };
}

export function quantile(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Equal-width histogram of sorted finite values; integer columns with a small range get one bin per value. */
export function histogram(sorted: Float64Array, integer: boolean): Histogram {
  const n = sorted.length;
  if (n === 0) return { edges: [], counts: [] };
  const min = sorted[0]!;
  const max = sorted[n - 1]!;
  if (min === max) return { edges: [min - 0.5, max + 0.5], counts: [n] };
  const bins = integer && max - min + 1 <= HISTOGRAM_BINS ? max - min + 1 : HISTOGRAM_BINS;
  const lo = integer && bins === max - min + 1 ? min - 0.5 : min;
  const hi = integer && bins === max - min + 1 ? max + 0.5 : max;
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const b = Math.min(bins - 1, Math.floor((sorted[i]! - lo) / width));
    counts[b]!++;
  }
  return { edges: Array.from({ length: bins + 1 }, (_, i) => lo + i * width), counts };
}

/** Number of distinct values in a sorted array, and the share of the most common one. */
export function distinctAndMode(sorted: Float64Array): { distinct: number; modeCount: number } {
  let distinct = 0;
  let modeCount = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    distinct++;
    if (j - i > modeCount) modeCount = j - i;
    i = j;
  }
  return { distinct, modeCount };
}
