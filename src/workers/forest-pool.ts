import type { ForestData, GrowForestParams } from '../core/models/forest/grow-forest-tree.ts';
import type { ForestTree } from '../core/models/forest/types.ts';
import { parseHelperReply, type ForestPoolMessage } from './forest-pool-protocol.ts';

/** One helper thread as the forest pool sees it: a Node worker thread or a browser Worker. */
export interface ForestHelperThread {
  postMessage(message: ForestPoolMessage): void;
  onMessage(listener: (data: unknown) => void): void;
  /** A load failure, an uncaught error or the thread's end. */
  onError(listener: (error: Error) => void): void;
  /** Whether the thread keeps a Node process alive: only while it has trees to send back. */
  hold?(on: boolean): void;
  terminate(): Promise<void>;
}

export type SpawnForestHelper = (index: number) => ForestHelperThread;

interface Job {
  resolve(tree: ForestTree): void;
  reject(error: Error): void;
}

/**
 * `threads − 1` helper threads that grow whole forest trees beside the pool's own thread. Jobs are
 * posted to every helper; a shared claim cell (forest-pool-protocol.ts) decides who grows each, and
 * its tree comes back as one message. A helper that fails ends the pool: every open job fails with
 * its message, and the next training starts a new pool.
 */
export class ForestPool {
  private readonly jobs = new Map<number, Job>();
  private nextJob = 1;
  private nextData = 1;
  private failure: Error | undefined;
  private closed = false;
  private holding = true;
  /** Told once when the pool fails (its owner forgets it). */
  onFailure: (error: Error) => void = () => undefined;

  private constructor(
    readonly threads: number,
    private readonly helpers: ForestHelperThread[],
  ) {}

  /** Starts `threads − 1` helpers and waits until each is ready. */
  static async start(threads: number, spawn: SpawnForestHelper): Promise<ForestPool> {
    const helpers: ForestHelperThread[] = [];
    const pool = new ForestPool(threads, helpers);
    try {
      await Promise.all(
        Array.from({ length: threads - 1 }, (_, k) => {
          const t = k + 1;
          const helper = spawn(t);
          helpers.push(helper);
          return new Promise<void>((resolve, reject) => {
            helper.onError((error) => {
              reject(new Error(`forest helper ${t} failed to start: ${error.message}`));
              pool.fail(new Error(`forest helper ${t} failed: ${error.message}`));
            });
            helper.onMessage((data) => {
              try {
                const reply = parseHelperReply(data);
                if (reply.type === 'ready') resolve();
                else if (reply.type === 'tree') pool.settle(reply.job, reply.tree);
                else pool.settle(reply.job, new Error(`forest helper ${t}: ${reply.message}`));
              } catch (error) {
                pool.fail(error as Error);
              }
            });
            helper.postMessage({ type: 'init', index: t });
          });
        }),
      );
    } catch (error) {
      await Promise.allSettled(helpers.map((h) => h.terminate()));
      throw error;
    }
    pool.hold(false);
    return pool;
  }

  /** Hands one training's rows to the helpers (bins and labels in shared memory); its id names them in jobs. */
  share(data: ForestData, params: GrowForestParams): number {
    this.check();
    const { matrix } = data;
    const id = this.nextData++;
    const bins = inShared(matrix.bins, Uint8Array);
    const y = inShared(data.y, Int32Array);
    const { rows, features, binCounts } = matrix;
    this.post({ type: 'data', id, rows, features, bins, binCounts, y, classes: data.classes, classWeight: data.classWeight, params: { ...params } });
    return id;
  }

  /** A new job id; `submit` it once its slot holds the draws and the id. */
  jobId(): number {
    return this.nextJob++;
  }

  /** Offers a tree to every helper; the promise settles with whoever grows it (a helper, or `settle` from this thread). */
  submit(data: number, job: number, slot: Int32Array, seed: number): Promise<ForestTree> {
    this.check();
    const tree = new Promise<ForestTree>((resolve, reject) => this.jobs.set(job, { resolve, reject }));
    this.hold(true);
    this.post({ type: 'tree', data, job, slot, seed });
    return tree;
  }

  /** Ends a job with its tree or its error; a job already ended or forgotten is ignored. */
  settle(job: number, result: ForestTree | Error): void {
    const open = this.jobs.get(job);
    if (!open) return;
    this.jobs.delete(job);
    if (result instanceof Error) open.reject(result);
    else open.resolve(result);
    if (this.jobs.size === 0) this.hold(false);
  }

  /** Stops waiting for jobs (a stopped training): their trees are dropped when they come. */
  forget(jobs: Iterable<number>): void {
    for (const job of jobs) this.jobs.delete(job);
    if (this.jobs.size === 0) this.hold(false);
  }

  /** Frees a training's rows on the helpers. */
  drop(data: number): void {
    if (!this.failure && !this.closed) this.post({ type: 'drop', data });
  }

  /** Ends the helper threads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(new Error('forest pool: closed'));
    await Promise.all(this.helpers.map((h) => h.terminate()));
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  private post(message: ForestPoolMessage): void {
    for (const h of this.helpers) h.postMessage(message);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const job of this.jobs.values()) job.reject(error);
    this.jobs.clear();
    this.hold(false);
    this.onFailure(error);
    if (!this.closed) void Promise.allSettled(this.helpers.map((h) => h.terminate()));
  }

  private hold(on: boolean): void {
    if (this.holding === on) return;
    this.holding = on;
    for (const h of this.helpers) h.hold?.(on);
  }
}

/** The array itself when it lies in shared memory, else a copy there. */
function inShared<T extends Uint8Array | Int32Array>(array: T, type: { new (buffer: SharedArrayBuffer): T }): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const copy = new type(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}
