import { cpuForestGrower, type ForestGrower, type ForestGrowerFactory } from '../core/models/forest/forest-grower.ts';
import type { ForestData, GrowForestParams } from '../core/models/forest/grow-forest-tree.ts';
import type { ForestTree } from '../core/models/forest/types.ts';
import { CLAIM, claimMark } from './forest-pool-protocol.ts';
import { ForestPool, type SpawnForestHelper } from './forest-pool.ts';
import { canShareMemory } from './share-memory.ts';

/** A ForestGrowerFactory whose helper threads outlive one training (started on first use). */
export interface ParallelForestGrowerFactory extends ForestGrowerFactory {
  /** Threads that grow trees, the caller's included (1: the single-thread grower). */
  readonly threads: number;
  /** Starts the helpers now (say, while the data loads) rather than at the first training. */
  start(): Promise<void>;
  /** Ends the helper threads; a later training starts new ones. */
  close(): Promise<void>;
}

/** One pool per platform and thread count, shared by every factory made for them. */
const pools = new Map<SpawnForestHelper, Map<number, Promise<ForestPool>>>();

/**
 * The forest's CPU grower on `threads` threads: whole trees are grown at once, each by the
 * single-thread reference from its own draws and seed, so the forest is the same bit for bit.
 * One thread, or no shared memory (a page that is not cross-origin isolated), gives the
 * single-thread grower: copying the binned matrix to every helper would cost what it saves on
 * small data and double the memory on big.
 */
export function parallelForestGrowerFactory(threads: number, spawn: SpawnForestHelper): ParallelForestGrowerFactory {
  if (threads <= 1 || !canShareMemory()) {
    const single: ForestGrowerFactory = (data, params) => cpuForestGrower(data, params);
    return Object.assign(single, { threads: 1, start: async () => undefined, close: async () => undefined });
  }
  const mine = pools.get(spawn) ?? pools.set(spawn, new Map()).get(spawn)!;
  const start = (): Promise<ForestPool> => {
    let pool = mine.get(threads);
    if (!pool) {
      const started = ForestPool.start(threads, spawn);
      const forget = () => void (mine.get(threads) === started && mine.delete(threads));
      started.then((p) => (p.onFailure = forget), forget);
      mine.set(threads, (pool = started));
    }
    return pool;
  };
  const factory: ForestGrowerFactory = async (data, params) => new ParallelForestGrower(await start(), await cpuForestGrower(data, params), data, params);
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

/**
 * Whether a process that trains once (the CLI) should grow a forest on the pool rather than on its
 * own thread: when rows × trees × levels (maxDepth, at most log2 rows) reaches ONE_SHOT_POOL_WORK.
 * In such a process a helper's trees are slow while its thread's code warms up with both cores
 * busy, and two threads slow each other's trees. Measured (CLI fits, medians of 6–7 alternating,
 * depth 6): one thread faster at 3M (phishing 0.14 against 0.18–0.19 s), 3M (CIC-IDS 0.21 against
 * 0.25–0.27 s) and 15M (NSL-KDD 0.31–0.32 against 0.36 s); even at 30M and 60M (KDD99's first 50k
 * and 100k training rows: 0.38–0.53 against 0.40–0.47 s, 0.67–0.98 against 0.68–0.79 s); the pool
 * faster at 120M (KDD99's 200k rows: 0.9–1.4 against 1.3–1.5 s). The app's long-lived pool, warm
 * after its first training, takes every forest.
 */
export function oneShotWantsPool(rows: number, trees: number, maxDepth: number): boolean {
  const levels = Math.min(maxDepth, Math.ceil(Math.log2(Math.max(2, rows))));
  return rows * trees * levels >= ONE_SHOT_POOL_WORK;
}

/** See oneShotWantsPool. */
export const ONE_SHOT_POOL_WORK = 50_000_000;

interface Offer {
  job: number;
  slot: Int32Array;
  seed: number;
}

/**
 * Grows a training's trees on the pool's helpers and on this thread. Each tree is offered to all;
 * this thread takes the oldest unclaimed one in a task of its own, one tree per task, so helpers'
 * trees are received (and new ones offered) between its trees.
 */
class ParallelForestGrower implements ForestGrower {
  readonly device: string;
  /** Two trees per thread in flight: a thread that finishes finds the next one waiting. */
  readonly concurrency: number;
  private readonly data: number;
  private readonly rows: number;
  private readonly offers: Offer[] = [];
  private readonly spare: Int32Array[] = [];
  private readonly open = new Set<number>();
  private scheduled = false;
  private running = false;
  private disposed = false;

  constructor(
    private readonly pool: ForestPool,
    private readonly local: ForestGrower,
    data: ForestData,
    params: GrowForestParams,
  ) {
    this.device = `cpu ×${pool.threads}`;
    this.concurrency = 2 * pool.threads;
    this.rows = data.matrix.rows;
    this.data = pool.share(data, params);
  }

  grow(draws: Int32Array, seed: number): Promise<ForestTree> {
    if (this.disposed) return Promise.reject(new Error('forest grower: used after dispose'));
    const slot = this.spare.pop() ?? new Int32Array(new SharedArrayBuffer(4 * (this.rows + 1)));
    slot.set(draws, 1);
    const job = this.pool.jobId();
    Atomics.store(slot, CLAIM, job);
    const tree = this.pool.submit(this.data, job, slot, seed);
    this.open.add(job);
    const settled = () => {
      this.open.delete(job);
      if (!this.disposed) this.spare.push(slot);
    };
    tree.then(settled, settled);
    this.offers.push({ job, slot, seed });
    this.schedule();
    return tree;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Offers nobody took are withdrawn; trees a helper is growing are dropped when they come.
    for (const { job, slot } of this.offers) Atomics.compareExchange(slot, CLAIM, job, 0);
    this.offers.length = 0;
    for (const job of [...this.open]) this.pool.settle(job, new Error('forest training stopped'));
    this.pool.drop(this.data);
    this.local.dispose();
  }

  private schedule(): void {
    if (this.scheduled || this.disposed) return;
    this.scheduled = true;
    nextTask(() => void this.growHere());
  }

  private async growHere(): Promise<void> {
    this.scheduled = false;
    if (this.running || this.disposed) return;
    // Offers a helper claimed leave the list; the oldest one left is grown here.
    let offer = this.offers.shift();
    while (offer && Atomics.compareExchange(offer.slot, CLAIM, offer.job, claimMark(0)) !== offer.job) offer = this.offers.shift();
    if (!offer) return;
    this.running = true;
    let result: ForestTree | Error;
    try {
      result = await this.local.grow(offer.slot.subarray(1), offer.seed);
    } catch (error) {
      result = error instanceof Error ? error : new Error(String(error));
    }
    this.running = false;
    this.pool.settle(offer.job, result);
    if (this.offers.length > 0) this.schedule();
  }
}

/** Runs `task` after the event loop has had a turn (worker messages first); setImmediate where there is one. */
const nextTask: (task: () => void) => void =
  typeof setImmediate === 'function'
    ? (task) => void setImmediate(task)
    : (() => {
        const channel = new MessageChannel();
        const tasks: (() => void)[] = [];
        channel.port1.onmessage = () => tasks.shift()?.();
        return (task: () => void) => {
          tasks.push(task);
          channel.port2.postMessage(null);
        };
      })();
