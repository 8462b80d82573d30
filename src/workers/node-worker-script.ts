import { Worker } from 'node:worker_threads';

/** The Node worker threads' entry modules: src/workers/<name>.node-worker.ts. */
export type NodeWorkerName = 'data' | 'forest' | 'parquet' | 'round';

/**
 * A Node worker thread running entry `name`. In the CLI bundle (scripts/build-cli.mjs) this module
 * is JavaScript and the entry is bundled beside it (dist-cli/<name>.node-worker.mjs); from the
 * sources it is the TypeScript module, run through bin/ts-worker.mjs (tsx).
 */
export function nodeWorker(name: NodeWorkerName): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL(`./${name}.node-worker.mjs`, here));
  return new Worker(new URL('../../bin/ts-worker.mjs', here), { workerData: { entry: new URL(`./${name}.node-worker.ts`, here).href } });
}
