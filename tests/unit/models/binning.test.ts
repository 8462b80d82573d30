import { describe, expect, it } from 'vitest';
import { applyBinning, fitAndApplyBinning } from '../../../src/core/models/binning/apply-binning.ts';
import { valueBinner } from '../../../src/core/models/binning/bin-values.ts';
import { fitBinning } from '../../../src/core/models/binning/fit-binning.ts';
import { binOf, quantileCuts } from '../../../src/core/models/binning/quantile-cuts.ts';
import { missingBin } from '../../../src/core/models/binning/types.ts';
import { createRandom } from '../../../src/core/models/random.ts';
import { loadText } from '../helpers.ts';

const csv = (header: string, rows: (string | number)[][]): string => [header, ...rows.map((r) => r.join(','))].join('\n') + '\n';
const column = (bins: Uint8Array, rows: number, f: number): number[] => [...bins.subarray(f * rows, (f + 1) * rows)];

/** The cuts by definition: all values sorted, a cut below the value at each evenly spaced rank. */
function sortedRankCuts(values: Float64Array, bins: number): number[] {
  const sorted = values.slice().sort();
  const cuts: number[] = [];
  for (let j = 1; j < bins; j++) {
    const v = sorted[Math.floor((j * sorted.length) / bins)]!;
    const below = sorted.findIndex((x) => x >= v);
    if (below <= 0) continue;
    const a = sorted[below - 1]!;
    const mid = a + (v - a) / 2;
    const cut = mid > a && mid <= v ? mid : v;
    if (cuts.length === 0 || cut > cuts[cuts.length - 1]!) cuts.push(cut);
  }
  return cuts;
}

describe('quantile binning', () => {
  it('a constant column has one real bin; an all-missing column only fills its missing bin', async () => {
    const { table } = await loadText('constant.csv', csv('c,m,y', [[5, '', 1], [5, '', 0], [5, '', 1]]));
    const fitted = fitBinning(table, { columns: ['c', 'm'] });
    const m = applyBinning(table, fitted);
    expect([...m.binCounts]).toEqual([2, 2]);
    expect(column(m.bins, 3, 0)).toEqual([0, 0, 0]);
    expect(column(m.bins, 3, 1)).toEqual([1, 1, 1]);
    expect(missingBin(m, 1)).toBe(1);
  });

  it('null, NaN and ±Infinity go to the missing bin, after the real bins', async () => {
    const rows = [[1], [2], ['NaN'], ['inf'], ['-Infinity'], [''], [2]].map((r) => [...r, 'a']);
    const { table } = await loadText('nonfinite.csv', csv('x,pad', rows));
    const m = applyBinning(table, fitBinning(table, { columns: ['x'] }));
    expect(m.binCounts[0]).toBe(3);
    expect(column(m.bins, 7, 0)).toEqual([0, 1, 2, 2, 2, 2, 1]);
    expect([...m.cutPoints[0]!]).toEqual([1.5]);
  });

  it('more than 256 distinct values: at most 255 real bins, near-equal counts, order kept', async () => {
    const values = Array.from({ length: 3000 }, (_, i) => (i * 7919) % 3000);
    const { table } = await loadText('many.csv', csv('x', values.map((v) => [v])));
    const m = applyBinning(table, fitBinning(table, { columns: ['x'] }));
    expect(m.binCounts[0]).toBe(256);
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < m.rows; i++) counts[m.bins[i]!]!++;
    expect(counts[255]).toBe(0);
    expect(Math.min(...counts.slice(0, 255))).toBeGreaterThanOrEqual(11);
    expect(Math.max(...counts.slice(0, 255))).toBeLessThanOrEqual(13);
    for (let i = 0; i < m.rows; i++) for (const j of [i + 1, i + 2]) if (j < m.rows && values[i]! < values[j]!) expect(m.bins[i]).toBeLessThanOrEqual(m.bins[j]!);
  });

  it('few distinct values: a cut half-way between each pair of neighbours, −0 and 0 one value, in short columns (sorted whole) and long ones (counted)', () => {
    const base = [-3.5, -0, 0, 2, 1e300, 7, 0.1, 0.2];
    for (const length of [5000, 40000]) {
      const v = Float64Array.from({ length }, (_, i) => base[(i * 7919) % base.length]!);
      expect(Array.from(quantileCuts(v.slice(), 7))).toEqual([-1.75, 0.05, 0.15000000000000002, 1.1, 4.5, 5e299]);
      // Only −0 among the zeros: still the cut of 0.
      const negative = v.map((x) => (x === 0 ? -0 : x));
      expect(Array.from(quantileCuts(negative, 7)).map((c) => Object.is(c, -0))).not.toContain(true);
    }
    // One more distinct value than real bins: evenly spaced ranks instead.
    for (const length of [800, 40000]) {
      const many = Float64Array.from({ length }, (_, i) => i % 8);
      expect(Array.from(quantileCuts(many.slice(), 7))).toEqual(sortedRankCuts(many, 7));
    }
  });

  it('many values, fewer distinct ones (counted) or not (sorted): the cuts of the sorted values at evenly spaced ranks', () => {
    const random = createRandom(3);
    // Skewed like byte counts: many zeros, repeats, a long tail; then all distinct.
    const skewed = Float64Array.from({ length: 60000 }, () => (random.next() < 0.4 ? 0 : Math.floor(Math.exp(random.next() * 9))));
    const distinct = Float64Array.from({ length: 30000 }, () => random.next() * 1e6 - 5e5);
    const short = skewed.slice(0, 3000);
    for (const values of [skewed, distinct, short]) {
      for (const bins of [7, 64, 255]) {
        const cuts = Array.from(quantileCuts(values.slice(), bins));
        expect(cuts).toEqual(sortedRankCuts(values, bins));
        expect(cuts.length).toBeGreaterThan(bins / 3);
      }
    }
  });

  it('a small maxBins caps the real bins at maxBins − 1', () => {
    const v = Float64Array.from({ length: 100 }, (_, i) => i);
    const cuts = quantileCuts(v, 7);
    expect(cuts.length).toBe(6);
    expect(binOf(cuts, -1)).toBe(0);
    expect(binOf(cuts, 1e9)).toBe(6);
    expect(() => fitBinning({} as never, { columns: [], maxBins: 257 })).toThrow(/maxBins/);
  });

  it('fits on the training rows only; test values beyond them land in the end bins', async () => {
    const { table } = await loadText('rows.csv', csv('x', [[0], [1], [2], [3], [1000], [-50]]));
    const fitted = fitBinning(table, { columns: ['x'], rows: [0, 1, 2, 3] });
    expect(fitted.features[0]).toMatchObject({ kind: 'numeric' });
    const m = applyBinning(table, fitted, [4, 5, 2]);
    expect(m.rows).toBe(3);
    expect(m.binCounts[0]).toBe(5);
    expect(column(m.bins, 3, 0)).toEqual([3, 0, 2]);
  });

  it('text columns: categories by frequency, the rarest beyond 254 share "other", unseen ones too', async () => {
    const rows: string[][] = [];
    for (let c = 0; c < 300; c++) for (let r = 0; r < (c < 10 ? 5 : 1); r++) rows.push([`cat${c}`, 'a']);
    rows.push(['', 'b']);
    const { table } = await loadText('cats.csv', csv('c,d', rows));
    const fitted = fitBinning(table, { columns: ['c', 'd'] });
    const c = fitted.features[0]!;
    if (c.kind !== 'category') throw new Error('expected a category feature');
    expect(c.categories.length).toBe(254);
    expect(c.otherBin).toBe(254);
    expect(c.categories.slice(0, 3)).toEqual(['cat0', 'cat1', 'cat2']);
    const m = applyBinning(table, fitted);
    expect([...m.binCounts]).toEqual([256, 3]);
    expect(m.bins[0]).toBe(0);
    expect(m.bins[m.rows - 1]).toBe(255);
    // Ties in frequency go by text, so `cat99` (row 139) is among the rarest and shares "other".
    expect(m.bins[139]).toBe(254);

    const test = await loadText('cats-test.csv', csv('c,d', [['cat0', 'a'], ['never-seen', 'zzz'], ['', '']]));
    const t = applyBinning(test.table, fitted);
    expect(column(t.bins, 3, 0)).toEqual([0, 254, 255]);
    // No "other" bin in `d`: an unseen category is treated as missing.
    expect(column(t.bins, 3, 1)).toEqual([0, 2, 2]);
  });

  it('names the missing column and rejects a numeric column turned to text', async () => {
    const { table } = await loadText('num.csv', csv('x', [[1], [2]]));
    const fitted = fitBinning(table, { columns: ['x'] });
    expect(() => fitBinning(table, { columns: ['nope'] })).toThrow(/no column named "nope"/);
    const text = await loadText('text.csv', csv('x', [['a'], ['b']]));
    expect(() => applyBinning(text.table, fitted)).toThrow(/numeric in training/);
  });
});

describe('binning kernels', () => {
  it('bin values in WebAssembly as binOf does: cut counts 0 … 254, values on the cuts, nulls, non-finite, row subsets', () => {
    const random = createRandom(11);
    const N = 3001;
    for (const cutCount of [0, 1, 2, 3, 7, 8, 100, 253, 254]) {
      const cuts = Float64Array.from({ length: cutCount }, (_, j) => j * 1.5 - 40);
      const values = Float64Array.from({ length: N }, (_, i) =>
        i % 17 === 0 ? cuts[i % Math.max(1, cutCount)] ?? 0 : i % 23 === 0 ? [NaN, Infinity, -Infinity][i % 3]! : (random.next() - 0.5) * 500,
      );
      const valid = Uint8Array.from({ length: N }, (_, i) => (i % 29 === 0 ? 0 : 1));
      const missing = cutCount + 1;
      for (const rows of [undefined, Int32Array.from({ length: 999 }, (_, k) => (k * 7919) % N)]) {
        const n = rows ? rows.length : N;
        const expected = new Uint8Array(n);
        const actual = new Uint8Array(n);
        valueBinner(false).bin(values, valid, rows, cuts, missing, expected);
        valueBinner(true).bin(values, valid, rows, cuts, missing, actual);
        expect(actual).toEqual(expected);
        expect(expected.filter((b) => b === missing).length).toBeGreaterThan(n / 20);
        if (cutCount > 2) expect(new Set(expected).size).toBeGreaterThan(2);
      }
    }
  });

  it('fit-and-apply gives the binning and matrix of fitBinning then applyBinning', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => [i % 7 === 0 ? '' : (i * 37) % 101, i % 3 === 0 ? 'tcp' : i % 5 === 0 ? '' : `svc${i % 11}`, i % 13 === 0 ? 'inf' : i / 7, i % 2 === 0 ? 'true' : 'false']);
    const { table } = await loadText('mixed.csv', csv('a,s,x,b', rows));
    const subset = Int32Array.from({ length: 300 }, (_, k) => (k * 13) % 400);
    const options = { columns: ['a', 's', 'x', 'b'], maxBins: 32, rows: subset };
    const fused = fitAndApplyBinning(table, options);
    const binning = fitBinning(table, options);
    expect(fused.binning).toEqual(binning);
    expect(fused.matrix).toEqual(applyBinning(table, binning, subset));
    expect(fused.matrix.binCounts.every((c) => c > 2)).toBe(true);
  });
});
