import type { FeatureMatrix } from '../core/models/binning/types.ts';
import { CpuClassCounts, type ClassCountSource, type HistogramRequests, type HistogramVisitor, type LevelSplits } from '../core/models/forest/class-counts.ts';
import type { GpuDevice } from './device.ts';
import { FOREST_HISTOGRAM_WGSL, FOREST_PARTITION_WGSL, NO_NODE } from './forest-histogram-kernel.ts';
import { gridX, padded, readBack, storage, uniform } from './wgsl.ts';

interface Shard {
  first: number;
  end: number;
  bins: GPUBuffer;
  pairs: GPUBuffer;
  pairCapacity: number;
  histParams: GPUBuffer;
  partParams: GPUBuffer;
}

/** Requests (by index) whose histograms are built and read back together, and where each starts. */
interface Chunk {
  pairs: number[];
  offsets: number[];
  cells: number;
}

const WORKGROUP = 256;
/** The most histogram bytes read back at once: big enough to keep a level in a few reads, small enough for any staging buffer. */
const READ_LIMIT = 64 * 1024 * 1024;

/**
 * A forest's class-count histograms on the GPU: the binned matrix sharded by feature to fit the
 * adapter's binding limit, each row's node of the level resident on the device, a level's
 * (node, feature) pairs built in one dispatch per shard (in chunks that fit one binding) and read
 * back whole for the grower's split search (src/core/models/forest/grow-forest-tree.ts), which then
 * decides exactly as on the CPU. A node with fewer than `minGpuRows` distinct rows is handed to the
 * CPU reference with its rows: reading back its bins × (classes + 1) cells per feature costs more
 * than one pass over a few rows, and its descendants stay there.
 */
export class GpuClassCounts implements ClassCountSource {
  readonly retryBatch: number;
  private readonly dev: GPUDevice;
  private readonly K1: number;
  private readonly cpu: CpuClassCounts;
  private readonly shards: Shard[] = [];
  private readonly buffers: GPUBuffer[] = [];
  private readonly draws: GPUBuffer;
  private readonly classes: GPUBuffer;
  private readonly nodes: [GPUBuffer, GPUBuffer];
  private readonly binCounts: GPUBuffer;
  private readonly histPipeline: GPUComputePipeline;
  private readonly partPipeline: GPUComputePipeline;
  private nodePairs: GPUBuffer | undefined;
  private splits: GPUBuffer | undefined;
  private hist: GPUBuffer | undefined;
  /** Which of `nodes` holds the current level's node of each row. */
  private current = 0;
  /** Per node of the current level: 1 when its rows are on the GPU. */
  private onGpu = new Uint8Array(1);
  private anyOnGpu = false;
  private levelNodes = 1;

  constructor(
    private readonly gpu: GpuDevice,
    private readonly matrix: FeatureMatrix,
    y: Int32Array,
    classes: number,
    private readonly minGpuRows: number,
  ) {
    const n = matrix.rows;
    const device = (this.dev = gpu.device);
    this.K1 = classes + 1;
    // A retry costs a dispatch and a read-back per level: ask for a few features more at once.
    this.retryBatch = 2 * Math.ceil(Math.sqrt(matrix.features));
    this.cpu = new CpuClassCounts(matrix, y, classes);
    // Row buffers hold 4 bytes a row, and so does a level's split table (at most n / 2 nodes, 8 bytes each).
    if (n * 4 > gpu.maxBinding) throw new Error(`${n} rows need ${n * 4} bytes per row buffer, over this GPU's binding limit of ${gpu.maxBinding}`);
    if (matrix.features >= 2 ** 20) throw new Error(`${matrix.features} features: the GPU split table holds feature numbers below 2^20`);
    const own = (b: GPUBuffer): GPUBuffer => (this.buffers.push(b), b);
    this.draws = own(storage(device, n * 4, 'bootstrap draws'));
    this.classes = own(storage(device, n * 4, 'classes'));
    device.queue.writeBuffer(this.classes, 0, Int32Array.from(y));
    this.nodes = [own(storage(device, n * 4, 'node of row', GPUBufferUsage.COPY_SRC)), own(storage(device, n * 4, 'node of row', GPUBufferUsage.COPY_SRC))];
    this.binCounts = own(storage(device, matrix.features * 4, 'bin counts'));
    device.queue.writeBuffer(this.binCounts, 0, Uint32Array.from(matrix.binCounts));
    this.histPipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: FOREST_HISTOGRAM_WGSL }), entryPoint: 'main' } });
    this.partPipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: FOREST_PARTITION_WGSL }), entryPoint: 'main' } });
    const perShard = Math.max(1, Math.floor(gpu.maxBinding / Math.max(1, n)));
    for (let first = 0; first < matrix.features; first += perShard) {
      const end = Math.min(matrix.features, first + perShard);
      const bins = own(storage(device, (end - first) * n, `bins ${first}–${end}`));
      device.queue.writeBuffer(bins, 0, padded(matrix.bins.subarray(first * n, end * n)));
      const histParams = own(uniform(device, 4, 'histogram params'));

      const partParams = own(uniform(device, 4, 'partition params'));
      device.queue.writeBuffer(partParams, 0, Int32Array.of(n, this.grid().stride, first, end));
      this.shards.push({ first, end, bins, pairs: own(storage(device, 8, 'pairs')), pairCapacity: 1, histParams, partParams });
    }
  }

  beginTree(draws: Int32Array, inBag: number): void {
    this.levelNodes = 1;
    this.onGpu[0] = 0;
    this.anyOnGpu = inBag >= Math.max(1, this.minGpuRows);
    if (!this.anyOnGpu) {
      this.cpu.beginTree(draws);
      return;
    }
    this.cpu.beginEmpty(draws);
    this.onGpu[0] = 1;
    const node = new Uint32Array(draws.length);
    for (let i = 0; i < draws.length; i++) node[i] = draws[i]! > 0 ? 0 : NO_NODE;
    this.dev.queue.writeBuffer(this.draws, 0, draws.buffer instanceof ArrayBuffer ? (draws as Int32Array<ArrayBuffer>) : Int32Array.from(draws));
    this.current = 0;
    this.dev.queue.writeBuffer(this.nodes[0], 0, node);
  }

  async histograms(requests: HistogramRequests, visit: HistogramVisitor): Promise<void> {
    const chunks = this.anyOnGpu ? this.chunks(requests) : [];
    // The GPU starts on its first chunk while the CPU builds the small nodes' histograms.
    let building = chunks[0] && this.buildChunk(requests, chunks[0]);
    this.cpu.histograms(requests, visit);
    const { matrix, K1 } = this;
    for (let c = 0; c < chunks.length; c++) {
      const { pairs, offsets } = chunks[c]!;
      const hist = new Int32Array(await building!);
      building = chunks[c + 1] && this.buildChunk(requests, chunks[c + 1]!);
      pairs.forEach((r, p) => {
        const miss = matrix.binCounts[requests.feature[r]!]! - 1;
        const offset = offsets[p]!;
        let lo = miss;
        let hi = -1;
        for (let bin = 0; bin < miss; bin++) {
          if (hist[offset + bin * K1 + K1 - 1] === 0) continue;
          if (bin < lo) lo = bin;
          hi = bin;
        }
        visit(r, { hist, offset, lo, hi, miss });
      });
    }
  }

  /** The GPU nodes' requests in chunks of consecutive pairs (a node's are consecutive) whose cells fit one binding and one read-back. */
  private chunks(requests: HistogramRequests): Chunk[] {
    const { matrix, K1 } = this;
    const limit = Math.floor(Math.min(this.gpu.maxBinding, READ_LIMIT) / 4);
    const chunks: Chunk[] = [];
    let chunk: Chunk = { pairs: [], offsets: [], cells: 0 };
    for (let r = 0; r < requests.count; r++) {
      if (this.onGpu[requests.node[r]!] !== 1) continue;
      const size = matrix.binCounts[requests.feature[r]!]! * K1;
      if (size > limit) throw new Error(`one feature's class counts exceed this GPU's binding limit of ${this.gpu.maxBinding} bytes`);
      if (chunk.cells + size > limit) {
        chunks.push(chunk);
        chunk = { pairs: [], offsets: [], cells: 0 };
      }
      chunk.pairs.push(r);
      chunk.offsets.push(chunk.cells);
      chunk.cells += size;
    }
    if (chunk.pairs.length > 0) chunks.push(chunk);
    return chunks;
  }

  async partition(splits: LevelSplits): Promise<void> {
    const next = new Uint8Array(Math.max(1, splits.nextNodes));
    const adopted: number[] = [];
    let anyNext = false;
    if (this.anyOnGpu) {
      const table = new Int32Array(splits.nodes * 2);
      for (let j = 0; j < splits.nodes; j++) {
        const f = this.onGpu[j] === 1 ? splits.feature[j]! : -1;
        const left = splits.leftNext[j]!;
        const right = splits.rightNext[j]!;
        table[2 * j] = -1;
        if (f < 0) continue;
        if (left >= 0 && right >= 0 && right !== left + 1) throw new Error('the children of a split must be next to each other in the next level');
        table[2 * j] = (f << 11) | (splits.bin[j]! << 3) | (splits.defaultLeft[j]! << 2) | (left >= 0 ? 2 : 0) | (right >= 0 ? 1 : 0);
        table[2 * j + 1] = left >= 0 ? left : right;
        for (const child of [left, right]) {
          if (child < 0) continue;
          if (splits.nextRows[child]! >= this.minGpuRows) {
            next[child] = 1;
            anyNext = true;
          } else adopted.push(child);
        }
      }
      this.dispatchPartition(table);
    }
    this.cpu.partition(splits);
    this.onGpu = next;
    this.levelNodes = splits.nextNodes;
    if (adopted.length > 0) await this.adopt(adopted, splits.nextNodes);
    this.anyOnGpu = anyNext;
  }

  /** Each row's node of the current level as the device holds it (NO_NODE: none there): for the partition's parity test. */
  async rowNodes(): Promise<Uint32Array> {
    return new Uint32Array(await readBack(this.dev, this.dev.createCommandEncoder(), this.nodes[this.current]!, this.matrix.rows * 4));
  }

  dispose(): void {
    for (const b of this.buffers) b.destroy();
    this.nodePairs?.destroy();
    this.splits?.destroy();
    this.hist?.destroy();
  }

  private grid(): { groups: number; stride: number } {
    return gridX(this.matrix.rows, WORKGROUP, this.dev.limits.maxComputeWorkgroupsPerDimension);
  }

  /** Builds the histograms of the requests `chunk` (cells at `offsets`) and reads them back. */
  private async buildChunk(requests: HistogramRequests, { pairs: chunk, offsets, cells }: Chunk): Promise<ArrayBuffer> {
    const { dev: device } = this;
    const nodePairs = new Uint32Array(this.levelNodes * 2);
    let perNode = 0;
    chunk.forEach((r, p) => {
      const j = requests.node[r]!;
      if (nodePairs[2 * j + 1] === 0) nodePairs[2 * j] = p;
      perNode = Math.max(perNode, ++nodePairs[2 * j + 1]!);
    });
    // A software adapter pays per invocation: one adds all of a row's pairs there (a GPU keeps them apart, for more threads in flight).
    const perInvocation = this.gpu.software ? perNode : 1;
    this.nodePairs = this.fit(this.nodePairs, nodePairs.byteLength, 'node pairs');
    device.queue.writeBuffer(this.nodePairs, 0, nodePairs);
    this.hist = this.fit(this.hist, cells * 4, 'class counts', GPUBufferUsage.COPY_SRC);
    const encoder = device.createCommandEncoder();
    encoder.clearBuffer(this.hist, 0, cells * 4);
    const pass = encoder.beginComputePass();
    pass.setPipeline(this.histPipeline);
    for (const shard of this.shards) {
      const pairs = new Uint32Array(chunk.length * 2);
      let any = false;
      chunk.forEach((r, p) => {
        const f = requests.feature[r]!;
        const inShard = f >= shard.first && f < shard.end;
        any ||= inShard;
        pairs[2 * p] = inShard ? f - shard.first : NO_NODE;
        pairs[2 * p + 1] = offsets[p]!;
      });
      if (!any) continue;
      if (shard.pairCapacity < chunk.length) {
        shard.pairs.destroy();
        shard.pairCapacity = Math.max(chunk.length, shard.pairCapacity * 2);
        shard.pairs = storage(device, shard.pairCapacity * 8, 'pairs');
      }
      device.queue.writeBuffer(shard.pairs, 0, pairs);
      device.queue.writeBuffer(shard.histParams, 0, Uint32Array.of(this.matrix.rows, this.grid().stride, this.K1, perInvocation));
      const buffers = [shard.histParams, shard.bins, this.draws, this.classes, this.nodes[this.current]!, this.nodePairs, shard.pairs, this.hist];
      pass.setBindGroup(0, device.createBindGroup({ layout: this.histPipeline.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) }));
      pass.dispatchWorkgroups(this.grid().groups, Math.ceil(perNode / perInvocation));
    }
    pass.end();
    return readBack(device, encoder, this.hist, cells * 4);
  }

  /** Moves the GPU's rows to the next level (one dispatch per shard, no wait). */
  private dispatchPartition(table: Int32Array<ArrayBuffer>): void {
    const { dev: device } = this;
    this.splits = this.fit(this.splits, table.byteLength, 'splits');
    device.queue.writeBuffer(this.splits, 0, table);
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(this.partPipeline);
    for (const shard of this.shards) {
      const buffers = [shard.partParams, shard.bins, this.nodes[this.current]!, this.nodes[1 - this.current]!, this.splits, this.binCounts];
      pass.setBindGroup(0, device.createBindGroup({ layout: this.partPipeline.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) }));
      pass.dispatchWorkgroups(this.grid().groups);
    }
    pass.end();
    device.queue.submit([encoder.finish()]);
    this.current = 1 - this.current;
  }

  /** Hands the next level's nodes `adopted` to the CPU with their rows (read back from the device). */
  private async adopt(adopted: number[], nextNodes: number): Promise<void> {
    const n = this.matrix.rows;
    const node = await this.rowNodes();
    const slot = new Int32Array(nextNodes).fill(-1);
    adopted.forEach((k, s) => (slot[k] = s));
    const start = new Int32Array(adopted.length + 1);
    for (let i = 0; i < n; i++) {
      const k = node[i]!;
      if (k !== NO_NODE && slot[k]! >= 0) start[slot[k]! + 1]!++;
    }
    for (let s = 0; s < adopted.length; s++) start[s + 1]! += start[s]!;
    const rows = new Int32Array(start[adopted.length]!);
    const fill = start.slice(0, adopted.length);
    for (let i = 0; i < n; i++) {
      const k = node[i]!;
      if (k !== NO_NODE && slot[k]! >= 0) rows[fill[slot[k]!]!++] = i;
    }
    adopted.forEach((k, s) => this.cpu.adopt(k, rows.subarray(start[s]!, start[s + 1]!)));
  }

  /** `buffer` if it holds `bytes`, else a new one (the old destroyed), sized with room to grow. */
  private fit(buffer: GPUBuffer | undefined, bytes: number, label: string, extra = 0): GPUBuffer {
    if (buffer && buffer.size >= bytes) return buffer;
    buffer?.destroy();
    const size = Math.min(this.gpu.maxBinding, Math.max(bytes, (buffer?.size ?? 0) * 2));
    return storage(this.dev, size, label, extra);
  }
}
