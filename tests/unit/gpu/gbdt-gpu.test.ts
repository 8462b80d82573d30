import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeGpu } from '../../../src/cli/node-gpu.ts';
import { applyBinning } from '../../../src/core/models/binning/apply-binning.ts';
import { fitBinning } from '../../../src/core/models/binning/fit-binning.ts';
import type { FeatureMatrix, FittedBinning } from '../../../src/core/models/binning/types.ts';
import { buildRootHistogram, histogramLayout } from '../../../src/core/models/gbdt/histogram.ts';
import { leafOf, predictProba } from '../../../src/core/models/gbdt/predict.ts';
import { trainGbdt } from '../../../src/core/models/gbdt/train-gbdt.ts';
import { DEFAULT_GBDT_PARAMS, type GbdtModel } from '../../../src/core/models/gbdt/types.ts';
import { encodeLabels } from '../../../src/core/models/labels.ts';
import { createRandom } from '../../../src/core/models/random.ts';
import { openGpuDevice, type GpuDevice } from '../../../src/gpu/device.ts';
import { gpuGrower, type GpuTreeGrower } from '../../../src/gpu/gbdt-grower.ts';
import { predictGbdtOnGpu } from '../../../src/gpu/predict-gbdt.ts';
import { DATASETS, loadPath } from '../helpers.ts';
import { binned, syntheticTable } from '../models/synthetic.ts';

// Every kernel against its CPU reference, in Node through Dawn on whatever Vulkan driver the CLI
// would find (SwiftShader here: exact, but slow, so the data are small).
let gpu: GpuDevice;
let nsl: { matrix: FeatureMatrix; y: Int32Array; binning: FittedBinning };

beforeAll(async () => {
  gpu = await openGpuDevice(await nodeGpu());
  const table = (await loadPath(`${DATASETS}nsl-kdd/KDDTrain+_20Percent.csv`)).table.slice(0, 3000);
  const columns = table.schema.fields.map((f) => f.name).filter((c) => c !== 'label' && c !== 'difficulty');
  const binning = fitBinning(table, { columns });
  const map = (s: string): string => (s === 'normal' ? 'normal' : 'attack');
  nsl = { matrix: applyBinning(table, binning), y: encodeLabels(table.getChild('label')!, { classes: ['normal', 'attack'], map }).y, binning };
}, 60_000);

afterAll(() => gpu?.device.destroy());

/** A GPU device whose binding limit is `bytes`, to force sharding and chunking on small data. */
const limited = (bytes: number): GpuDevice => ({ ...gpu, maxBinding: bytes });

function sameTrees(a: GbdtModel, b: GbdtModel): void {
  expect(b.trees.length).toBe(a.trees.length);
  a.trees.forEach((t, i) => {
    const u = b.trees[i]!;
    expect(u.feature).toEqual(t.feature);
    expect(u.splitBin).toEqual(t.splitBin);
    expect(u.defaultLeft).toEqual(t.defaultLeft);
    expect(u.value).toEqual(t.value);
    expect(u.cover).toEqual(t.cover);
  });
}

describe('WebGPU GBDT kernels against their CPU references', () => {
  it('histogram: exact 64-bit sums, negative values and carries past 32 bits included', async () => {
    const { matrix } = nsl;
    const n = matrix.rows;
    const random = createRandom(5);
    // Values near ±2^30 make every cell's low word wrap many times: the carry path must be exact.
    const g = Int32Array.from({ length: n }, () => Math.floor((random.next() - 0.3) * 2 ** 31));
    const h = Int32Array.from({ length: n }, () => Math.floor(random.next() * 2 ** 30));
    const active = Uint8Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 0 : 1));
    const features = Int32Array.from({ length: matrix.features }, (_, f) => f).filter((f) => f % 5 !== 2);
    const layout = histogramLayout(matrix);
    const gl = Float64Array.from(g, (v, i) => (active[i] ? v : 0));
    const hl = Float64Array.from(h, (v, i) => (active[i] ? v : 0));
    const cpu = new Float64Array(layout.slotSize);
    buildRootHistogram(matrix, layout, features, gl, hl, cpu);
    expect(Math.max(...cpu.map(Math.abs))).toBeGreaterThan(2 ** 40);
    const q = { g, h, gUnit: 1, hUnit: 1 };
    for (const device of [gpu, limited(Math.max(n * 8, layout.slotSize * 8))]) {
      const grower = (await gpuGrower(device)(matrix, DEFAULT_GBDT_PARAMS)) as GpuTreeGrower;
      expect(Array.from(await grower.rootHistogram(q, active, features))).toEqual(Array.from(cpu));
      grower.dispose();
    }
  }, 60_000);

  it('training on NSL-KDD grows the CPU reference trees bit for bit; partition puts each row in its leaf', async () => {
    const { matrix, y, binning } = nsl;
    const options = { train: { matrix, y }, classes: ['attack', 'normal'], binning, params: { rounds: 6, maxDepth: 5, subsample: 0.8, seed: 9 } };
    const cpu = await trainGbdt(options);
    const gpuModel = await trainGbdt({ ...options, grower: gpuGrower(gpu) });
    expect(gpuModel.device).toBe(gpu.adapter);
    sameTrees(cpu, gpuModel);
    const grower = await gpuGrower(gpu)(matrix, gpuModel.params);
    const nodeOfRow = new Int32Array(matrix.rows);
    const q = { g: Int32Array.from(y, (c) => (c === 1 ? -3000 : 2000)), h: new Int32Array(matrix.rows).fill(4000), gUnit: 2 ** -12, hUnit: 2 ** -12 };
    const tree = await grower.grow(q, new Uint8Array(matrix.rows).fill(1), Int32Array.from({ length: matrix.features }, (_, f) => f), nodeOfRow);
    grower.dispose();
    expect(tree.feature[0]).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < matrix.rows; i++) expect(nodeOfRow[i]).toBe(leafOf(tree, matrix, i));
  }, 120_000);

  it('the same trees when the matrix is sharded by feature and histograms go in chunks', async () => {
    const { matrix, y, binning } = nsl;
    const slotBytes = histogramLayout(matrix).slotSize * 8;
    const bytes = Math.max(matrix.rows * 8, slotBytes);
    expect(bytes).toBeLessThan(matrix.rows * matrix.features);
    const options = { train: { matrix, y }, classes: ['attack', 'normal'], binning, params: { rounds: 3, maxDepth: 4, colsampleByTree: 0.6, seed: 2 } };
    sameTrees(await trainGbdt(options), await trainGbdt({ ...options, grower: gpuGrower(limited(bytes)) }));
  }, 120_000);

  it('softmax with three classes, weights and column sampling: the same trees', async () => {
    const { table, y } = syntheticTable(1500, 11, 3);
    const { matrix, binning } = binned(table);
    const weights = Float64Array.from({ length: 1500 }, (_, i) => (i % 10 === 0 ? 0 : 1 + (i % 3)));
    const options = { train: { matrix, y, weights }, classes: ['a', 'b', 'c'], binning, params: { rounds: 3, maxDepth: 4, colsampleByTree: 0.75, seed: 4 } };
    sameTrees(await trainGbdt(options), await trainGbdt({ ...options, grower: gpuGrower(gpu) }));
  }, 120_000);

  it('prediction: within 1e-5 of the CPU reference with the same argmax, binary and multi-class, in row chunks', async () => {
    const { matrix, y, binning } = nsl;
    const binary = await trainGbdt({ train: { matrix, y }, classes: ['attack', 'normal'], binning, params: { rounds: 8, maxDepth: 5 } });
    const three = syntheticTable(1200, 3, 3);
    const b3 = binned(three.table);
    const multi = await trainGbdt({ train: { matrix: b3.matrix, y: three.y }, classes: ['a', 'b', 'c'], binning: b3.binning, params: { rounds: 6, maxDepth: 3 } });
    for (const [model, m] of [[binary, matrix], [multi, b3.matrix]] as const) {
      const cpu = predictProba(model, m);
      // A limit that holds the trees but only a few hundred rows of bins: the rows go in chunks.
      const treeBytes = model.trees.length * model.trees[0]!.feature.length * 16;
      expect(Math.floor(treeBytes / m.features)).toBeLessThan(m.rows);
      for (const device of [gpu, limited(Math.max(treeBytes, 4096))]) {
        const p = await predictGbdtOnGpu(device, model, m);
        const K = model.classes.length;
        let worst = 0;
        for (let x = 0; x < p.length; x++) worst = Math.max(worst, Math.abs(p[x]! - cpu[x]!));
        expect(worst).toBeLessThanOrEqual(1e-5);
        for (let i = 0; i < m.rows; i++) {
          const arg = (a: Float32Array) => a.subarray(i * K, (i + 1) * K).reduce((best, v, k, row) => (v > row[best]! ? k : best), 0);
          expect(arg(p)).toBe(arg(cpu));
        }
      }
    }
  }, 120_000);

  it('a device lost mid-training finishes on the CPU with the same trees, and says so', async () => {
    const own = await openGpuDevice(await nodeGpu());
    const { table, y } = syntheticTable(1000, 8);
    const { matrix, binning } = binned(table);
    const options = { train: { matrix, y }, classes: ['no', 'yes'], binning, params: { rounds: 6, maxDepth: 3 } };
    const model = await trainGbdt({
      ...options,
      grower: gpuGrower(own),
      onProgress: (p) => {
        if (p.round === 2) own.device.destroy();
      },
    });
    expect(model.device).toMatch(/finished on cpu/);
    sameTrees(await trainGbdt(options), model);
  }, 120_000);
});
