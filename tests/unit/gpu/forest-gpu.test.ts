import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeGpu } from '../../../src/cli/node-gpu.ts';
import { applyBinning } from '../../../src/core/models/binning/apply-binning.ts';
import { fitBinning } from '../../../src/core/models/binning/fit-binning.ts';
import type { FeatureMatrix, FittedBinning } from '../../../src/core/models/binning/types.ts';
import { CpuClassCounts, type ClassCountSource, type HistogramRequests, type LevelSplits } from '../../../src/core/models/forest/class-counts.ts';
import { predictForest } from '../../../src/core/models/forest/predict-forest.ts';
import { trainForest, type TrainForestOptions } from '../../../src/core/models/forest/train-forest.ts';
import type { ForestModel } from '../../../src/core/models/forest/types.ts';
import { encodeLabels } from '../../../src/core/models/labels.ts';
import { createRandom } from '../../../src/core/models/random.ts';
import { openGpuDevice, type GpuDevice } from '../../../src/gpu/device.ts';
import { GpuClassCounts } from '../../../src/gpu/forest-count-source.ts';
import { gpuForestGrower } from '../../../src/gpu/forest-grower.ts';
import { NO_NODE } from '../../../src/gpu/forest-histogram-kernel.ts';
import { predictForestOnGpu } from '../../../src/gpu/forest-predict.ts';
import { DATASETS, loadPath } from '../helpers.ts';
import { binned, syntheticTable } from '../models/synthetic.ts';

// Every forest kernel against its CPU reference, in Node through Dawn on whatever Vulkan driver the
// CLI would find (SwiftShader here: exact, but slow, so the data are small).
let gpu: GpuDevice;
let nsl: { matrix: FeatureMatrix; binary: Int32Array; attacks: Int32Array; attackClasses: string[]; binning: FittedBinning };

beforeAll(async () => {
  gpu = await openGpuDevice(await nodeGpu());
  const table = (await loadPath(`${DATASETS}nsl-kdd/KDDTrain+_20Percent.csv`)).table.slice(0, 3000);
  const columns = table.schema.fields.map((f) => f.name).filter((c) => c !== 'label' && c !== 'difficulty');
  const binning = fitBinning(table, { columns });
  const labels = table.getChild('label')!;
  const map = (s: string): string => (s === 'normal' ? 'normal' : 'attack');
  const attacks = encodeLabels(labels);
  nsl = { matrix: applyBinning(table, binning), binary: encodeLabels(labels, { classes: ['normal', 'attack'], map }).y, attacks: attacks.y, attackClasses: attacks.classes, binning };
}, 60_000);

afterAll(() => gpu?.device.destroy());

/**
 * A GPU device whose binding limit is `bytes`, to force sharding and chunking on small data, and
 * taken for a hardware one (one (row, pair) per invocation, as on a GPU, not all of a row's pairs).
 */
const limited = (bytes: number): GpuDevice => ({ ...gpu, maxBinding: bytes, software: false });

function sameTrees(a: ForestModel, b: ForestModel): void {
  expect(b.trees.length).toBe(a.trees.length);
  a.trees.forEach((t, i) => {
    const u = b.trees[i]!;
    expect(u.feature).toEqual(t.feature);
    expect(u.splitBin).toEqual(t.splitBin);
    expect(u.defaultLeft).toEqual(t.defaultLeft);
    expect(u.left).toEqual(t.left);
    expect(u.value).toEqual(t.value);
    expect(u.gain).toEqual(t.gain);
  });
}

/** Every requested histogram as plain arrays, by request. */
async function collect(source: ClassCountSource, requests: HistogramRequests, matrix: FeatureMatrix, K1: number): Promise<unknown[]> {
  const got: unknown[] = [];
  await source.histograms(requests, (r, h) => {
    const size = matrix.binCounts[requests.feature[r]!]! * K1;
    got[r] = { cells: Array.from(h.hist.subarray(h.offset, h.offset + size)), lo: h.lo, hi: h.hi, miss: h.miss };
  });
  return got;
}

function level(nodes: number, nextNodes: number, rows: Partial<LevelSplits>): LevelSplits {
  return {
    nodes,
    nextNodes,
    feature: new Int32Array(nodes).fill(-1),
    bin: new Int32Array(nodes),
    defaultLeft: new Uint8Array(nodes),
    leftNext: new Int32Array(nodes).fill(-1),
    rightNext: new Int32Array(nodes).fill(-1),
    nextRows: new Int32Array(Math.max(1, nextNodes)),
    ...rows,
  };
}

describe('WebGPU forest kernels against their CPU references', () => {
  it('histogram and partition: the same class counts and row moves, sharded by feature and in chunks', async () => {
    const { matrix, attacks: y } = nsl;
    const K = nsl.attackClasses.length;
    const K1 = K + 1;
    const n = matrix.rows;
    const F = matrix.features;
    const random = createRandom(3);
    // Large draws make large sums: the counts must still be exact.
    const draws = Int32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : 1 + Math.floor(random.next() * 4000)));
    const inBag = draws.filter((d) => d > 0).length;
    const maxCells = Math.max(...matrix.binCounts) * K1 * 4;
    for (const device of [gpu, limited(Math.max(n * 4, maxCells))]) {
      const cpu = new CpuClassCounts(matrix, y, K);
      const onGpu = new GpuClassCounts(device, matrix, y, K, 0);
      cpu.beginTree(draws);
      onGpu.beginTree(draws, inBag);
      const root: HistogramRequests = { count: F, node: new Int32Array(F), feature: Int32Array.from({ length: F }, (_, f) => f) };
      expect(await collect(onGpu, root, matrix, K1)).toEqual(await collect(cpu, root, matrix, K1));

      // The root splits on a many-bin feature, missing rows left; both children go on.
      const f = matrix.binCounts.indexOf(Math.max(...matrix.binCounts));
      const bin = Math.floor(matrix.binCounts[f]! / 3);
      const first = level(1, 2, { feature: Int32Array.of(f), bin: Int32Array.of(bin), defaultLeft: Uint8Array.of(1), leftNext: Int32Array.of(0), rightNext: Int32Array.of(1) });
      cpu.partition(first);
      await onGpu.partition(first);
      const side = (i: number, g: number, b: number, missLeft: boolean): boolean => {
        const v = matrix.bins[g * n + i]!;
        return v === matrix.binCounts[g]! - 1 ? missLeft : v <= b;
      };
      const nodes = await onGpu.rowNodes();
      for (let i = 0; i < n; i++) expect(nodes[i]).toBe(draws[i] === 0 ? NO_NODE : side(i, f, bin, true) ? 0 : 1);

      const second: HistogramRequests = { count: 5, node: Int32Array.of(0, 0, 0, 1, 1), feature: Int32Array.of(2, 4, F - 1, 0, 4) };
      expect(await collect(onGpu, second, matrix, K1)).toEqual(await collect(cpu, second, matrix, K1));
      // Node 0 splits (its left child goes on as node 0, its right is a leaf); node 1 is a leaf.
      const split = level(2, 1, { feature: Int32Array.of(4, -1), bin: Int32Array.of(0), leftNext: Int32Array.of(0, -1) });
      cpu.partition(split);
      await onGpu.partition(split);
      const after = await onGpu.rowNodes();
      for (let i = 0; i < n; i++) expect(after[i]).toBe(nodes[i] === 0 && side(i, 4, 0, false) ? 0 : NO_NODE);
      const third: HistogramRequests = { count: 2, node: Int32Array.of(0, 0), feature: Int32Array.of(1, 5) };
      expect(await collect(onGpu, third, matrix, K1)).toEqual(await collect(cpu, third, matrix, K1));
      onGpu.dispose();
    }
  }, 120_000);

  it('training on NSL-KDD grows the CPU reference trees field by field: on the GPU alone, sharded by feature, with small nodes on the CPU', async () => {
    const { matrix, binary: y, binning } = nsl;
    const options: TrainForestOptions = { train: { matrix, y }, classes: ['normal', 'attack'], binning, params: { trees: 4, maxDepth: 10, seed: 5 } };
    const cpu = await trainForest(options);
    expect(cpu.device).toBe('cpu');
    // Four features per shard: the row buffers (4 bytes a row) just fit.
    const sharded = limited(matrix.rows * 4);
    for (const [device, minGpuRows] of [[gpu, 0], [sharded, 0], [gpu, undefined]] as const) {
      const model = await trainForest({ ...options, grower: gpuForestGrower(device, { minGpuRows }) });
      expect(model.device).toBe(gpu.adapter);
      sameTrees(cpu, model);
    }
  }, 240_000);

  it('every NSL-KDD label of those rows as its own class, balanced (non-integer) class weights, min_samples_leaf 3: the same trees', async () => {
    const { matrix, attacks: y, attackClasses: classes, binning } = nsl;
    expect(classes.length).toBe(13);
    const options: TrainForestOptions = { train: { matrix, y }, classes, binning, params: { trees: 3, maxDepth: 8, minSamplesLeaf: 3, classWeight: 'balanced', seed: 2 } };
    sameTrees(await trainForest(options), await trainForest({ ...options, grower: gpuForestGrower(gpu, { minGpuRows: 0 }) }));
  }, 240_000);

  it('three synthetic classes with given weights (one 0), without bootstrap, histograms in chunks: the same trees', async () => {
    const { table, y } = syntheticTable(1500, 11, 3);
    const { matrix, binning } = binned(table);
    for (const [classWeight, bootstrap] of [[[1, 2.5, 0.7], true], [[0, 1, 3], false]] as const) {
      const options: TrainForestOptions = { train: { matrix, y }, classes: ['a', 'b', 'c'], binning, params: { trees: 3, maxDepth: 7, classWeight, bootstrap, maxFeatures: 2, seed: 8 } };
      const cpu = await trainForest(options);
      // Histogram chunks of a few (node, feature) pairs (64 bins × 4 cells each).
      const small = limited(matrix.rows * 4);
      sameTrees(cpu, await trainForest({ ...options, grower: gpuForestGrower(small, { minGpuRows: 0 }) }));
      sameTrees(cpu, await trainForest({ ...options, grower: gpuForestGrower(small, { minGpuRows: 200 }) }));
    }
  }, 240_000);

  it('prediction: within 1e-5 of the CPU reference with the same argmax, in chunks of rows and trees', async () => {
    const { matrix, binary, attacks, attackClasses, binning } = nsl;
    const two = await trainForest({ train: { matrix, y: binary }, classes: ['normal', 'attack'], binning, params: { trees: 40, maxDepth: 12, seed: 1 } });
    const many = await trainForest({ train: { matrix, y: attacks }, classes: attackClasses, binning, params: { trees: 12, maxDepth: 10, seed: 1 } });
    for (const model of [two, many]) {
      const cpu = predictForest(model, matrix);
      const K = model.classes.length;
      const biggest = Math.max(...model.trees.map((t) => t.feature.length)) * Math.max(16, 4 * K);
      for (const device of [gpu, limited(Math.max(biggest, matrix.features * 256))]) {
        const p = await predictForestOnGpu(device, model, matrix);
        let worst = 0;
        for (let x = 0; x < p.length; x++) worst = Math.max(worst, Math.abs(p[x]! - cpu[x]!));
        expect(worst).toBeLessThanOrEqual(1e-5);
        const arg = (a: Float32Array, i: number) => a.subarray(i * K, (i + 1) * K).reduce((best, v, k, row) => (v > row[best]! ? k : best), 0);
        for (let i = 0; i < matrix.rows; i++) expect(arg(p, i)).toBe(arg(cpu, i));
      }
    }
  }, 120_000);

  it('a device lost mid-training finishes on the CPU with the same trees, and says so', async () => {
    const own = await openGpuDevice(await nodeGpu());
    const { table, y } = syntheticTable(1000, 8);
    const { matrix, binning } = binned(table);
    const options: TrainForestOptions = { train: { matrix, y }, classes: ['no', 'yes'], binning, params: { trees: 5, maxDepth: 6, seed: 3 } };
    const model = await trainForest({
      ...options,
      grower: gpuForestGrower(own, { minGpuRows: 0 }),
      onProgress: (p) => {
        if (p.tree === 2) own.device.destroy();
      },
    });
    expect(model.device).toMatch(/finished on cpu/);
    sameTrees(await trainForest(options), model);
  }, 120_000);
});
