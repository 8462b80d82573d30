import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { applyBinning } from '../../../src/core/models/binning/apply-binning.ts';
import { fitBinning } from '../../../src/core/models/binning/fit-binning.ts';
import { cpuGrower, jsCpuGrower } from '../../../src/core/models/gbdt/grower.ts';
import { buildLevelHistograms, buildRootHistogram, histogramLayout, subtractHistogram } from '../../../src/core/models/gbdt/histogram.ts';
import { searchSlots } from '../../../src/core/models/gbdt/level-work.ts';
import { histogramKernels } from '../../../src/core/models/gbdt/histogram-kernels.ts';
import { wasmHistograms } from '../../../src/core/models/gbdt/histogram-wasm.ts';
import { prepareSearch, searchBytes, wasmSearchSlots } from '../../../src/core/models/gbdt/split-search-wasm.ts';
import { createRandom } from '../../../src/core/models/random.ts';
import { FIXED_POINT_BITS, quantise } from '../../../src/core/models/gbdt/quantise.ts';
import { trainGbdt } from '../../../src/core/models/gbdt/train-gbdt.ts';
import { binned, FEATURES, syntheticTable } from './synthetic.ts';

describe('fixed-point histograms', () => {
  it('quantises to integer units of a power-of-two scale, within half a unit', () => {
    const g = Float64Array.of(0.3, -0.7, 0.1e-9, 0);
    const h = Float64Array.of(0.21, 0.25, 1e-16, 0.0625);
    const q = quantise(g, h);
    expect(q.gUnit).toBe(1 / 2 ** FIXED_POINT_BITS);
    expect(q.hUnit).toBe(0.25 / 2 ** FIXED_POINT_BITS);
    g.forEach((v, i) => expect(Math.abs(q.g[i]! * q.gUnit - v)).toBeLessThanOrEqual(q.gUnit / 2));
    expect([...q.g.slice(2)]).toEqual([0, 0]);
    expect(q.h[1]).toBe(2 ** FIXED_POINT_BITS);
  });

  it('a sibling by subtraction equals the sibling built directly, bit for bit', () => {
    const { matrix } = binned(syntheticTable(3000, 9).table);
    const n = matrix.rows;
    const layout = histogramLayout(matrix);
    const features = Int32Array.from({ length: matrix.features }, (_, f) => f);
    const gh = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) gh.set([((i * 7919) % 65536) - 32768, (i * 104729) % 65536], 2 * i);
    const parent = new Float64Array(layout.slotSize);
    buildRootHistogram(matrix, layout, features, gh, parent);
    // Split the rows by parity: slot 0 = even rows, slot 1 = odd rows, each built directly from its
    // segment of the row list (a segment: slot, start, end, parent slot).
    const rows = Int32Array.from({ length: n }, (_, k) => (k < n / 2 ? 2 * k : 2 * (k - n / 2) + 1));
    const direct = new Float64Array(2 * layout.slotSize);
    const odd = new Float64Array(2 * layout.slotSize);
    buildLevelHistograms(matrix, layout, features, rows, gh, Int32Array.of(0, 0, n / 2, 0), 1, direct, parent);
    buildLevelHistograms(matrix, layout, features, rows, gh, Int32Array.of(0, n / 2, n, 0), 1, odd, parent);
    direct.set(odd.subarray(0, layout.slotSize), layout.slotSize);
    const viaSubtraction = direct.slice();
    viaSubtraction.fill(0, layout.slotSize);
    subtractHistogram(viaSubtraction, parent, 0, 0, 1, layout.slotSize);
    expect(viaSubtraction).toEqual(direct);
  });
});

describe('WebAssembly histogram loops', () => {
  /** The synthetic problem with three derived columns, so feature lists are not all multiples of four. */
  function wideProblem(n: number, classes: number) {
    const { table, y } = syntheticTable(n, 11, classes);
    const x0 = table.getChild('x0')!.toArray() as Float64Array;
    const x1 = table.getChild('x1')!.toArray() as Float64Array;
    const extra = {
      sum: x0.map((v, i) => v + x1[i]!),
      coarse: x0.map((v) => Math.round(v * 3)),
      wide: x1.map((v, i) => (i % 13 === 0 ? Infinity : v * 1e6)),
    };
    const wide = tableFromArrays({ ...Object.fromEntries(FEATURES.map((f) => [f, table.getChild(f)!.toArray()])), ...extra });
    const binning = fitBinning(wide, { columns: [...FEATURES, ...Object.keys(extra)], maxBins: 200 });
    return { matrix: applyBinning(wide, binning), binning, y };
  }

  it('build the same histograms as the JS loops, bit for bit', () => {
    const { matrix } = wideProblem(2001, 2); // odd: the root kernel pairs rows
    const layout = histogramLayout(matrix);
    const fast = wasmHistograms(matrix, layout, 3);
    expect(fast).toBeDefined();
    const { scratch, work } = fast!;
    const n = matrix.rows;
    for (let i = 0; i < n; i++) scratch.gh.set([((i * 7919) % 65536) - 32768, (i * 104729) % 65536], 2 * i);
    // Two splits: the first's small child = rows ≡ 0 mod 3 (slot 1), the second's = a run of rows (slot 2).
    const list = [...Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 === 0), ...Array.from({ length: 500 }, (_, i) => i + 7)];
    scratch.rows.set(list);
    const segments = Int32Array.of(1, 0, list.length - 500, 0, 2, list.length - 500, list.length, 0);
    // Four features a pass, then the one to three left one at a time: every grouping (of the 7).
    for (const count of [1, 2, 3, 5, 6, 7]) {
      const features = Int32Array.of(0, 2, 3, 4, 5, 6, 1).subarray(0, count);
      const jsRoot = new Float64Array(layout.slotSize);
      buildRootHistogram(matrix, layout, features, scratch.gh, jsRoot);
      const [root, level] = scratch.hist;
      root.fill(0);
      work.buildRoot(features, scratch.gh, root, undefined, new Float64Array(4));
      expect(root.subarray(0, layout.slotSize)).toEqual(jsRoot);
      const parent = new Float64Array(root.buffer, root.byteOffset, layout.slotSize);
      const jsLevel = new Float64Array(4 * layout.slotSize);
      buildLevelHistograms(matrix, layout, features, scratch.rows, scratch.gh, segments, 2, jsLevel, jsRoot);
      work.buildLevel(features, scratch.rows, scratch.gh, segments, 2, level, parent, undefined, new Float64Array(16));
      expect(level.subarray(0, 4 * layout.slotSize), `${count} features`).toEqual(jsLevel);
      expect(jsLevel.some((v, x) => x >= 2 * layout.slotSize && v !== 0)).toBe(true);
    }
  });

  it('grow the same trees as the JS reference: binary and softmax, sampled rows and features', async () => {
    for (const classes of [2, 3]) {
      const { matrix, binning, y } = wideProblem(3000, classes);
      const options = { train: { matrix, y }, classes: Array.from({ length: classes }, (_, c) => `c${c}`), binning };
      const params = { rounds: 8, maxDepth: 5, subsample: 0.8, colsampleByTree: 0.6, seed: 3 };
      const fast = await trainGbdt({ ...options, params, grower: cpuGrower });
      const reference = await trainGbdt({ ...options, params, grower: jsCpuGrower });
      expect(fast.trees.length).toBe(8 * (classes === 2 ? 1 : classes));
      expect(fast.trees).toEqual(reference.trees);
      expect(fast.trees.some((t) => t.feature.filter((f) => f >= 0).length > 5)).toBe(true);
    }
  });

  it('search the same splits as the JS search: any λ, γ and min child weight, empty bins, ties', () => {
    const random = createRandom(5);
    const binCounts = Int32Array.of(2, 17, 17, 256, 5, 17, 40);
    const offsets = new Int32Array(binCounts.length + 1);
    binCounts.forEach((c, f) => (offsets[f + 1] = offsets[f]! + c));
    const layout = { offsets, slotSize: 2 * offsets[binCounts.length]! };
    const slots = 12;
    const memory = new WebAssembly.Memory({ initial: 4 });
    const kernels = histogramKernels(memory)!;
    const searchAt = 0;
    const histAt = searchBytes(binCounts.length);
    prepareSearch(memory, searchAt, layout, binCounts);
    const hist = new Float64Array(memory.buffer, histAt, slots * layout.slotSize);
    for (let x = 0; x < hist.length; x += 2) {
      const empty = random.next() < 0.4;
      hist[x] = empty ? 0 : Math.round((random.next() - 0.55) * 8000);
      hist[x + 1] = empty ? 0 : Math.round(random.next() * 3000);
    }
    for (let slot = 0; slot < slots; slot++) {
      const base = slot * layout.slotSize;
      // Features 1 and 2 alike (a tie, which the lower index wins); slot 3: no missing values anywhere.
      hist.copyWithin(base + 2 * offsets[2]!, base + 2 * offsets[1]!, base + 2 * offsets[2]!);
      if (slot === 3) for (let f = 0; f < binCounts.length; f++) hist.fill(0, base + 2 * (offsets[f + 1]! - 1), base + 2 * offsets[f + 1]!);
    }
    const cases = [
      { lambda: 1, minChildWeight: 1, gamma: 0 },
      { lambda: 0, minChildWeight: 0, gamma: 0 },
      { lambda: 5, minChildWeight: 0.02, gamma: 0.5 },
      { lambda: 1, minChildWeight: 1e9, gamma: 0 },
    ];
    let splits = 0;
    for (const params of cases) {
      for (const features of [Int32Array.of(0, 1, 2, 3, 4, 5, 6), Int32Array.of(6, 2, 1), Int32Array.of(3), new Int32Array(0)]) {
        const search = { binCounts, units: { g: 2 ** -14, h: 2 ** -16 }, params };
        const expected = new Float64Array(4 * slots);
        const actual = new Float64Array(4 * slots).fill(7);
        searchSlots(hist, slots, layout, features, search, expected);
        wasmSearchSlots(kernels, memory, searchAt, hist, histAt, slots, layout, features, search, actual);
        expect(actual).toEqual(expected);
        for (let slot = 0; slot < slots; slot++) splits += expected[4 * slot]! > 0 ? 1 : 0;
      }
    }
    expect(splits).toBeGreaterThan(40);
  });

  it('are not used when their memory would pass the limit (the JS loops then are)', () => {
    const { matrix } = wideProblem(500, 2);
    expect(wasmHistograms(matrix, histogramLayout(matrix), 20, { limit: 4 * 2 ** 20 })).toBeUndefined();
    expect(wasmHistograms(matrix, histogramLayout(matrix), 2, { limit: 4 * 2 ** 20 })).toBeDefined();
  });
});
