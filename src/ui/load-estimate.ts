import { bytes } from './format.ts';

/** Files above this size get a notice with their size and an estimate of the memory they need. */
export const BIG_FILE = 50 * 2 ** 20;

/**
 * Memory a load needs, estimated from the file name and size alone (the worker checks its own,
 * finer estimate and refuses what it cannot hold): CSV text becomes typed columns of similar size
 * plus growth headroom; gzip and Parquet expand several times when decompressed.
 */
export function memoryEstimate(size: number, name: string): number {
  return size * (/\.(gz|parquet|pq)$/i.test(name) ? 10 : 3);
}

export function loadNotice(size: number, name: string): string | null {
  if (size <= BIG_FILE) return null;
  return `${name} is ${bytes(size)}; loading it needs about ${bytes(memoryEstimate(size, name))} of memory (an estimate).`;
}
