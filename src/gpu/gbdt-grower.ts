import type { FeatureMatrix } from '../core/models/binning/types.ts';
import { emptyTree } from '../core/models/gbdt/grow-tree.ts';
import { cpuGrower, type GrowerFactory, type TreeGrower } from '../core/models/gbdt/grower.ts';
import { histogramLayout, subtractHistogram, type HistogramLayout } from '../core/models/gbdt/histogram.ts';
import type { Quantised } from '../core/models/gbdt/quantise.ts';
import { bestSplit, leafWeight } from '../core/models/gbdt/split-search.ts';
import type { GbdtParams, Tree } from '../core/models/gbdt/types.ts';
import type { GpuDevice } from './device.ts';
import { HISTOGRAM_WGSL, PARTITION_WGSL } from './histogram-kernel.ts';
import { gridX, padded, readBack, storage, uniform } from './wgsl.ts';

/**
 * Grows boosting trees with the WebGPU kernels: the binned matrix lives on the device (sharded by
 * feature to fit the adapter's binding limit), each level's histograms are built there with exact
 * 64-bit integer sums and rows are partitioned there. The sums come back to the same split search
 * the CPU reference uses, so both make the same decisions and grow the same trees, bit for bit.
 * A lost device (or any GPU fault) finishes the training on the CPU, with the same result.
 */
export function gpuGrower(gpu: GpuDevice): GrowerFactory {
  return (matrix, params) => new GpuTreeGrower(gpu, matrix, params);
}

export type { GpuTreeGrower };

interface Shard {
  first: number;
  end: number;
  bins: GPUBuffer;
  features: GPUBuffer;
  histParams: GPUBuffer;
  partParams: GPUBuffer;
  histGroup?: GPUBindGroup;
  partGroup: GPUBindGroup;
  /** Features of the current tree in this shard. */
  count: number;
}

const WORKGROUP = 256;

class GpuTreeGrower implements TreeGrower {
  private readonly dev: GPUDevice;
  private readonly layout: HistogramLayout;
  private readonly heap: number;
  private readonly shards: Shard[] = [];
  private readonly grad: GPUBuffer;
  private readonly nodes: GPUBuffer;
  private readonly slots: GPUBuffer;
  private readonly splits: GPUBuffer;
  private readonly binCounts: GPUBuffer;
  private readonly histPipeline: GPUComputePipeline;
  private readonly partPipeline: GPUComputePipeline;
  private hist: GPUBuffer | undefined;
  private histCapacity = 0;
  private fallback: TreeGrower | undefined;
  private fellBack: string | undefined;
  private readonly buffers: GPUBuffer[] = [];

  constructor(
    private readonly gpu: GpuDevice,
    private readonly matrix: FeatureMatrix,
    private readonly params: GbdtParams,
  ) {
    const n = matrix.rows;
    this.dev = gpu.device;
    this.layout = histogramLayout(matrix);
    this.heap = 2 ** (params.maxDepth + 1) - 1;
    if (n * 8 > gpu.maxBinding) throw new Error(`${n} rows need ${n * 8} bytes of gradients, over this GPU's binding limit of ${gpu.maxBinding}`);
    if (this.layout.offsets[matrix.features]! * 16 > gpu.maxBinding) throw new Error(`one histogram slot exceeds this GPU's binding limit of ${gpu.maxBinding} bytes`);
    const device = gpu.device;
    const own = (b: GPUBuffer): GPUBuffer => (this.buffers.push(b), b);
    this.grad = own(storage(device, n * 8, 'gradients'));
    this.nodes = own(storage(device, n * 4, 'node of row', GPUBufferUsage.COPY_SRC));
    this.slots = own(storage(device, this.heap * 4, 'slot of node'));
    this.splits = own(storage(device, this.heap * 16, 'splits'));
    this.binCounts = own(storage(device, matrix.features * 4, 'bin counts'));
    device.queue.writeBuffer(this.binCounts, 0, Uint32Array.from(matrix.binCounts));
    this.histPipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: HISTOGRAM_WGSL }), entryPoint: 'main' } });
    this.partPipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: PARTITION_WGSL }), entryPoint: 'main' } });

    const perShard = Math.max(1, Math.floor(gpu.maxBinding / Math.max(1, n)));
    if (n > gpu.maxBinding) throw new Error(`one column of ${n} rows exceeds this GPU's binding limit of ${gpu.maxBinding} bytes`);
    const { stride } = this.grid();
    for (let first = 0; first < matrix.features; first += perShard) {
      const end = Math.min(matrix.features, first + perShard);
      const bins = own(storage(device, (end - first) * n, `bins ${first}–${end}`));
      device.queue.writeBuffer(bins, 0, padded(matrix.bins.subarray(first * n, end * n)));
      const partParams = own(uniform(device, 4, 'partition params'));
      device.queue.writeBuffer(partParams, 0, Int32Array.of(n, first, end, stride));
      this.shards.push({
        first,
        end,
        bins,
        features: own(storage(device, (end - first) * 8, 'features')),
        histParams: own(uniform(device, 4, 'histogram params')),
        partParams,
        partGroup: device.createBindGroup({
          layout: this.partPipeline.getBindGroupLayout(0),
          entries: [partParams, bins, this.nodes, this.splits, this.binCounts].map((buffer, binding) => ({ binding, resource: { buffer } })),
        }),
        count: 0,
      });
    }
  }

  get device(): string {
    return this.fellBack !== undefined ? `${this.gpu.adapter}; finished on cpu (${this.fellBack})` : this.gpu.adapter;
  }

  async grow(q: Quantised, active: Uint8Array, features: Int32Array, nodeOfRow: Int32Array): Promise<Tree> {
    if (!this.fallback) {
      try {
        if (this.gpu.lost) throw new Error(`device lost: ${this.gpu.lost}`);
        const tree = await this.growOnGpu(q, active, features, nodeOfRow);
        if (this.gpu.error) throw new Error(this.gpu.error);
        if (this.gpu.lost) throw new Error(`device lost: ${this.gpu.lost}`);
        return tree;
      } catch (err) {
        this.fellBack = this.gpu.lost ? `device lost: ${this.gpu.lost}` : (err as Error).message || (err as Error).name || String(err);
        this.fallback = await cpuGrower(this.matrix, this.params);
      }
    }
    return this.fallback.grow(q, active, features, nodeOfRow);
  }

  dispose(): void {
    for (const b of this.buffers) b.destroy();
    this.hist?.destroy();
    this.fallback?.dispose();
  }

  private grid(): { groups: number; stride: number } {
    return gridX(this.matrix.rows, WORKGROUP, this.dev.limits.maxComputeWorkgroupsPerDimension);
  }

  /**
   * The root's histogram (every row in one node) in the CPU layout: the kernel alone, for the
   * parity test against `buildRootHistogram`.
   */
  async rootHistogram(q: Quantised, active: Uint8Array, features: Int32Array): Promise<Float64Array> {
    this.upload(q, active, features);
    const encoder = this.dev.createCommandEncoder();
    encoder.clearBuffer(this.nodes);
    const hist = new Float64Array(this.layout.slotSize);
    await this.buildLevel(encoder, [{ node: 0, slot: 0 }], hist);
    return hist;
  }

  /** The tree's gradients (zero for inactive rows) and feature lists, to the device. */
  private upload(q: Quantised, active: Uint8Array, features: Int32Array): void {
    const n = this.matrix.rows;
    const grad = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) {
      if (active[i] !== 1) continue;
      grad[2 * i] = q.g[i]!;
      grad[2 * i + 1] = q.h[i]!;
    }
    this.dev.queue.writeBuffer(this.grad, 0, grad);
    this.chooseFeatures(features);
  }

  private async growOnGpu(q: Quantised, active: Uint8Array, features: Int32Array, nodeOfRow: Int32Array): Promise<Tree> {
    const { matrix, layout, params, dev: device } = this;
    const n = matrix.rows;
    const slotSize = layout.slotSize;
    const tree = emptyTree(params.maxDepth);
    const units = { g: q.gUnit, h: q.hUnit };

    this.upload(q, active, features);
    const splits = new Int32Array(this.heap * 4);
    for (let k = 0; k < this.heap; k++) splits[4 * k] = -2;

    let encoder = device.createCommandEncoder();
    encoder.clearBuffer(this.nodes);
    let open = [0];
    let hist = new Float64Array(slotSize);
    await this.buildLevel(encoder, [{ node: 0, slot: 0 }], hist);

    for (let depth = 0; open.length > 0; depth++) {
      const splitting: number[] = [];
      open.forEach((node, slot) => {
        const total = slotTotal(hist, slot, layout, features[0]!, matrix.binCounts);
        tree.cover[node] = total.h * units.h;
        const split = depth < params.maxDepth ? bestSplit(hist, slot, layout, features, matrix.binCounts, total, units, params) : undefined;
        if (!split) {
          tree.feature[node] = -1;
          tree.value[node] = leafWeight(total.g * units.g, total.h * units.h, params.lambda) * params.learningRate;
          return;
        }
        tree.feature[node] = split.feature;
        tree.splitBin[node] = split.bin;
        tree.defaultLeft[node] = split.defaultLeft ? 1 : 0;
        tree.gain[node] = split.gain;
        splitting.push(slot);
      });
      if (splitting.length === 0) break;

      for (const node of open) splits.set([tree.feature[node]!, tree.splitBin[node]!, tree.defaultLeft[node]!], 4 * node);
      device.queue.writeBuffer(this.splits, 0, splits);
      encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(this.partPipeline);
      for (const shard of this.shards) {
        pass.setBindGroup(0, shard.partGroup);
        pass.dispatchWorkgroups(this.grid().groups);
      }
      pass.end();

      // Children of the j-th splitting node take slots 2j and 2j + 1; the one with the smaller
      // hessian sum is built, its sibling is the parent minus it (exact either way: integer sums).
      const next: number[] = [];
      const builds: { node: number; slot: number }[] = [];
      const pairs: { parent: number; small: number; big: number }[] = [];
      for (const slot of splitting) {
        const node = open[slot]!;
        const left = 2 * node + 1;
        const leftH = leftHessian(hist, slot, layout, tree, node, matrix.binCounts);
        const total = slotTotal(hist, slot, layout, features[0]!, matrix.binCounts).h;
        const small = next.length + (leftH <= total - leftH ? 0 : 1);
        builds.push({ node: small === next.length ? left : left + 1, slot: small });
        pairs.push({ parent: slot, small, big: small === next.length ? small + 1 : small - 1 });
        next.push(left, left + 1);
      }
      const nextHist = new Float64Array(next.length * slotSize);
      await this.buildLevel(encoder, builds, nextHist);
      for (const { parent, small, big } of pairs) subtractHistogram(nextHist, hist, parent, small, big, slotSize);
      open = next;
      hist = nextHist;
    }
    const rows = new Int32Array(await readBack(device, device.createCommandEncoder(), this.nodes, n * 4));
    nodeOfRow.set(rows);
    return tree;
  }

  /** Uploads each shard's share of the tree's features: (column in shard, first cell in a slot). */
  private chooseFeatures(features: Int32Array): void {
    for (const shard of this.shards) {
      const list: number[] = [];
      for (const f of features) if (f >= shard.first && f < shard.end) list.push(f - shard.first, this.layout.offsets[f]!);
      shard.count = list.length / 2;
      if (shard.count > 0) this.dev.queue.writeBuffer(shard.features, 0, Uint32Array.from(list));
      this.dev.queue.writeBuffer(shard.histParams, 0, Uint32Array.of(this.matrix.rows, shard.count, this.layout.offsets[this.matrix.features]!, this.grid().stride));
    }
  }

  /**
   * Builds the histograms of the listed nodes into their slots of `out` (Float64, the CPU layout),
   * after the work already in `encoder`. Nodes go in chunks that fit one binding.
   */
  private async buildLevel(encoder: GPUCommandEncoder, builds: { node: number; slot: number }[], out: Float64Array): Promise<void> {
    const slotBins = this.layout.offsets[this.matrix.features]!;
    const perChunk = Math.max(1, Math.floor(this.gpu.maxBinding / (slotBins * 16)));
    for (let start = 0; start < builds.length; start += perChunk) {
      const chunk = builds.slice(start, start + perChunk);
      const bytes = chunk.length * slotBins * 16;
      this.ensureHist(bytes);
      const slotOfNode = new Int32Array(this.heap).fill(-1);
      chunk.forEach(({ node }, c) => (slotOfNode[node] = c));
      this.dev.queue.writeBuffer(this.slots, 0, slotOfNode);
      const enc = start === 0 ? encoder : this.dev.createCommandEncoder();
      enc.clearBuffer(this.hist!, 0, bytes);
      const pass = enc.beginComputePass();
      pass.setPipeline(this.histPipeline);
      for (const shard of this.shards) {
        if (shard.count === 0) continue;
        pass.setBindGroup(0, shard.histGroup!);
        pass.dispatchWorkgroups(this.grid().groups, shard.count);
      }
      pass.end();
      const raw = await readBack(this.dev, enc, this.hist!, bytes);
      const lo = new Uint32Array(raw);
      const hi = new Int32Array(raw);
      chunk.forEach(({ slot }, c) => {
        const from = c * slotBins * 4;
        const to = slot * slotBins * 2;
        for (let x = 0; x < slotBins * 2; x++) out[to + x] = hi[from + 2 * x + 1]! * 4294967296 + lo[from + 2 * x]!;
      });
    }
  }

  private ensureHist(bytes: number): void {
    if (this.hist && this.histCapacity >= bytes) return;
    this.hist?.destroy();
    this.histCapacity = Math.min(this.gpu.maxBinding, Math.max(bytes, this.histCapacity * 2));
    this.hist = storage(this.dev, this.histCapacity, 'histograms', GPUBufferUsage.COPY_SRC);
    for (const shard of this.shards) {
      shard.histGroup = this.dev.createBindGroup({
        layout: this.histPipeline.getBindGroupLayout(0),
        entries: [shard.histParams, shard.bins, this.grad, this.nodes, this.slots, shard.features, this.hist].map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
    }
  }
}

/** A node's g and h unit sums: the sum over any one feature's bins (all features agree). */
function slotTotal(hist: Float64Array, slot: number, layout: HistogramLayout, f: number, binCounts: Int32Array): { g: number; h: number } {
  const base = slot * layout.slotSize + layout.offsets[f]! * 2;
  let g = 0;
  let h = 0;
  for (let b = 0; b < binCounts[f]!; b++) {
    g += hist[base + 2 * b]!;
    h += hist[base + 2 * b + 1]!;
  }
  return { g, h };
}

/** The hessian units a node's split sends left. */
function leftHessian(hist: Float64Array, slot: number, layout: HistogramLayout, tree: Tree, node: number, binCounts: Int32Array): number {
  const f = tree.feature[node]!;
  const base = slot * layout.slotSize + layout.offsets[f]! * 2;
  let h = 0;
  for (let b = 0; b <= tree.splitBin[node]!; b++) h += hist[base + 2 * b + 1]!;
  if (tree.defaultLeft[node] === 1) h += hist[base + 2 * (binCounts[f]! - 1) + 1]!;
  return h;
}
