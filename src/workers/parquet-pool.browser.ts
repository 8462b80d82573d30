import { parquetPool, PARQUET_THREADS, type ParquetHelperThread, type ParquetPool } from './parquet-pool.ts';

export type { ParquetPool };

/**
 * The Parquet pool (parquet-pool.ts) in the browser, for the data worker: `threads` (default: the
 * logical cores, at most PARQUET_THREADS) decode a file's columns at once. Messages are copies and
 * transfers, so no shared memory (cross-origin isolation) is needed.
 */
export function parallelParquetDecoder(options: { threads?: number } = {}): ParquetPool {
  return parquetPool(Math.max(1, options.threads ?? Math.min(PARQUET_THREADS, navigator.hardwareConcurrency || 1)), spawnBrowserHelper);
}

function spawnBrowserHelper(index: number): ParquetHelperThread {
  const worker = new Worker(new URL('./parquet.worker.ts', import.meta.url), { type: 'module', name: `parquet ${index}` });
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.addEventListener('message', (event) => listener(event.data)),
    onError: (listener) => {
      worker.addEventListener('error', (event) => listener(new Error(event.message || 'the Parquet helper failed to load')));
      worker.addEventListener('messageerror', () => listener(new Error('a message could not be read')));
    },
    terminate: async () => worker.terminate(),
  };
}
