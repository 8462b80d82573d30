import { denseRowMajor } from '../core/models/logistic/design-matrix.ts';
import type { DeviceObjective, LogisticEngine, LogisticProblem } from '../core/models/logistic/engine.ts';
import { freeRows } from '../core/models/logistic/objective.ts';
import type { GpuDevice } from './device.ts';
import { gradientChunk, LOGISTIC_GRADIENT_WGSL } from './logistic-gradient-kernel.ts';
import { LOGISTIC_SCORES_WGSL } from './logistic-scores-kernel.ts';
import { gridX, storage, uniform } from './wgsl.ts';

const WORKGROUP = 64;
const pipelines = new WeakMap<GPUDevice, { scores: GPUComputePipeline; gradient: GPUComputePipeline }>();

function pipelinesFor(device: GPUDevice): { scores: GPUComputePipeline; gradient: GPUComputePipeline } {
  let p = pipelines.get(device);
  if (!p) {
    const make = (code: string) => device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
    p = { scores: make(LOGISTIC_SCORES_WGSL), gradient: make(LOGISTIC_GRADIENT_WGSL) };
    pipelines.set(device, p);
  }
  return p;
}

/** The WebGPU engine for a logistic fit's f32 phase (see `trainLogisticOnDevice`). */
export function gpuLogisticEngine(gpu: GpuDevice): LogisticEngine {
  return { device: gpu.adapter, open: (problem) => openLogisticObjective(gpu, problem) };
}

interface Shard {
  rows: number;
  chunks: number;
  scores: GPUBindGroup;
  gradient: GPUBindGroup;
  grid: number;
  partial: GPUBuffer;
}

/**
 * Uploads the design once (dense row-major f32, one-hot blocks as 0 / 1, sparse columns
 * expanded), the labels and the weights, sharded by rows so that each shard's matrix fits one
 * binding; each evaluation uploads the weights, runs the two kernels per shard and reads back
 * only the partial sums (chunks × (free·(width + 1) + 1) floats), added here in f64.
 */
export async function openLogisticObjective(gpu: GpuDevice, problem: LogisticProblem): Promise<DeviceObjective> {
  const { design, y, sampleWeight, classes } = problem;
  const device = gpu.device;
  const n = design.rows;
  const D = design.width;
  const F = freeRows(classes);
  const S = D + 1;
  const slots = F * S + 1;
  if (slots * 4 > gpu.maxBinding || S * F * 4 > gpu.maxBinding) throw new Error(`${F * S} weights exceed this GPU's binding limit of ${gpu.maxBinding} bytes`);
  const { scores, gradient } = pipelinesFor(device);
  const maxGroups = device.limits.maxComputeWorkgroupsPerDimension;
  const x = denseRowMajor(design);
  const perShard = Math.max(1, Math.min(n, Math.floor(gpu.maxBinding / (4 * Math.max(D, F, 1)))));
  const created: GPUBuffer[] = [];
  const make = (b: GPUBuffer): GPUBuffer => (created.push(b), b);
  const weights = make(storage(device, F * S * 4, 'logistic weights'));
  const shards: Shard[] = [];
  let readBytes = 0;
  for (let start = 0; start < n; start += perShard) {
    const rows = Math.min(perShard, n - start);
    const chunk = gradientChunk(rows, maxGroups);
    const chunks = Math.ceil(rows / chunk);
    const xs = make(storage(device, rows * D * 4, 'logistic design'));
    device.queue.writeBuffer(xs, 0, x.subarray(start * D, (start + rows) * D));
    const labels = make(storage(device, rows * 4, 'logistic labels'));
    device.queue.writeBuffer(labels, 0, Uint32Array.from(y.subarray(start, start + rows)));
    const rowWeights = make(storage(device, rows * 4, 'logistic row weights'));
    device.queue.writeBuffer(rowWeights, 0, Float32Array.from(sampleWeight.subarray(start, start + rows)));
    const residual = make(storage(device, rows * F * 4, 'logistic residuals'));
    const loss = make(storage(device, rows * 4, 'logistic loss'));
    const partial = make(storage(device, chunks * slots * 4, 'logistic partial sums', GPUBufferUsage.COPY_SRC));
    const { groups, stride } = gridX(rows, WORKGROUP, maxGroups);
    const scoreParams = make(uniform(device, 4, 'logistic scores params'));
    device.queue.writeBuffer(scoreParams, 0, Uint32Array.of(rows, D, F, stride));
    const gradientParams = make(uniform(device, 5, 'logistic gradient params'));
    device.queue.writeBuffer(gradientParams, 0, Uint32Array.of(rows, D, F, chunk, slots));
    const bind = (pipeline: GPUComputePipeline, buffers: GPUBuffer[]) =>
      device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) });
    shards.push({
      rows,
      chunks,
      grid: groups,
      scores: bind(scores, [scoreParams, xs, weights, labels, rowWeights, residual, loss]),
      gradient: bind(gradient, [gradientParams, xs, residual, loss, partial]),
      partial,
    });
    readBytes += chunks * slots * 4;
  }
  const staging = make(device.createBuffer({ label: 'logistic read-back', size: Math.max(4, readBytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }));
  const w32 = new Float32Array(F * S);

  const check = (): void => {
    if (gpu.lost) throw new Error(`device lost: ${gpu.lost}`);
    if (gpu.error) throw new Error(gpu.error);
  };
  check();
  return {
    async evaluate(w, grad) {
      check();
      w32.set(w);
      device.queue.writeBuffer(weights, 0, w32);
      const encoder = device.createCommandEncoder();
      let at = 0;
      for (const shard of shards) {
        const pass = encoder.beginComputePass();
        pass.setPipeline(scores);
        pass.setBindGroup(0, shard.scores);
        pass.dispatchWorkgroups(shard.grid);
        pass.setPipeline(gradient);
        pass.setBindGroup(0, shard.gradient);
        pass.dispatchWorkgroups(Math.ceil(slots / WORKGROUP), shard.chunks);
        pass.end();
        encoder.copyBufferToBuffer(shard.partial, 0, staging, at, shard.chunks * slots * 4);
        at += shard.chunks * slots * 4;
      }
      device.queue.submit([encoder.finish()]);
      try {
        await staging.mapAsync(GPUMapMode.READ);
      } catch (err) {
        check();
        throw err;
      }
      const partial = new Float32Array(staging.getMappedRange().slice(0, readBytes));
      staging.unmap();
      check();
      // Shard by shard, chunk by chunk, in f64: a fixed order.
      grad.fill(0);
      let loss = 0;
      for (let c = 0; c < partial.length; c += slots) {
        for (let q = 0; q < slots - 1; q++) grad[q]! += partial[c + q]!;
        loss += partial[c + slots - 1]!;
      }
      return loss;
    },
    dispose() {
      for (const b of created) b.destroy();
    },
  };
}
