import type { ParquetColumnHelper, SharedColumn, ShareResult } from '../core/io/parquet/column-share.ts';
import type { ColumnQueue } from '../core/io/parquet/decode-columns.ts';
import { helperReady } from './helper-ready.ts';
import type { ParquetHelperMessage, ParquetHelperReply } from './parquet-pool-protocol.ts';

/** At most this many threads (the caller's included): each helper holds a copy of the file. */
export const PARQUET_THREADS = 4;

/** A helper thread as the pool sees it, whatever the platform (parquet-pool.node.ts, parquet-pool.browser.ts). */
export interface ParquetHelperThread {
  postMessage(message: ParquetHelperMessage): void;
  onMessage(listener: (reply: ParquetHelperReply) => void): void;
  onError(listener: (error: Error) => void): void;
  terminate(): Promise<void>;
  /** Node: whether the thread keeps the process alive (only while it decodes). */
  hold?(on: boolean): void;
}

/** Files of fewer rows stay on the loading thread: below this a helper's round trip costs more than it saves. */
const MIN_ROWS = 50_000;

export type SpawnParquetHelper = (index: number) => ParquetHelperThread;

/** Helper threads for Parquet loads (LoadOptions.parquetHelper) that outlive one load: started by `start` or on first use. */
export interface ParquetPool extends ParquetColumnHelper {
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `threads` − 1 helper threads, each taking columns of a Parquet file from a queue (column-share.ts)
 * while the loading thread takes its own: page faults on the fresh columns, snappy and the
 * dictionary look-ups split across the cores. Helpers that will not start, or fail, leave their
 * shares to the loading thread (the same table); a later load starts them again.
 */
export function parquetPool(threads: number, spawn: SpawnParquetHelper, minRows = MIN_ROWS): ParquetPool {
  let helpers: Promise<Helper[]> | undefined;
  const start = (): Promise<Helper[]> => (helpers ??= Promise.all(Array.from({ length: threads - 1 }, (_, index) => Helper.spawn(spawn, index))));
  const restart = (): void => {
    const running = helpers;
    helpers = undefined;
    void running?.then((hs) => hs.forEach((h) => void h.terminate()), () => undefined);
  };
  return {
    helpers: threads - 1,
    minRows,
    async decode(file, queues) {
      let started: Helper[];
      try {
        started = await start();
      } catch {
        helpers = undefined;
        return queues.map(() => null);
      }
      if (started.some((h) => h.failed)) {
        restart();
        return queues.map(() => null);
      }
      // A message copies a view's whole buffer: send just the file.
      const bytes = file.byteOffset === 0 && file.byteLength === file.buffer.byteLength ? file : file.slice();
      return Promise.all(queues.map((queue, s) => started[s % started.length]!.decode(bytes, queue).catch(() => null)));
    },
    start: async () => void (await start().catch(() => (helpers = undefined))),
    close: async () => {
      const running = helpers;
      helpers = undefined;
      await Promise.all((await running?.catch(() => []))?.map((h) => h.terminate()) ?? []);
    },
  };
}

/** One helper thread: its requests answered by id (columns as they come, then the end). */
class Helper {
  private readonly waiting = new Map<number, { columns: SharedColumn[]; resolve: (result: ShareResult) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  failed = false;

  private constructor(private readonly thread: ParquetHelperThread) {
    thread.onMessage((reply) => {
      if (reply.type === 'ready') return;
      const w = this.waiting.get(reply.id);
      if (!w) return;
      if (reply.type === 'column') return void w.columns.push(reply.column);
      this.waiting.delete(reply.id);
      if (reply.type === 'decoded') w.resolve({ columns: [...w.columns, ...reply.result.columns], failure: reply.result.failure });
      else w.reject(new Error(`Parquet helper: ${reply.message}`));
      if (this.waiting.size === 0) thread.hold?.(false);
    });
    thread.onError((error) => this.fail(error));
  }

  static async spawn(spawn: SpawnParquetHelper, index: number): Promise<Helper> {
    const thread = spawn(index);
    // From now on it holds the process open only while it decodes.
    await helperReady(thread, 'Parquet helper');
    return new Helper(thread);
  }

  decode(file: Uint8Array, queue: ColumnQueue): Promise<ShareResult> {
    if (this.failed) return Promise.reject(new Error('Parquet helper failed'));
    const id = this.nextId++;
    this.thread.hold?.(true);
    const reply = new Promise<ShareResult>((resolve, reject) => this.waiting.set(id, { columns: [], resolve, reject }));
    this.thread.postMessage({ type: 'decode', id, file, queue });
    return reply;
  }

  async terminate(): Promise<void> {
    this.failed = true;
    await this.thread.terminate();
  }

  private fail(error: Error): void {
    this.failed = true;
    for (const w of this.waiting.values()) w.reject(error);
    this.waiting.clear();
  }
}
