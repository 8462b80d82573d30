import type { FeatureMatrix } from '../core/models/binning/types.ts';
import type { ForestModel } from '../core/models/forest/types.ts';
import type { GpuDevice } from './device.ts';
import { FOREST_PREDICT_WGSL } from './forest-predict-kernel.ts';
import { gridX, padded, readBack, storage, uniform } from './wgsl.ts';

const WORKGROUP = 64;
const pipelines = new WeakMap<GPUDevice, GPUComputePipeline>();

/**
 * Class probabilities of a forest for a binned matrix, on the GPU (rows × classes, in
 * `model.classes` order): the mean of the trees' leaf class frequencies. Rows go in chunks whose
 * bins and sums fit one binding, trees in chunks whose nodes and leaf values do.
 */
export async function predictForestOnGpu(gpu: GpuDevice, model: ForestModel, matrix: FeatureMatrix): Promise<Float32Array> {
  const device = gpu.device;
  const K = model.classes.length;
  const F = matrix.features;
  const n = matrix.rows;
  const T = model.trees.length;
  let pipeline = pipelines.get(device);
  if (!pipeline) {
    pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: FOREST_PREDICT_WGSL }), entryPoint: 'main' } });
    pipelines.set(device, pipeline);
  }
  const created: GPUBuffer[] = [];
  const make = (b: GPUBuffer): GPUBuffer => (created.push(b), b);
  const binCounts = make(storage(device, F * 4, 'bin counts'));
  device.queue.writeBuffer(binCounts, 0, Uint32Array.from(matrix.binCounts));
  const treeChunks = chunkTrees(model, K, gpu.maxBinding).map((chunk) => {
    const nodes = make(storage(device, chunk.nodes.byteLength, 'forest nodes'));
    device.queue.writeBuffer(nodes, 0, chunk.nodes);
    const values = make(storage(device, chunk.values.byteLength, 'leaf values'));
    device.queue.writeBuffer(values, 0, chunk.values);
    const roots = make(storage(device, chunk.roots.byteLength, 'tree roots'));
    device.queue.writeBuffer(roots, 0, chunk.roots);
    return { nodes, values, roots, trees: chunk.roots.length };
  });

  const out = new Float32Array(n * K);
  const perChunk = Math.max(1, Math.min(n, Math.floor(gpu.maxBinding / Math.max(1, F)), Math.floor(gpu.maxBinding / (K * 4))));
  try {
    for (let start = 0; start < n; start += perChunk) {
      const rows = Math.min(perChunk, n - start);
      const bins = make(storage(device, F * rows, 'bins'));
      device.queue.writeBuffer(bins, 0, padded(rows === n ? matrix.bins : columnChunk(matrix, start, rows)));
      const sums = make(storage(device, rows * K * 4, 'sums', GPUBufferUsage.COPY_SRC));
      const carries = make(storage(device, rows * K * 4, 'carries'));
      const { groups, stride } = gridX(rows, WORKGROUP, device.limits.maxComputeWorkgroupsPerDimension);
      const encoder = device.createCommandEncoder();
      encoder.clearBuffer(sums);
      encoder.clearBuffer(carries);
      for (const chunk of treeChunks) {
        // One uniform per chunk: all are written before the one submit that reads them.
        const params = make(uniform(device, 4, 'predict params'));
        device.queue.writeBuffer(params, 0, Uint32Array.of(rows, chunk.trees, K, stride));
        const pass = encoder.beginComputePass();
        pass.setPipeline(pipeline);
        const buffers = [params, bins, binCounts, chunk.nodes, chunk.roots, chunk.values, sums, carries];
        pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) }));
        pass.dispatchWorkgroups(groups);
        pass.end();
      }
      const sum = new Float32Array(await readBack(device, encoder, sums, rows * K * 4));
      for (let x = 0; x < sum.length; x++) out[start * K + x] = sum[x]! / T;
    }
  } finally {
    for (const b of created) b.destroy();
  }
  if (gpu.error) throw new Error(gpu.error);
  if (gpu.lost) throw new Error(`device lost: ${gpu.lost}`);
  return out;
}

interface TreeChunk {
  nodes: Int32Array<ArrayBuffer>;
  values: Float32Array<ArrayBuffer>;
  roots: Uint32Array<ArrayBuffer>;
}

/** The trees packed into chunks whose nodes (16 bytes each) and leaf values (4 · K each) fit one binding. */
function chunkTrees(model: ForestModel, K: number, maxBinding: number): TreeChunk[] {
  const limit = Math.floor(maxBinding / Math.max(16, 4 * K));
  const chunks: TreeChunk[] = [];
  for (let t = 0; t < model.trees.length; ) {
    const first = t;
    let size = 0;
    while (t < model.trees.length && (t === first || size + model.trees[t]!.feature.length <= limit)) size += model.trees[t++]!.feature.length;
    if (size > limit) throw new Error(`a tree of ${size} nodes exceeds this GPU's binding limit of ${maxBinding} bytes`);
    const nodes = new Int32Array(size * 4);
    const values = new Float32Array(size * K);
    const roots = new Uint32Array(t - first);
    let at = 0;
    for (let u = first; u < t; u++) {
      const tree = model.trees[u]!;
      roots[u - first] = at;
      for (let k = 0; k < tree.feature.length; k++) {
        const f = tree.feature[k]!;
        nodes.set([f, tree.splitBin[k]!, tree.defaultLeft[k]!, f < 0 ? 0 : at + tree.left[k]!], 4 * (at + k));
        for (let c = 0; c < K; c++) values[(at + k) * K + c] = tree.value[k * K + c]!;
      }
      at += tree.feature.length;
    }
    chunks.push({ nodes, values, roots });
  }
  return chunks;
}

/** Rows [start, start + rows) of every feature, column-major. */
function columnChunk(matrix: FeatureMatrix, start: number, rows: number): Uint8Array {
  const out = new Uint8Array(matrix.features * rows);
  for (let f = 0; f < matrix.features; f++) out.set(matrix.bins.subarray(f * matrix.rows + start, f * matrix.rows + start + rows), f * rows);
  return out;
}
