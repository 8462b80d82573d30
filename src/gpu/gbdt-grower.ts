import type { FeatureMatrix } from '../core/models/binning/types.ts';
import { emptyTree, setNode } from '../core/models/gbdt/grow-tree.ts';
import { slotTotal } from '../core/models/gbdt/level-work.ts';
import { cpuGrower, type GrowerFactory, type TreeGrower } from '../core/models/gbdt/grower.ts';
import { histogramLayout, subtractHistogram, type HistogramLayout } from '../core/models/gbdt/histogram.ts';
import type { Quantised } from '../core/models/gbdt/quantise.ts';
import { bestSplit, bestSplitOfCandidates, type Split } from '../core/models/gbdt/split-search.ts';
import type { GbdtParams, Tree } from '../core/models/gbdt/types.ts';
import type { GpuDevice } from './device.ts';
import { featuresPerInvocation, HISTOGRAM_WGSL, PARTITION_WGSL } from './histogram-kernel.ts';
import { decodeRecord, int64At, RECORD_WORDS, SPLIT_WGSL, SUBTRACT_WGSL, type SplitRecord } from './split-kernel.ts';
import { gridX, padded, readBack, readBackRange, storage, uniform } from './wgsl.ts';

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
  /** Features each histogram invocation adds (see `featuresPerInvocation`). */
  private readonly perInvocation: number;
  /** Nodes whose split the CPU searched on the full histogram (flagged split records). */
  fullSearches = 0;
  /** The device-resident level loop's buffers, when a whole level fits one binding. */
  private readonly resident: Resident | undefined;

  constructor(
    private readonly gpu: GpuDevice,
    private readonly matrix: FeatureMatrix,
    private readonly params: GbdtParams,
  ) {
    const n = matrix.rows;
    this.dev = gpu.device;
    this.layout = histogramLayout(matrix);
    this.perInvocation = featuresPerInvocation(matrix.rows, matrix.features, gpu.software);
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
        histParams: own(uniform(device, 5, 'histogram params')),
        partParams,
        partGroup: device.createBindGroup({
          layout: this.partPipeline.getBindGroupLayout(0),
          entries: [partParams, bins, this.nodes, this.splits, this.binCounts].map((buffer, binding) => ({ binding, resource: { buffer } })),
        }),
        count: 0,
      });
    }
    this.resident = this.createResident(own);
  }

  /** Two level histogram buffers (parent, children), split records, sibling pairs, and their pipelines. */
  private createResident(own: (b: GPUBuffer) => GPUBuffer): Resident | undefined {
    const { matrix, gpu } = this;
    const device = gpu.device;
    const slotBins = this.layout.offsets[matrix.features]!;
    const maxSlots = Math.min(2 ** this.params.maxDepth, Math.max(1, matrix.rows));
    const levelBytes = maxSlots * slotBins * 16;
    const recordBytes = maxSlots * matrix.features * RECORD_WORDS * 4;
    if (levelBytes > gpu.maxBinding || recordBytes > gpu.maxBinding) return undefined;
    const pipeline = (code: string) => device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
    const split = pipeline(SPLIT_WGSL);
    const subtract = pipeline(SUBTRACT_WGSL);
    const levels = [own(storage(device, levelBytes, 'level histograms A', GPUBufferUsage.COPY_SRC)), own(storage(device, levelBytes, 'level histograms B', GPUBufferUsage.COPY_SRC))] as const;
    const records = own(storage(device, recordBytes, 'split records', GPUBufferUsage.COPY_SRC));
    const splitParams = own(uniform(device, 8, 'split params'));
    const splitFeatures = own(storage(device, matrix.features * 8, 'split features'));
    const pairs = own(storage(device, Math.max(1, maxSlots / 2) * 16, 'sibling pairs'));
    const subParams = own(uniform(device, 2, 'subtract params'));
    const group = (p: GPUComputePipeline, buffers: GPUBuffer[]) =>
      device.createBindGroup({ layout: p.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) });
    return {
      levels,
      histGroups: levels.map((level) => this.shards.map((shard) => group(this.histPipeline, [shard.histParams, shard.bins, this.grad, this.nodes, this.slots, shard.features, level]))),
      records,
      splitParams,
      splitFeatures,
      split,
      splitGroups: levels.map((level) => group(split, [splitParams, level, splitFeatures, records])),
      pairs,
      subParams,
      subtract,
      // Children in level i + 1 (mod 2) from parents in level i.
      subGroups: [group(subtract, [subParams, levels[0], levels[1], pairs]), group(subtract, [subParams, levels[1], levels[0], pairs])],
    };
  }

  get device(): string {
    return this.fellBack !== undefined ? `${this.gpu.adapter}; finished on cpu (${this.fellBack})` : this.gpu.adapter;
  }

  async grow(q: Quantised, active: Uint8Array, features: Int32Array, nodeOfRow: Int32Array): Promise<Tree> {
    if (!this.fallback) {
      try {
        if (this.gpu.lost) throw new Error(`device lost: ${this.gpu.lost}`);
        const tree = this.resident ? await this.growResident(this.resident, q, active, features, nodeOfRow) : await this.growOnGpu(q, active, features, nodeOfRow);
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
        const split = depth < params.maxDepth ? bestSplit(hist, slot, layout, features, matrix.binCounts, total, units, params) : undefined;
        if (setNode(tree, node, total, split, units, params)) splitting.push(slot);
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
        const leftH = leftHessian(hist, slot, layout, { feature: tree.feature[node]!, bin: tree.splitBin[node]!, defaultLeft: tree.defaultLeft[node] === 1 }, matrix.binCounts);
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

  /**
   * One tree with the level loop on the device: histograms of the smaller children built there,
   * their siblings by subtraction there, the split search there; what comes back per level is each
   * (node, feature)'s candidate boundaries with exact sums, and the CPU decides among them.
   */
  private async growResident(r: Resident, q: Quantised, active: Uint8Array, features: Int32Array, nodeOfRow: Int32Array): Promise<Tree> {
    const { matrix, layout, params, dev: device } = this;
    const n = matrix.rows;
    const slotBins = layout.offsets[matrix.features]!;
    const slotBytes = slotBins * 16;
    const tree = emptyTree(params.maxDepth);
    const units = { g: q.gUnit, h: q.hUnit };
    this.upload(q, active, features);
    const listed = new Uint32Array(features.length * 2);
    features.forEach((f, j) => listed.set([layout.offsets[f]!, matrix.binCounts[f]!], 2 * j));
    device.queue.writeBuffer(r.splitFeatures, 0, listed);
    const splitParams = new ArrayBuffer(32);
    const splitWords = new Uint32Array(splitParams);
    const splitFloats = new Float32Array(splitParams);
    splitWords.set([0, features.length, slotBins, 0]);
    splitFloats.set([params.lambda, params.minChildWeight, units.g, units.h], 4);
    const splits = new Int32Array(this.heap * 4);
    for (let k = 0; k < this.heap; k++) splits[4 * k] = -2;

    // The root: every row in slot 0 of level buffer 0.
    const slotOfNode = new Int32Array(this.heap).fill(-1);
    slotOfNode[0] = 0;
    device.queue.writeBuffer(this.slots, 0, slotOfNode);
    let encoder = device.createCommandEncoder();
    encoder.clearBuffer(this.nodes);
    encoder.clearBuffer(r.levels[0], 0, slotBytes);
    this.histogramPass(encoder, r.histGroups[0]!);
    let level = 0;
    let open = [0];
    for (let depth = 0; ; depth++) {
      const m = open.length;
      splitWords[0] = m;
      device.queue.writeBuffer(r.splitParams, 0, splitParams);
      const pass = encoder.beginComputePass();
      pass.setPipeline(r.split);
      pass.setBindGroup(0, r.splitGroups[level]!);
      pass.dispatchWorkgroups(Math.ceil((m * features.length) / 64));
      pass.end();
      const words = new Uint32Array(await readBack(device, encoder, r.records, m * features.length * RECORD_WORDS * 4));

      const splitting: { slot: number; leftH: number; totalH: number }[] = [];
      for (let slot = 0; slot < m; slot++) {
        const node = open[slot]!;
        const records = features.length ? Array.from(features, (_, j) => decodeRecord(words, slot * features.length + j)) : [];
        const total = { g: records[0]!.g, h: records[0]!.h };
        const split = depth < params.maxDepth ? await this.decide(r, level, slot, records, features, total, units) : undefined;
        if (setNode(tree, node, total, split, units, params)) splitting.push({ slot, leftH: split!.leftH, totalH: total.h });
      }
      if (splitting.length === 0) break;

      for (const node of open) splits.set([tree.feature[node]!, tree.splitBin[node]!, tree.defaultLeft[node]!], 4 * node);
      device.queue.writeBuffer(this.splits, 0, splits);
      const next: number[] = [];
      const pairs = new Uint32Array(splitting.length * 4);
      slotOfNode.fill(-1);
      splitting.forEach(({ slot, leftH, totalH }, j) => {
        const left = 2 * open[slot]! + 1;
        const small = next.length + (leftH <= totalH - leftH ? 0 : 1);
        slotOfNode[small === next.length ? left : left + 1] = small;
        pairs.set([slot, small, small === next.length ? small + 1 : small - 1], 4 * j);
        next.push(left, left + 1);
      });
      device.queue.writeBuffer(this.slots, 0, slotOfNode);
      device.queue.writeBuffer(r.pairs, 0, pairs);
      device.queue.writeBuffer(r.subParams, 0, Uint32Array.of(splitting.length, slotBins * 4));
      const child = 1 - level;
      encoder = device.createCommandEncoder();
      const part = encoder.beginComputePass();
      part.setPipeline(this.partPipeline);
      for (const shard of this.shards) {
        part.setBindGroup(0, shard.partGroup);
        part.dispatchWorkgroups(this.grid().groups);
      }
      part.end();
      encoder.clearBuffer(r.levels[child]!, 0, next.length * slotBytes);
      this.histogramPass(encoder, r.histGroups[child]!);
      const sub = encoder.beginComputePass();
      sub.setPipeline(r.subtract);
      sub.setBindGroup(0, r.subGroups[level]!);
      sub.dispatchWorkgroups(Math.ceil((slotBins * 2) / 256), splitting.length);
      sub.end();
      level = child;
      open = next;
    }
    const rows = new Int32Array(await readBack(device, device.createCommandEncoder(), this.nodes, n * 4));
    nodeOfRow.set(rows);
    return tree;
  }

  /** The histogram kernel over every shard, into the level buffer the bind groups name. */
  private histogramPass(encoder: GPUCommandEncoder, groups: GPUBindGroup[]): void {
    const pass = encoder.beginComputePass();
    pass.setPipeline(this.histPipeline);
    this.shards.forEach((shard, s) => {
      if (shard.count === 0) return;
      pass.setBindGroup(0, groups[s]!);
      pass.dispatchWorkgroups(this.grid().groups, Math.ceil(shard.count / this.perInvocation));
    });
    pass.end();
  }

  /**
   * A node's split from its (node, feature) records, and the hessian units it sends left. A flagged
   * record (too many near-best boundaries, or a hessian at min_child_weight within f32's error)
   * sends the CPU to the node's full histogram.
   */
  private async decide(
    r: Resident,
    level: number,
    slot: number,
    records: SplitRecord[],
    features: Int32Array,
    total: { g: number; h: number },
    units: { g: number; h: number },
  ): Promise<(Split & { leftH: number }) | undefined> {
    const { layout, matrix, params } = this;
    if (records.some((rec) => rec.overflow)) {
      this.fullSearches++;
      const slotBins = layout.offsets[matrix.features]!;
      const raw = new Uint32Array(await readBackRange(this.dev, r.levels[level]!, slot * slotBins * 16, slotBins * 16));
      const hist = new Float64Array(layout.slotSize);
      for (let x = 0; x < slotBins * 2; x++) hist[x] = int64At(raw, 2 * x);
      const split = bestSplit(hist, 0, layout, features, matrix.binCounts, total, units, params);
      return split && { ...split, leftH: leftHessian(hist, 0, layout, split, matrix.binCounts) };
    }
    const split = bestSplitOfCandidates(
      records.map((rec, j) => ({ feature: features[j]!, gm: rec.gm, hm: rec.hm, candidates: rec.candidates })),
      total,
      units,
      params,
    );
    if (!split) return undefined;
    const rec = records[features.indexOf(split.feature)]!;
    const at = rec.candidates.find((c) => c.bin === split.bin)!;
    return { ...split, leftH: at.hl + (split.defaultLeft ? rec.hm : 0) };
  }

  /** Uploads each shard's share of the tree's features: (column in shard, first cell in a slot). */
  private chooseFeatures(features: Int32Array): void {
    for (const shard of this.shards) {
      const list: number[] = [];
      for (const f of features) if (f >= shard.first && f < shard.end) list.push(f - shard.first, this.layout.offsets[f]!);
      shard.count = list.length / 2;
      if (shard.count > 0) this.dev.queue.writeBuffer(shard.features, 0, Uint32Array.from(list));
      this.dev.queue.writeBuffer(
        shard.histParams,
        0,
        Uint32Array.of(this.matrix.rows, shard.count, this.layout.offsets[this.matrix.features]!, this.grid().stride, this.perInvocation),
      );
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
      this.histogramPass(enc, this.shards.map((shard) => shard.histGroup!));
      const words = new Uint32Array(await readBack(this.dev, enc, this.hist!, bytes));
      chunk.forEach(({ slot }, c) => {
        const from = c * slotBins * 4;
        const to = slot * slotBins * 2;
        for (let x = 0; x < slotBins * 2; x++) out[to + x] = int64At(words, from + 2 * x);
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

/** The hessian units a split sends left. */
function leftHessian(hist: Float64Array, slot: number, layout: HistogramLayout, split: Pick<Split, 'feature' | 'bin' | 'defaultLeft'>, binCounts: Int32Array): number {
  const f = split.feature;
  const base = slot * layout.slotSize + layout.offsets[f]! * 2;
  let h = 0;
  for (let b = 0; b <= split.bin; b++) h += hist[base + 2 * b + 1]!;
  if (split.defaultLeft) h += hist[base + 2 * (binCounts[f]! - 1) + 1]!;
  return h;
}

interface Resident {
  levels: readonly [GPUBuffer, GPUBuffer];
  /** Per level buffer, per shard: the histogram kernel writing into that buffer. */
  histGroups: GPUBindGroup[][];
  records: GPUBuffer;
  splitParams: GPUBuffer;
  splitFeatures: GPUBuffer;
  split: GPUComputePipeline;
  splitGroups: GPUBindGroup[];
  pairs: GPUBuffer;
  subParams: GPUBuffer;
  subtract: GPUComputePipeline;
  subGroups: GPUBindGroup[];
}
