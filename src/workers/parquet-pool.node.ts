import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ParquetHelperReply } from './parquet-pool-protocol.ts';
import { parquetPool, PARQUET_THREADS, type ParquetHelperThread, type ParquetPool } from './parquet-pool.ts';

export type { ParquetPool };

/** The Parquet pool (parquet-pool.ts) on Node worker threads: `threads` (default: the cores, at most PARQUET_THREADS). */
export function parallelParquetDecoder(options: { threads?: number } = {}): ParquetPool {
  return parquetPool(Math.max(1, options.threads ?? Math.min(PARQUET_THREADS, availableParallelism())), spawnNodeHelper);
}

function spawnNodeHelper(): ParquetHelperThread {
  const entry = new URL('./parquet.node-worker.ts', import.meta.url).href;
  const worker = new Worker(new URL('../../bin/ts-worker.mjs', import.meta.url), { workerData: { entry } });
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', (reply: ParquetHelperReply) => listener(reply)),
    onError: (listener) => {
      worker.on('error', listener);
      worker.on('exit', (code) => listener(new Error(`Parquet helper ended (exit code ${code})`)));
    },
    terminate: async () => void (await worker.terminate()),
    hold: (on) => (on ? worker.ref() : worker.unref()),
  };
}
