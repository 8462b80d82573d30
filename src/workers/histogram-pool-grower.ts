import type { FeatureMatrix } from '../core/models/binning/types.ts';
import { createScratch, growTree, type GrowScratch } from '../core/models/gbdt/grow-tree.ts';
import { cpuGrower, type GrowerFactory, type TreeGrower } from '../core/models/gbdt/grower.ts';
import { histogramLayout, type HistogramLayout } from '../core/models/gbdt/histogram.ts';
import { wasmHistograms } from '../core/models/gbdt/histogram-wasm.ts';
import type { GbdtParams } from '../core/models/gbdt/types.ts';
import { PooledLevelWork } from './histogram-pool-work.ts';
import { HistogramPool, type SpawnHelper } from './histogram-pool.ts';

/** A GrowerFactory whose helper threads outlive one training (started on first use). */
export interface ParallelGrowerFactory extends GrowerFactory {
  /** Threads that build each histogram, the caller's included (1: the single-thread grower). */
  readonly threads: number;
  /** Starts the helpers now (say, while the data loads) rather than at the first training. */
  start(): Promise<void>;
  /** Ends the helper threads; a later training starts new ones. */
  close(): Promise<void>;
}

/** One pool per platform and thread count, shared by every factory made for them. */
const pools = new Map<SpawnHelper, Map<number, Promise<HistogramPool>>>();

/**
 * The CPU grower on `threads` threads: each histogram's features are split between the caller and
 * `threads − 1` helpers (disjoint cells, so no atomics on them), and every cell is the same exact
 * integer sum as on one thread, so the trees are the same bit for bit. One thread, or no usable
 * shared memory (a page that is not cross-origin isolated, or the page's own thread, which may not
 * block), gives the single-thread grower.
 */
export function parallelGrowerFactory(threads: number, spawn: SpawnHelper, wasm = true): ParallelGrowerFactory {
  if (threads <= 1 || !canBlockOnSharedMemory()) {
    const single: GrowerFactory = (matrix, params) => cpuGrower(matrix, params);
    return Object.assign(single, { threads: 1, start: async () => undefined, close: async () => undefined });
  }
  const mine = pools.get(spawn) ?? pools.set(spawn, new Map()).get(spawn)!;
  const start = (): Promise<HistogramPool> => {
    let pool = mine.get(threads);
    if (!pool) {
      pool = HistogramPool.start(threads, spawn);
      mine.set(threads, pool);
      pool.catch(() => mine.get(threads) === pool && mine.delete(threads));
    }
    return pool;
  };
  const factory: GrowerFactory = async (matrix, params) => new ParallelTreeGrower(await start(), matrix, params, wasm);
  return Object.assign(factory, {
    threads,
    start: async () => void (await start()),
    close: async () => {
      const pool = mine.get(threads);
      mine.delete(threads);
      await (await pool?.catch(() => undefined))?.close();
    },
  });
}

class ParallelTreeGrower implements TreeGrower {
  readonly device: string;
  private readonly owned: number[] = [];
  private readonly matrix: FeatureMatrix;
  private readonly layout: HistogramLayout;
  private readonly scratch: GrowScratch;
  private readonly work: PooledLevelWork;

  constructor(
    private readonly pool: HistogramPool,
    matrix: FeatureMatrix,
    private readonly params: GbdtParams,
    wasm: boolean,
  ) {
    this.device = `cpu ×${pool.threads}`;
    const layout = histogramLayout(matrix);
    const offsets = pool.share('i32', layout.offsets.length);
    offsets.set(layout.offsets);
    this.owned.push(pool.idOf(offsets));
    this.layout = { offsets, slotSize: layout.slotSize };
    // The WebAssembly loops where the host has them and shared WebAssembly memory: the matrix is
    // copied into that memory once, and every thread's kernels work in it.
    const fast = wasm ? wasmHistograms(matrix, layout, params.maxDepth, { shared: true }) : undefined;
    if (fast) {
      const memoryId = pool.shareMemory(fast.memory);
      this.owned.push(memoryId);
      this.matrix = fast.matrix;
      this.scratch = fast.scratch;
      const wasm = { memoryId, at: fast.at, kernels: fast.kernels, serial: fast.work };
      this.work = new PooledLevelWork(pool, this.matrix, this.layout, matrix.binCounts, this.owned, wasm);
      return;
    }
    // A matrix binned straight into shared memory is used as it is; any other is copied once.
    const adopted = pool.adopt('u8', matrix.bins);
    let bins = matrix.bins;
    if (adopted === undefined) {
      bins = pool.share('u8', matrix.bins.length);
      bins.set(matrix.bins);
    }
    this.owned.push(adopted ?? pool.idOf(bins));
    this.matrix = { ...matrix, bins };
    this.scratch = createScratch(matrix.rows, pool.allocator(this.owned));
    this.work = new PooledLevelWork(pool, this.matrix, this.layout, matrix.binCounts, this.owned);
  }

  grow(...[q, active, features, nodeOfRow]: Parameters<TreeGrower['grow']>) {
    return growTree(this.matrix, this.layout, features, q, active, this.params, this.scratch, nodeOfRow, this.work);
  }

  dispose(): void {
    this.pool.release(this.owned.splice(0), true);
  }
}

/**
 * Whether this thread can share memory with helpers and block on it: SharedArrayBuffer exists (a
 * page must be cross-origin isolated) and Atomics.wait is allowed (not on a page's main thread).
 */
export function canBlockOnSharedMemory(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  try {
    return Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0) === 'not-equal';
  } catch {
    return false;
  }
}
