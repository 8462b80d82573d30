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
import { decodeRecord, RECORD_WORDS, SPLIT_WGSL, splitCandidatesReference } from '../../../src/gpu/split-kernel.ts';
import { readBack, storage, uniform } from '../../../src/gpu/wgsl.ts';
import { bestSplit, bestSplitOfCandidates } from '../../../src/core/models/gbdt/split-search.ts';
import { tableFromArrays } from 'apache-arrow';
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
    const gh = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) if (active[i]) gh.set([g[i]!, h[i]!], 2 * i);
    const cpu = new Float64Array(layout.slotSize);
    buildRootHistogram(matrix, layout, features, gh, cpu);
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
    // As a hardware adapter would run it: one feature per histogram invocation, not all of them.
    sameTrees(cpu, await trainGbdt({ ...options, grower: gpuGrower({ ...gpu, software: false }) }));
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

  it('split search: the kernel keeps what its f32 reference keeps, and the f64 choice among them is bestSplit\'s', async () => {
    // Root histograms of real gradients (NSL-KDD, first round: g = p − y at the base margin).
    const { matrix, y } = nsl;
    const layout = histogramLayout(matrix);
    const features = Int32Array.from({ length: matrix.features }, (_, f) => f);
    const slots = 3;
    const hist = new Float64Array(layout.slotSize * slots);
    const units = { g: 2 ** -16, h: 2 ** -17 };
    for (let s = 0; s < slots; s++) {
      const random = createRandom(s);
      const gh = new Float64Array(2 * y.length);
      y.forEach((c, i) => gh.set([(c === 1 ? -30000 : 20000) + Math.floor(random.next() * 4000), 16000 + Math.floor(random.next() * 3)], 2 * i));
      const one = new Float64Array(layout.slotSize);
      buildRootHistogram(matrix, layout, features, gh, one);
      hist.set(one, s * layout.slotSize);
    }
    const params = { lambda: 1, minChildWeight: 1, gamma: 0 };
    // The kernel alone, over a level buffer in its 64-bit layout.
    const device = gpu.device;
    const slotBins = layout.offsets[matrix.features]!;
    const words = new Uint32Array(slots * slotBins * 4);
    for (let x = 0; x < slots * slotBins * 2; x++) {
      const v = hist[x]!;
      const hi = Math.floor(v / 4294967296);
      words[2 * x] = v - hi * 4294967296;
      words[2 * x + 1] = hi >>> 0;
    }
    const level = storage(device, words.byteLength, 'level');
    device.queue.writeBuffer(level, 0, words);
    const listed = new Uint32Array(matrix.features * 2);
    features.forEach((f) => listed.set([layout.offsets[f]!, matrix.binCounts[f]!], 2 * f));
    const featureBuffer = storage(device, listed.byteLength, 'features');
    device.queue.writeBuffer(featureBuffer, 0, listed);
    const records = storage(device, slots * matrix.features * RECORD_WORDS * 4, 'records', GPUBufferUsage.COPY_SRC);
    const paramBuffer = uniform(device, 8, 'params');
    const raw = new ArrayBuffer(32);
    new Uint32Array(raw).set([slots, matrix.features, slotBins, 0]);
    new Float32Array(raw).set([params.lambda, params.minChildWeight, units.g, units.h], 4);
    device.queue.writeBuffer(paramBuffer, 0, raw);
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: SPLIT_WGSL }), entryPoint: 'main' } });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [paramBuffer, level, featureBuffer, records].map((buffer, binding) => ({ binding, resource: { buffer } })) }));
    pass.dispatchWorkgroups(Math.ceil((slots * matrix.features) / 64));
    pass.end();
    const out = new Uint32Array(await readBack(device, encoder, records, slots * matrix.features * RECORD_WORDS * 4));
    for (const b of [level, featureBuffer, records, paramBuffer]) b.destroy();
    let kept = 0;
    for (let s = 0; s < slots; s++) {
      const recs = Array.from(features, (f) => {
        const gpuRecord = decodeRecord(out, s * matrix.features + f);
        const reference = splitCandidatesReference(hist, s * layout.slotSize + layout.offsets[f]! * 2, matrix.binCounts[f]!, params, units);
        expect(gpuRecord).toEqual(reference);
        kept += reference.candidates.length;
        return { feature: f, gm: reference.gm, hm: reference.hm, candidates: reference.candidates };
      });
      const total = { g: recs.length ? decodeRecord(out, s * matrix.features).g : 0, h: decodeRecord(out, s * matrix.features).h };
      const full = bestSplit(hist, s, layout, features, matrix.binCounts, total, units, params);
      expect(full).toBeDefined();
      expect(bestSplitOfCandidates(recs, total, units, params)).toEqual(full);
    }
    expect(kept).toBeGreaterThan(slots * 10);
  }, 60_000);

  it('near-ties beyond the kernel\'s candidates go to a full search on the CPU, with the same trees', async () => {
    // `tie` is noise with one row of each class per value: at the root (p = 0.5) every boundary
    // scores the same, far more than fit a record. `signal` carries the label.
    const n = 2000;
    const y = Int32Array.from({ length: n }, (_, i) => i % 2);
    const signal = Float64Array.from({ length: n }, (_, i) => y[i]! * 40 + ((i * 7919) % 60));
    const tie = Float64Array.from({ length: n }, (_, i) => Math.floor(i / 2) % 40);
    const table = tableFromArrays({ tie, signal });
    const binning = fitBinning(table, { columns: ['tie', 'signal'], maxBins: 64 });
    const matrix = applyBinning(table, binning);
    const options = { train: { matrix, y }, classes: ['no', 'yes'], binning, params: { rounds: 4, maxDepth: 3 } };
    const grower = gpuGrower(gpu);
    let made: GpuTreeGrower | undefined;
    const model = await trainGbdt({
      ...options,
      grower: async (m, p) => (made = (await grower(m, p)) as GpuTreeGrower),
    });
    expect(made!.fullSearches).toBeGreaterThan(0);
    sameTrees(await trainGbdt(options), model);
  }, 60_000);

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
