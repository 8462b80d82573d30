/**
 * Cut points for at most `maxRealBins` bins of the finite values given (sorted in place), as
 * XGBoost's `hist`: with few distinct values every value gets its own bin (cuts half-way between
 * neighbours); otherwise cuts at evenly spaced ranks, each moved down to half-way between the
 * value at that rank and the next smaller distinct value, duplicates dropped. Unweighted.
 */
export function quantileCuts(values: Float64Array, maxRealBins: number): Float64Array {
  const n = values.length;
  if (n === 0 || maxRealBins < 2) return new Float64Array(0);
  values.sort();
  let distinct = 1;
  for (let i = 1; i < n && distinct <= maxRealBins; i++) if (values[i] !== values[i - 1]) distinct++;
  const cuts: number[] = [];
  if (distinct <= maxRealBins) {
    for (let i = 1; i < n; i++) if (values[i] !== values[i - 1]) cuts.push(between(values[i - 1]!, values[i]!));
    return Float64Array.from(cuts);
  }
  for (let j = 1; j < maxRealBins; j++) {
    const rank = Math.floor((j * n) / maxRealBins);
    const v = values[rank]!;
    const below = lowerBound(values, v);
    if (below === 0) continue;
    const cut = between(values[below - 1]!, v);
    if (cuts.length === 0 || cut > cuts[cuts.length - 1]!) cuts.push(cut);
  }
  return Float64Array.from(cuts);
}

/** The bin of a finite value: the number of cuts ≤ v (binary search). */
export function binOf(cuts: Float64Array, v: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A cut c with a < c ≤ b: the midpoint, or b where rounding puts the midpoint on a. */
function between(a: number, b: number): number {
  const mid = a + (b - a) / 2;
  return mid > a && mid <= b ? mid : b;
}

/** The first index whose value is ≥ v, in a sorted array. */
function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
