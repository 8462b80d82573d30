import { wrap, proxy, releaseProxy, type Remote } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { Worker } from 'node:worker_threads';
import type { DataApi } from '../workers/data-api.ts';

/**
 * Starts the data worker thread, running the TypeScript sources through tsx like the bin script.
 */
export function startDataWorker(): { api: Remote<DataApi>; close: () => Promise<void> } {
  const entry = new URL('../workers/data.node-worker.ts', import.meta.url).href;
  const worker = new Worker(new URL('../../bin/ts-worker.mjs', import.meta.url), { workerData: { entry } });
  const api = wrap<DataApi>(nodeEndpoint(worker));
  return {
    api,
    close: async () => {
      api[releaseProxy]();
      await worker.terminate();
    },
  };
}

export { proxy };
