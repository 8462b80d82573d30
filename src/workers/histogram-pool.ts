import type { ScratchAllocator } from '../core/models/gbdt/grow-tree.ts';
import { CONTROL, controlLength, ERROR_BYTES, OP, parseHelperReply, readError, CALLER_SPIN_MS, type BufferKind, type PoolMessage, type SharedEntry } from './histogram-pool-protocol.ts';

/** One helper thread as the pool sees it: a Node worker thread or a browser Worker. */
export interface HelperThread {
  postMessage(message: PoolMessage): void;
  onMessage(listener: (data: unknown) => void): void;
  onError(listener: (error: unknown) => void): void;
  /** Called once every helper is ready: a Node worker stops holding the process open. */
  detach?(): void;
  terminate(): Promise<void>;
}

export type SpawnHelper = (index: number) => HelperThread;

/** Longest wait for helpers on one job before giving up (a job is one level's share: well under this). */
const STALL_MS = 120_000;

type Typed<K extends BufferKind> = K extends 'u8' ? Uint8Array : K extends 'i32' ? Int32Array : Float64Array;

/**
 * N − 1 helper threads and the calling thread, sharing the work of one job at a time. The caller
 * blocks (Atomics.wait) until the helpers are done, which a Node main thread and a browser worker
 * may do; the page's own thread may not (no training runs there).
 */
export class HistogramPool {
  readonly threads: number;
  private readonly control: Int32Array;
  private readonly errors = new SharedArrayBuffer(ERROR_BYTES);
  private readonly ids = new Map<ArrayBufferLike, number>();
  private nextId = 1;
  private added: SharedEntry[] = [];
  private dropped: number[] = [];
  private closed = false;

  private constructor(
    threads: number,
    private readonly helpers: HelperThread[],
  ) {
    this.threads = threads;
    this.control = new Int32Array(new SharedArrayBuffer(controlLength(this.threads) * 4));
  }

  /** Starts `threads − 1` helpers and waits until each is ready. */
  static async start(threads: number, spawn: SpawnHelper): Promise<HistogramPool> {
    const helpers: HelperThread[] = [];
    const pool = new HistogramPool(threads, helpers);
    try {
      const ready: Promise<void>[] = [];
      for (let t = 1; t < threads; t++) {
        const helper = spawn(t);
        helpers.push(helper);
        ready.push(
          new Promise<void>((resolve, reject) => {
            helper.onError((error) => reject(error instanceof Error ? error : new Error(`histogram helper ${t} failed to start: ${String(error)}`)));
            helper.onMessage((data) => {
              const reply = parseHelperReply(data);
              if (reply.type === 'ready') resolve();
              else reject(new Error(`histogram helper ${t}: ${reply.message}`));
            });
          }),
        );
        helper.postMessage({ type: 'init', control: pool.control.buffer as SharedArrayBuffer, errors: pool.errors, index: t });
      }
      await Promise.all(ready);
    } catch (error) {
      await Promise.allSettled(helpers.map((h) => h.terminate()));
      throw error;
    }
    for (const h of helpers) h.detach?.();
    return pool;
  }

  /** A zeroed array in shared memory that jobs may name (helpers get it with the next job). */
  share<K extends BufferKind>(kind: K, length: number): Typed<K> {
    const bytes = kind === 'u8' ? 1 : kind === 'i32' ? 4 : 8;
    const buffer = new SharedArrayBuffer(Math.max(1, length) * bytes);
    const id = this.nextId++;
    this.ids.set(buffer, id);
    this.added.push({ id, kind, buffer });
    const array = kind === 'u8' ? new Uint8Array(buffer, 0, length) : kind === 'i32' ? new Int32Array(buffer, 0, length) : new Float64Array(buffer, 0, length);
    return array as Typed<K>;
  }

  /**
   * Registers an array that already lies in shared memory (from its start, filling its buffer), so
   * jobs may name it without a copy; undefined for any other array.
   */
  adopt(kind: BufferKind, array: Uint8Array | Int32Array | Float64Array): number | undefined {
    const buffer = array.buffer;
    if (!(buffer instanceof SharedArrayBuffer) || array.byteOffset !== 0 || array.byteLength !== buffer.byteLength) return undefined;
    const id = this.nextId++;
    this.ids.set(buffer, id);
    this.added.push({ id, kind, buffer });
    return id;
  }

  /**
   * Registers a shared WebAssembly memory: jobs name it by the id returned, and every helper runs
   * the histogram kernels on it. Views of it are not ids of their own (jobs give byte offsets).
   */
  shareMemory(memory: WebAssembly.Memory): number {
    const id = this.nextId++;
    this.ids.set(memory.buffer, id);
    this.added.push({ id, kind: 'memory', memory });
    return id;
  }

  /** An allocator of shared arrays, recording their ids in `owned` (to release them later). */
  allocator(owned: number[]): ScratchAllocator {
    const record = <T extends Int32Array | Float64Array>(a: T): T => (owned.push(this.idOf(a)), a);
    return { float64: (length) => record(this.share('f64', length)), int32: (length) => record(this.share('i32', length)) };
  }

  idOf(array: Uint8Array | Int32Array | Float64Array): number {
    const id = this.ids.get(array.buffer);
    if (id === undefined) throw new Error('histogram pool: this array is not in the pool’s shared memory');
    return id;
  }

  /** Forgets shared buffers (helpers drop theirs with the next job, or now if `now`). */
  release(ids: number[], now = false): void {
    const gone = new Set(ids);
    for (const [buffer, id] of this.ids) if (gone.has(id)) this.ids.delete(buffer);
    this.added = this.added.filter((a) => !gone.has(a.id));
    this.dropped.push(...ids);
    if (now && !this.closed) this.sendUpdates();
  }

  /**
   * Runs one job: `fields` fill the control block, `bounds` (threads + 1 entries) split the job's
   * feature list, `own(from, to)` is the caller's share. Returns when every thread is done.
   */
  run(op: number, fields: Partial<Record<keyof typeof CONTROL, number>>, bounds: Int32Array, own: (from: number, to: number) => void): void {
    if (this.closed) throw new Error('histogram pool: used after close');
    this.sendUpdates();
    const c = this.control;
    for (const [name, value] of Object.entries(fields)) c[CONTROL[name as keyof typeof CONTROL]] = value;
    c.set(bounds, CONTROL.BOUNDS);
    this.dispatch(op);
    let failure: unknown;
    try {
      own(bounds[0]!, bounds[1]!);
    } catch (error) {
      failure = error;
    }
    // Wait even when our share failed: the helpers are still writing into the caller's buffers.
    this.awaitHelpers();
    if (failure !== undefined) throw failure;
    if (Atomics.load(c, CONTROL.FAILED) !== 0) throw new Error(`histogram pool: ${readError(this.errors)}`);
  }

  /** The next unclaimed item of the running job (CONTROL.NEXT_ITEM), for any thread. */
  claim(): number {
    return Atomics.add(this.control, CONTROL.NEXT_ITEM, 1);
  }

  /** Stops the helpers and ends their threads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.dispatch(OP.EXIT);
    this.awaitHelpers();
    await Promise.all(this.helpers.map((h) => h.terminate()));
  }

  /** New and dropped buffers go out in one message, while the helpers are back in their event loops. */
  private sendUpdates(): void {
    if (this.added.length === 0 && this.dropped.length === 0) return;
    this.dispatch(OP.YIELD);
    this.awaitHelpers();
    const message: PoolMessage = { type: 'update', add: this.added, drop: this.dropped };
    for (const h of this.helpers) h.postMessage(message);
    this.added = [];
    this.dropped = [];
  }

  private dispatch(op: number): void {
    const c = this.control;
    Atomics.store(c, CONTROL.DONE, 0);
    Atomics.store(c, CONTROL.FAILED, 0);
    Atomics.store(c, CONTROL.OP, op);
    Atomics.add(c, CONTROL.GENERATION, 1);
    Atomics.notify(c, CONTROL.GENERATION);
  }

  private awaitHelpers(): void {
    const c = this.control;
    const want = this.helpers.length;
    const deadline = performance.now() + STALL_MS;
    // The helpers usually finish within a moment of the caller's own share: poll before sleeping.
    const until = performance.now() + CALLER_SPIN_MS;
    for (let s = 1; Atomics.load(c, CONTROL.DONE) < want; s++) if ((s & 1023) === 0 && performance.now() > until) break;
    for (;;) {
      const done = Atomics.load(c, CONTROL.DONE);
      if (done >= want) return;
      if (Atomics.wait(c, CONTROL.DONE, done, 1000) === 'timed-out' && performance.now() > deadline) {
        this.closed = true;
        throw new Error(`histogram pool: ${want - done} helper thread(s) stopped answering`);
      }
    }
  }
}
