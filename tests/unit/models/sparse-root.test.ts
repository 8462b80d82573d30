import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { applyBinning } from '../../../src/core/models/binning/apply-binning.ts';
import { fitBinning } from '../../../src/core/models/binning/fit-binning.ts';
import type { FeatureMatrix } from '../../../src/core/models/binning/types.ts';
import { cpuGrower, jsCpuGrower } from '../../../src/core/models/gbdt/grower.ts';
import { buildRootHistogram, histogramLayout } from '../../../src/core/models/gbdt/histogram.ts';
import { histogramKernels } from '../../../src/core/models/gbdt/histogram-kernels.ts';
import { listSparse, wasmHistograms, wasmPlacement } from '../../../src/core/models/gbdt/histogram-wasm.ts';
import { sparseRoot } from '../../../src/core/models/gbdt/sparse-root.ts';
import { trainGbdt } from '../../../src/core/models/gbdt/train-gbdt.ts';
import { createRandom } from '../../../src/core/models/random.ts';

/**
 * Columns as security logs have them: constant, mostly one value (not always bin 0), exactly two
 * thirds in one bin, just under, spread out, binary with rare ones; n not a multiple of four.
 */
function loggish(n: number, seed = 1): FeatureMatrix {
  const random = createRandom(seed);
  const columns: ((i: number) => number)[] = [
    () => 3,
    () => (random.next() < 0.93 ? 7 : Math.floor(random.next() * 30)),
    (i) => (i % 3 === 2 ? 1 + (i % 5) : 0),
    (i) => (i % 3 === 2 || i % 97 === 0 ? 1 + (i % 4) : 0),
    () => Math.floor(random.next() * 200),
    () => (random.next() < 0.02 ? 1 : 0),
    () => (random.next() < 0.8 ? 255 : Math.floor(random.next() * 255)),
  ];
  const bins = new Uint8Array(n * columns.length);
  columns.forEach((value, f) => {
    for (let i = 0; i < n; i++) bins[f * n + i] = value(i);
  });
  const binCounts = Int32Array.from(columns, () => 256);
  const names = columns.map((_, f) => `f${f}`);
  return { rows: n, features: columns.length, bins, binCounts, names, cutPoints: names.map(() => new Float64Array(0)) };
}

describe('features read sparsely at the root (a dominant bin)', () => {
  it('the kernels choose and list the same features and rows as the JS reference', () => {
    for (const n of [4003, 4000, 3, 1]) {
      const matrix = loggish(n);
      const expected = sparseRoot(matrix)!;
      if (n === 4003) expect([...expected.dominant]).toEqual([3, 7, 0, -1, -1, 0, 255]);
      const layout = histogramLayout(matrix);
      const at = wasmPlacement(matrix, layout, 3);
      const memory = new WebAssembly.Memory({ initial: Math.ceil(at.end / 65536) });
      const kernels = histogramKernels(memory)!;
      new Uint8Array(memory.buffer, at.bins, matrix.bins.length).set(matrix.bins);
      const listed = listSparse(kernels, memory, at, n, matrix.features, 2 ** 30)!;
      expect(listed.plan.dominant).toEqual(expected.dominant);
      expect(listed.plan.starts).toEqual(expected.starts);
      expect(new Int32Array(memory.buffer, listed.entriesAt, expected.entries.length)).toEqual(expected.entries);
    }
  });

  it('the exact two-thirds column is listed, the one just under is not', () => {
    const plan = sparseRoot(loggish(3000))!;
    expect(plan.dominant[2]).toBe(0);
    expect(plan.dominant[3]).toBe(-1);
    expect(plan.starts[3]! - plan.starts[2]!).toBe(1000);
  });

  it('give the JS loops’ root histogram, bit for bit: all features, a mix, inactive rows', () => {
    const matrix = loggish(4003, 2);
    const layout = histogramLayout(matrix);
    const fast = wasmHistograms(matrix, layout, 3)!;
    const { scratch, work } = fast;
    const n = matrix.rows;
    for (let i = 0; i < n; i++) scratch.gh.set(i % 11 === 0 ? [0, 0] : [((i * 7919) % 65536) - 32768, (i * 104729) % 65536], 2 * i);
    for (const features of [Int32Array.of(0, 1, 2, 3, 4, 5, 6), Int32Array.of(5, 4, 1), Int32Array.of(6), Int32Array.of(3, 4)]) {
      const expected = new Float64Array(layout.slotSize);
      buildRootHistogram(matrix, layout, features, scratch.gh, expected);
      const root = scratch.hist[0];
      root.fill(0);
      work.buildRoot(features, scratch.gh, root, undefined, new Float64Array(4));
      expect(root.subarray(0, layout.slotSize)).toEqual(expected);
    }
  });

  it('grow the JS reference’s trees on such columns', async () => {
    const raw = loggish(3001, 3);
    const n = raw.rows;
    const table = tableFromArrays(Object.fromEntries(raw.names.map((name, f) => [name, Float64Array.from(raw.bins.subarray(f * n, (f + 1) * n))])));
    const binning = fitBinning(table, { columns: raw.names, maxBins: 256 });
    const matrix = applyBinning(table, binning);
    expect(sparseRoot(matrix)!.dominant.filter((d) => d >= 0).length).toBe(5);
    const y = Int32Array.from({ length: n }, (_, i) => (raw.bins[n + i] === 7 ? (i % 7 === 0 ? 1 : 0) : raw.bins[4 * n + i]! > 100 ? 1 : 0));
    const options = { train: { matrix, y }, classes: ['benign', 'malicious'], binning, params: { rounds: 6, maxDepth: 4 } };
    const fast = await trainGbdt({ ...options, grower: cpuGrower });
    const reference = await trainGbdt({ ...options, grower: jsCpuGrower });
    expect(fast.trees).toEqual(reference.trees);
    expect(fast.trees.some((t) => t.feature.some((f) => [1, 5, 6].includes(f)))).toBe(true);
  });
});
