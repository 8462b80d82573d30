import type { FeatureMatrix } from '../core/models/binning/types.ts';
import { outputsFor } from '../core/models/gbdt/objective.ts';
import type { GbdtModel } from '../core/models/gbdt/types.ts';
import type { GpuDevice } from './device.ts';
import { PREDICT_WGSL } from './predict-kernel.ts';
import { gridX, padded, readBack, storage, uniform } from './wgsl.ts';

const WORKGROUP = 64;
const pipelines = new WeakMap<GPUDevice, GPUComputePipeline>();

/**
 * Class probabilities of a boosted model for a binned matrix, on the GPU (rows × classes, in
 * `model.classes` order). Rows go in chunks whose bins fit one binding.
 */
export async function predictGbdtOnGpu(gpu: GpuDevice, model: GbdtModel, matrix: FeatureMatrix): Promise<Float32Array> {
  const device = gpu.device;
  const K = model.classes.length;
  const outputs = outputsFor(K);
  const F = matrix.features;
  const n = matrix.rows;
  const treeSize = model.trees[0]?.feature.length ?? 1;
  const T = model.trees.length;
  if (T * treeSize * 16 > gpu.maxBinding) throw new Error(`the model's ${T} trees exceed this GPU's binding limit of ${gpu.maxBinding} bytes`);
  const nodes = new Int32Array(Math.max(1, T * treeSize) * 4);
  const values = new Float32Array(Math.max(1, T * treeSize));
  model.trees.forEach((tree, t) => {
    for (let k = 0; k < treeSize; k++) {
      const at = t * treeSize + k;
      const f = tree.feature[k]!;
      nodes.set([f < 0 ? -1 : f, tree.splitBin[k]!, tree.defaultLeft[k]!, f < 0 ? 0 : matrix.binCounts[f]! - 1], 4 * at);
      values[at] = tree.value[k]!;
    }
  });
  let pipeline = pipelines.get(device);
  if (!pipeline) {
    pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: PREDICT_WGSL }), entryPoint: 'main' } });
    pipelines.set(device, pipeline);
  }
  const created: GPUBuffer[] = [];
  const make = (b: GPUBuffer): GPUBuffer => (created.push(b), b);
  const nodeBuffer = make(storage(device, nodes.byteLength, 'tree nodes'));
  device.queue.writeBuffer(nodeBuffer, 0, nodes);
  const valueBuffer = make(storage(device, values.byteLength, 'leaf values'));
  device.queue.writeBuffer(valueBuffer, 0, values);
  const baseBuffer = make(storage(device, outputs * 4, 'base margin'));
  device.queue.writeBuffer(baseBuffer, 0, Float32Array.from(model.baseMargin));

  const out = new Float32Array(n * K);
  const perChunk = Math.max(1, Math.min(n, Math.floor(gpu.maxBinding / Math.max(1, F)), Math.floor(gpu.maxBinding / (K * 4))));
  try {
    for (let start = 0; start < n; start += perChunk) {
      const rows = Math.min(perChunk, n - start);
      const bins = rows === n ? matrix.bins : columnChunk(matrix, start, rows);
      const binBuffer = make(storage(device, F * rows, 'bins'));
      device.queue.writeBuffer(binBuffer, 0, padded(bins.subarray(0, F * rows)));
      const probaBuffer = make(storage(device, rows * K * 4, 'probabilities', GPUBufferUsage.COPY_SRC));
      const { groups, stride } = gridX(rows, WORKGROUP, device.limits.maxComputeWorkgroupsPerDimension);
      const params = make(uniform(device, 6, 'predict params'));
      device.queue.writeBuffer(params, 0, Uint32Array.of(rows, T, treeSize, outputs, K, stride));
      const group = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [params, binBuffer, nodeBuffer, valueBuffer, baseBuffer, probaBuffer].map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(groups);
      pass.end();
      out.set(new Float32Array(await readBack(device, encoder, probaBuffer, rows * K * 4)), start * K);
    }
  } finally {
    for (const b of created) b.destroy();
  }
  if (gpu.error) throw new Error(gpu.error);
  if (gpu.lost) throw new Error(`device lost: ${gpu.lost}`);
  return out;
}

/** Rows [start, start + rows) of every feature, column-major. */
function columnChunk(matrix: FeatureMatrix, start: number, rows: number): Uint8Array {
  const out = new Uint8Array(matrix.features * rows);
  for (let f = 0; f < matrix.features; f++) out.set(matrix.bins.subarray(f * matrix.rows + start, f * matrix.rows + start + rows), f * rows);
  return out;
}
