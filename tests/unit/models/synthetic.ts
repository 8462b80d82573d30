import { tableFromArrays, type Table } from 'apache-arrow';
import { applyBinning } from '../../../src/core/models/binning/apply-binning.ts';
import { fitBinning } from '../../../src/core/models/binning/fit-binning.ts';
import type { FeatureMatrix, FittedBinning } from '../../../src/core/models/binning/types.ts';
import { createRandom } from '../../../src/core/models/random.ts';

/**
 * A small seeded problem: class from x0 + x1 (two classes: above 1; three: thirds of 0…2), a
 * column `m` that is missing mostly for class-1 rows, and a pure-noise column.
 */
export function syntheticTable(n: number, seed: number, classes = 2): { table: Table; y: Int32Array } {
  const random = createRandom(seed);
  const x0 = new Float64Array(n);
  const x1 = new Float64Array(n);
  const m = new Float64Array(n);
  const noise = new Float64Array(n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    x0[i] = random.next();
    x1[i] = random.next();
    noise[i] = random.next();
    const s = x0[i]! + x1[i]!;
    y[i] = classes === 2 ? (s > 1 ? 1 : 0) : Math.min(classes - 1, Math.floor((s / 2) * classes));
    m[i] = y[i] === 1 && random.next() < 0.8 ? NaN : random.next();
  }
  return { table: tableFromArrays({ x0, x1, m, noise }), y };
}

export const FEATURES = ['x0', 'x1', 'm', 'noise'];

export function binned(table: Table, binning?: FittedBinning): { matrix: FeatureMatrix; binning: FittedBinning } {
  const fitted = binning ?? fitBinning(table, { columns: FEATURES, maxBins: 64 });
  return { matrix: applyBinning(table, fitted), binning: fitted };
}

export function accuracy(proba: Float32Array, y: Int32Array, classes: number): number {
  let right = 0;
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (proba[i * classes + k]! > proba[i * classes + best]!) best = k;
    if (best === y[i]) right++;
  }
  return right / y.length;
}
