import { lowerBound } from '../lower-bound.ts';
/**
 * Cut points for at most `maxRealBins` bins of the finite values given (which it may sort in
 * place), as XGBoost's `hist`: with few distinct values every value gets its own bin (cuts
 * half-way between neighbours); otherwise cuts at evenly spaced ranks, each moved down to
 * half-way between the value at that rank and the next smaller distinct value, duplicates
 * dropped. Unweighted.
 */
export function quantileCuts(values: Float64Array, maxRealBins: number): Float64Array {
  const n = values.length;
  if (n === 0 || maxRealBins < 2) return new Float64Array(0);
  const cuts: number[] = [];
  // A short column is sorted whole: the native typed-array sort takes ~0.1 ms for 5,000 values,
  // where counting distinct values in JS costs more, above all in a first training (cold code).
  if (n <= SORT_WHOLE) {
    values.sort();
    let distinct = 1;
    for (let i = 1; i < n; i++) if (values[i] !== values[i - 1]) distinct++;
    if (distinct <= maxRealBins) {
      // −0 and +0 are one value, +0 (as distinctUpTo counts them).
      let before = values[0]! === 0 ? 0 : values[0]!;
      for (let i = 1; i < n; i++) {
        if (values[i] === values[i - 1]) continue;
        const v = values[i]! === 0 ? 0 : values[i]!;
        cuts.push(between(before, v));
        before = v;
      }
      return Float64Array.from(cuts);
    }
    return rankCuts(values, maxRealBins, undefined, cuts);
  }
  // Most columns of security logs have few distinct values (flags, counts, rates): their cuts need
  // only those values sorted, not all n (sorting 200,000 values takes ~20 ms a column here).
  const few = distinctUpTo(values, maxRealBins);
  if (few) return fewCuts(few.values.sort());
  // Many values but few distinct ones (byte counts, durations): the ranks below come from the
  // distinct values sorted and their counts, exactly as from all values sorted.
  const some = distinctUpTo(values, Math.max(MANY_DISTINCT, maxRealBins), true);
  const ranked = some ? rankedDistinct(some) : undefined;
  if (!ranked) values.sort();
  return rankCuts(values, maxRealBins, ranked, cuts);
}

/** Every value its own bin: a cut half-way between each pair of neighbours of the distinct values, ascending (−0 given as 0). */
export function fewCuts(sortedDistinct: Float64Array): Float64Array {
  const cuts = new Float64Array(Math.max(0, sortedDistinct.length - 1));
  for (let i = 1; i < sortedDistinct.length; i++) cuts[i - 1] = between(sortedDistinct[i - 1]!, sortedDistinct[i]!);
  return cuts;
}

/** The distinct values ascending with their counts in that order, as rankCuts takes them. */
export function rankedCounts(sortedDistinct: Float64Array, counts: ArrayLike<number>): { values: Float64Array; start: Float64Array } {
  const start = new Float64Array(sortedDistinct.length + 1);
  for (let d = 0; d < sortedDistinct.length; d++) start[d + 1] = start[d]! + counts[d]!;
  return { values: sortedDistinct, start };
}

/**
 * Cuts at evenly spaced ranks (see quantileCuts): from the distinct values ranked (their counts
 * sum to the number of values; `values` is then not read), or else from all values sorted.
 */
export function rankCuts(values: Float64Array, maxRealBins: number, ranked: { values: Float64Array; start: Float64Array } | undefined, cuts: number[] = []): Float64Array {
  const n = ranked ? ranked.start[ranked.start.length - 1]! : values.length;
  let d = 0;
  for (let j = 1; j < maxRealBins; j++) {
    const rank = Math.floor((j * n) / maxRealBins);
    // v: the value at this rank; below: how many values are smaller; before: the largest of those.
    let v: number;
    let below: number;
    let before: number;
    if (ranked) {
      while (ranked.start[d + 1]! <= rank) d++;
      v = ranked.values[d]!;
      below = ranked.start[d]!;
      before = d > 0 ? ranked.values[d - 1]! : NaN;
    } else {
      v = values[rank]!;
      below = lowerBound(values, v);
      before = below > 0 ? values[below - 1]! : NaN;
    }
    if (below === 0) continue;
    const cut = between(before, v);
    if (cuts.length === 0 || cut > cuts[cuts.length - 1]!) cuts.push(cut);
  }
  return Float64Array.from(cuts);
}

/** Distinct values counted at most, for quantiles (rankedDistinct); beyond, all values are sorted. */
export const MANY_DISTINCT = 16384;
/** Columns up to this long are sorted whole. */
const SORT_WHOLE = 1 << 15;

/** Distinct values ascending, and where each starts in the sorted order (start[d + 1] − start[d] = its count). */
function rankedDistinct({ values, counts }: { values: Float64Array; counts?: Int32Array }): { values: Float64Array; start: Float64Array } | undefined {
  if (!counts) return undefined;
  const order = Array.from({ length: values.length }, (_, d) => d).sort((a, b) => values[a]! - values[b]!);
  const sorted = Float64Array.from(order, (d) => values[d]!);
  const start = new Float64Array(values.length + 1);
  order.forEach((d, k) => (start[k + 1] = start[k]! + counts[d]!));
  return { values: sorted, start };
}

/**
 * The distinct values (−0 counted as 0), unsorted, and with `counting` how often each occurs, when
 * there are at most `limit` of them; else undefined, found as soon as one more turns up. An
 * open-addressing set keyed on the value's bits.
 */
function distinctUpTo(values: Float64Array, limit: number, counting = false): { values: Float64Array; counts?: Int32Array } | undefined {
  // No more distinct values than values: a small column's table stays small (zeroing a table
  // sized for the limit cost more than the counting on a few thousand rows).
  const room = Math.min(limit, values.length);
  const size = 2 ** Math.ceil(Math.log2(2 * room + 2));
  const mask = size - 1;
  const keys = new Float64Array(size);
  const used = new Uint8Array(size);
  /** Where each slot's value is in `found` (counting only). */
  const position = counting ? new Int32Array(size) : undefined;
  const counts = counting ? new Int32Array(room) : undefined;
  const word = new Float64Array(1);
  const halves = new Uint32Array(word.buffer);
  const found = new Float64Array(room);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]! === 0 ? 0 : values[i]!;
    word[0] = v;
    let slot = Math.imul(halves[0]! ^ Math.imul(halves[1]!, 0x9e3779b1), 0x85ebca6b) >>> 0;
    for (slot = (slot ^ (slot >>> 15)) & mask; used[slot] === 1; slot = (slot + 1) & mask) if (keys[slot] === v) break;
    if (used[slot] === 1) {
      if (counts) counts[position![slot]!]!++;
      continue;
    }
    if (count === limit) return undefined;
    used[slot] = 1;
    keys[slot] = v;
    if (counts) {
      position![slot] = count;
      counts[count] = 1;
    }
    found[count++] = v;
  }
  return { values: found.subarray(0, count), counts: counts?.subarray(0, count) };
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
