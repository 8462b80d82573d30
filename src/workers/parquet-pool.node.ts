import { availableParallelism } from 'node:os';
import { nodeHelperThread } from './node-helper-thread.ts';
import type { ParquetHelperMessage, ParquetHelperReply } from './parquet-pool-protocol.ts';
import { parquetPool, PARQUET_THREADS, type ParquetHelperThread, type ParquetPool } from './parquet-pool.ts';

export type { ParquetPool };

/** The Parquet pool (parquet-pool.ts) on Node worker threads: `threads` (default: the cores, at most PARQUET_THREADS). */
export function parallelParquetDecoder(options: { threads?: number } = {}): ParquetPool {
  return parquetPool(Math.max(1, options.threads ?? Math.min(PARQUET_THREADS, availableParallelism())), spawnNodeHelper);
}

function spawnNodeHelper(): ParquetHelperThread {
  return nodeHelperThread<ParquetHelperMessage, ParquetHelperReply>('parquet', 'Parquet helper');
}
