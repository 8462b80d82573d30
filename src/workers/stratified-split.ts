import { createRandom } from '../core/models/random.ts';

export interface RowSplit {
  /** Row indices, ascending. Unlabelled rows (y = -1) go here: training reports them as left out. */
  train: Int32Array;
  validation: Int32Array;
}

/**
 * A seeded stratified split: within each class a shuffled `share` of its rows (rounded, at least one
 * when the class has two or more rows, never all of them) is held out, so rare attack classes appear
 * on both sides in the proportions of the whole.
 */
export function stratifiedSplit(y: Int32Array, share: number, seed: number): RowSplit {
  const random = createRandom(seed);
  const byClass = new Map<number, number[]>();
  const train: number[] = [];
  const validation: number[] = [];
  for (let i = 0; i < y.length; i++) {
    const k = y[i]!;
    if (k < 0) train.push(i);
    else (byClass.get(k) ?? byClass.set(k, []).get(k)!).push(i);
  }
  for (const k of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = byClass.get(k)!;
    const held = rows.length < 2 ? 0 : Math.min(rows.length - 1, Math.max(1, Math.round(share * rows.length)));
    // Partial Fisher–Yates: the first `held` slots become a uniform sample.
    for (let i = 0; i < held; i++) {
      const j = i + random.int(rows.length - i);
      const t = rows[i]!;
      rows[i] = rows[j]!;
      rows[j] = t;
    }
    // Loops, not push(...rows): spreading a big class would overflow the argument limit.
    for (let i = 0; i < rows.length; i++) (i < held ? validation : train).push(rows[i]!);
  }
  return { train: Int32Array.from(train).sort(), validation: Int32Array.from(validation).sort() };
}
