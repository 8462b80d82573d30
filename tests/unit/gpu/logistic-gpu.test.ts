import { tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeGpu } from '../../../src/cli/node-gpu.ts';
import { encodeLabels } from '../../../src/core/models/labels.ts';
import { denseRowMajor, type DesignMatrix } from '../../../src/core/models/logistic/design-matrix.ts';
import type { LogisticEngine } from '../../../src/core/models/logistic/engine.ts';
import { freeRows, logisticObjective } from '../../../src/core/models/logistic/objective.ts';
import { predictLogistic } from '../../../src/core/models/logistic/predict-logistic.ts';
import { applyLinearRecipe, fitLinearDesign } from '../../../src/core/models/logistic/recipe.ts';
import { trainLogisticOnDevice } from '../../../src/core/models/logistic/train-logistic-on-device.ts';
import { trainLogistic, type TrainLogisticOptions } from '../../../src/core/models/logistic/train-logistic.ts';
import { createRandom } from '../../../src/core/models/random.ts';
import { trainModel } from '../../../src/core/models/train-model.ts';
import { openGpuDevice, type GpuDevice } from '../../../src/gpu/device.ts';
import { gradientChunk, LOGISTIC_GRADIENT_WGSL, logisticGradientReference } from '../../../src/gpu/logistic-gradient-kernel.ts';
import { gpuLogisticEngine, openLogisticObjective } from '../../../src/gpu/logistic-engine.ts';
import { LOGISTIC_SCORES_WGSL, logisticScoresReference } from '../../../src/gpu/logistic-scores-kernel.ts';
import { gridX, readBack, storage, uniform } from '../../../src/gpu/wgsl.ts';
import { DATASETS, loadPath } from '../helpers.ts';

// Each logistic kernel against its CPU reference, and whole fits against the CPU path, in Node
// through Dawn on whatever Vulkan driver the CLI would find (SwiftShader here: exact, but slow, so
// the data are small).
let gpu: GpuDevice;

beforeAll(async () => {
  gpu = await openGpuDevice(await nodeGpu());
}, 60_000);

afterAll(() => gpu?.device.destroy());

/** A table whose classes depend on its columns: numbers on several scales, a mostly-zero count, a text column, gaps. */
function table(n: number, seed: number, classes: 2 | 3) {
  const random = createRandom(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const count = new Float64Array(n);
  const zone: string[] = [];
  const label: string[] = [];
  for (let i = 0; i < n; i++) {
    a[i] = random.next() * 100;
    b[i] = random.next() < 0.05 ? NaN : random.next() * 2 - 1;
    count[i] = random.next() < 0.12 ? Math.floor(random.next() * 40) : 0;
    zone.push(['north', 'south', 'east', 'west'][random.int(4)]!);
    const s = a[i]! / 50 + (Number.isNaN(b[i]!) ? 0 : b[i]!) + count[i]! / 20 + (zone[i] === 'east' ? 0.7 : 0) + (random.next() - 0.5) * 1.5;
    label.push(classes === 2 ? (s > 1.6 ? 'bad' : 'good') : ['low', 'mid', 'high'][Math.min(2, Math.max(0, Math.floor(s / 1.2)))]!);
  }
  return tableFromArrays({ a, b, count, zone, label });
}

function problem(n: number, seed: number, classes: 2 | 3, textEncoding: 'codes' | 'one-hot' = 'codes'): TrainLogisticOptions {
  const t = table(n, seed, classes);
  const rows = Array.from({ length: n }, (_, i) => i);
  const { recipe, design } = fitLinearDesign(t, ['a', 'b', 'count', 'zone'], rows, { textEncoding, topK: 3 });
  const { y, classes: names } = encodeLabels(t.getChild('label')!);
  return { design, y, classes: names, recipe };
}

/** A device whose binding limit is `bytes`, to force sharding by rows on small data. */
const limited = (bytes: number): GpuDevice => ({ ...gpu, maxBinding: bytes });

async function runScores(x: Float32Array, w: Float32Array, label: Uint32Array, weight: Float32Array, rows: number, width: number, free: number) {
  const device = gpu.device;
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: LOGISTIC_SCORES_WGSL }), entryPoint: 'main' } });
  const buffer = (data: Float32Array | Uint32Array, extra = 0) => {
    const b = storage(device, data.byteLength, 'test', extra);
    device.queue.writeBuffer(b, 0, data as Float32Array<ArrayBuffer>);
    return b;
  };
  const { groups, stride } = gridX(rows, 64, device.limits.maxComputeWorkgroupsPerDimension);
  const params = uniform(device, 4, 'params');
  device.queue.writeBuffer(params, 0, Uint32Array.of(rows, width, free, stride));
  const residual = storage(device, rows * free * 4, 'residual', GPUBufferUsage.COPY_SRC);
  const loss = storage(device, rows * 4, 'loss', GPUBufferUsage.COPY_SRC);
  const buffers = [params, buffer(x), buffer(w), buffer(label), buffer(weight), residual, loss];
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: buffers.map((b, binding) => ({ binding, resource: { buffer: b } })) }));
  pass.dispatchWorkgroups(groups);
  pass.end();
  const r = new Float32Array(await readBack(device, encoder, residual, rows * free * 4));
  const l = new Float32Array(await readBack(device, device.createCommandEncoder(), loss, rows * 4));
  for (const b of buffers) b.destroy();
  return { residual: r, loss: l };
}

async function runGradient(x: Float32Array, residual: Float32Array, loss: Float32Array, rows: number, width: number, free: number, chunk: number) {
  const device = gpu.device;
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: LOGISTIC_GRADIENT_WGSL }), entryPoint: 'main' } });
  const slots = free * (width + 1) + 1;
  const chunks = Math.ceil(rows / chunk);
  const buffer = (data: Float32Array) => {
    const b = storage(device, data.byteLength, 'test');
    device.queue.writeBuffer(b, 0, data as Float32Array<ArrayBuffer>);
    return b;
  };
  const params = uniform(device, 5, 'params');
  device.queue.writeBuffer(params, 0, Uint32Array.of(rows, width, free, chunk, slots));
  const partial = storage(device, chunks * slots * 4, 'partial', GPUBufferUsage.COPY_SRC);
  const buffers = [params, buffer(x), buffer(residual), buffer(loss), partial];
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: buffers.map((b, binding) => ({ binding, resource: { buffer: b } })) }));
  pass.dispatchWorkgroups(Math.ceil(slots / 64), chunks);
  pass.end();
  const out = new Float32Array(await readBack(device, encoder, partial, chunks * slots * 4));
  for (const b of buffers) b.destroy();
  return out;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('WebGPU logistic regression against its CPU references', () => {
  it('scores kernel: residuals and losses as its f32 reference, binary and three classes', async () => {
    for (const classes of [2, 3] as const) {
      const { design, y } = problem(700, 1, classes, 'one-hot');
      const free = freeRows(classes);
      const width = design.width;
      const random = createRandom(2);
      const x = denseRowMajor(design);
      const w = Float32Array.from({ length: free * (width + 1) }, () => (random.next() - 0.5) * 2);
      const label = Uint32Array.from(y);
      const weight = Float32Array.from({ length: 700 }, () => 0.5 + random.next());
      const want = logisticScoresReference(x, w, label, weight, 700, width, free);
      const got = await runScores(x, w, label, weight, 700, width, free);
      // WGSL's exp and log are within a few ulp, not correctly rounded: f32-sized tolerances.
      expect(maxAbsDiff(got.residual, want.residual)).toBeLessThan(2e-6);
      for (let i = 0; i < 700; i++) expect(Math.abs(got.loss[i]! - want.loss[i]!)).toBeLessThanOrEqual(2e-6 * Math.max(1, want.loss[i]!));
    }
  });

  it('gradient kernel: the chunks\' partial sums as its f32 reference (a last chunk that is short)', async () => {
    const { design } = problem(1000, 3, 3, 'one-hot');
    const width = design.width;
    const random = createRandom(4);
    const x = denseRowMajor(design);
    const residual = Float32Array.from({ length: 1000 * 3 }, () => random.next() - 0.5);
    const loss = Float32Array.from({ length: 1000 }, () => random.next());
    const chunk = gradientChunk(1000, 65535);
    expect(chunk).toBe(256);
    const want = logisticGradientReference(x, residual, loss, 1000, width, 3, chunk);
    const got = await runGradient(x, residual, loss, 1000, width, 3, chunk);
    expect(got).toHaveLength(want.length);
    // Same order of f32 additions; a driver may fuse a multiply-add (one rounding fewer).
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-4);
  });

  it('objective: value and gradient within f32 of the f64 CPU objective, whole and sharded by rows', async () => {
    for (const classes of [2, 3] as const) {
      const { design, y } = problem(1500, 5, classes, 'one-hot');
      const free = freeRows(classes);
      const P = free * (design.width + 1);
      const random = createRandom(6);
      const sampleWeight = Float64Array.from({ length: 1500 }, () => 0.5 + random.next());
      const w = Float64Array.from({ length: P }, () => (random.next() - 0.5) * 0.5);
      // The CPU objective with C → ∞ is the data term alone (the device's part).
      const cpu = logisticObjective(design, y, sampleWeight, classes, Number.MAX_VALUE);
      const want = new Float64Array(P);
      const value = cpu(w, want);
      for (const device of [gpu, limited(4 * design.width * 400)]) {
        const objective = await openLogisticObjective(device, { design, y, sampleWeight, classes });
        const grad = new Float64Array(P);
        const got = await objective.evaluate(w, grad);
        objective.dispose();
        expect(Math.abs(got - value)).toBeLessThan(1e-5 * value);
        expect(maxAbsDiff(grad, want)).toBeLessThan(1e-5 * 1500);
      }
    }
  });

  it('a fit with the GPU phase predicts what the CPU fit does (max |Δp| ≤ 1e-5, same labels), binary and three classes', async () => {
    for (const [classes, textEncoding] of [[2, 'codes'], [3, 'codes'], [3, 'one-hot']] as const) {
      const options = problem(2000, 7, classes, textEncoding);
      const test = applyLinearRecipe(table(1000, 8, classes), options.recipe);
      const cpu = trainLogistic(options);
      const { model, device } = await trainLogisticOnDevice(options, gpuLogisticEngine(gpu));
      expect(device).toBe(gpu.adapter);
      expect(cpu.converged && model.converged).toBe(true);
      expectSamePredictions(predictLogistic(cpu, test), predictLogistic(model, test), classes);
    }
  });

  it('NSL-KDD (3,000 rows): the GPU-phase fit predicts the test file as the CPU fit does', async () => {
    const train = (await loadPath(`${DATASETS}nsl-kdd/KDDTrain+_20Percent.csv`)).table.slice(0, 3000);
    const test = (await loadPath(`${DATASETS}nsl-kdd/KDDTest+.csv`)).table.slice(0, 3000);
    const columns = train.schema.fields.map((f) => f.name).filter((c) => c !== 'label' && c !== 'difficulty');
    const map = (s: string): string => (s === 'normal' ? 'normal' : 'attack');
    const rows = Array.from({ length: train.numRows }, (_, i) => i);
    const { recipe, design } = fitLinearDesign(train, columns, rows, { textEncoding: 'codes', topK: 20 });
    const options = { design, y: encodeLabels(train.getChild('label')!, { classes: ['normal', 'attack'], map }).y, classes: ['normal', 'attack'], recipe };
    const cpu = trainLogistic(options);
    const { model, device } = await trainLogisticOnDevice(options, gpuLogisticEngine(gpu));
    expect(device).toBe(gpu.adapter);
    const x = applyLinearRecipe(test, recipe);
    expectSamePredictions(predictLogistic(cpu, x), predictLogistic(model, x), 2);
  });

  it('a device that fails: the fit finishes on the CPU from W = 0 (the CPU model bit for bit) and says why', async () => {
    const options = problem(800, 9, 3);
    const broken: LogisticEngine = {
      device: 'test adapter',
      open: () => Promise.resolve({ evaluate: () => Promise.reject(new Error('device lost: test')), dispose: () => undefined }),
    };
    const { model, device } = await trainLogisticOnDevice(options, broken);
    expect(device).toBe('test adapter; finished on cpu (device lost: test)');
    expect(Array.from(model.weights)).toEqual(Array.from(trainLogistic(options).weights));
  });

  it('trainModel uses the engine for logistic and reports the adapter', async () => {
    const t = table(1200, 10, 2);
    const fitted = await trainModel(t, { model: 'logistic', label: 'label', engines: { logistic: gpuLogisticEngine(gpu) } });
    expect(fitted.device).toBe(gpu.adapter);
    const cpu = await trainModel(t, { model: 'logistic', label: 'label' });
    expect(cpu.device).toBe('cpu');
    const design: DesignMatrix = applyLinearRecipe(t, cpu.model.kind === 'logistic' ? cpu.model.recipe : (null as never));
    if (fitted.model.kind !== 'logistic' || cpu.model.kind !== 'logistic') throw new Error('not logistic');
    expectSamePredictions(predictLogistic(cpu.model, design), predictLogistic(fitted.model, design), 2);
  });
});

function expectSamePredictions(a: Float32Array, b: Float32Array, K: number): void {
  expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(1e-5);
  for (let i = 0; i < a.length / K; i++) {
    let ka = 0;
    let kb = 0;
    for (let k = 1; k < K; k++) {
      if (a[i * K + k]! > a[i * K + ka]!) ka = k;
      if (b[i * K + k]! > b[i * K + kb]!) kb = k;
    }
    expect(kb).toBe(ka);
  }
}
