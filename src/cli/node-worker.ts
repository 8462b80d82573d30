import { wrap, proxy, releaseProxy, type Remote } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { Worker } from 'node:worker_threads';
import type { DataApi } from '../workers/data-api.ts';

/**
 * Starts the data worker thread. Under tsx (the bin script, vitest) the worker needs the same
 * TypeScript loader, given by absolute URL so it resolves from any working directory.
 */
export function startDataWorker(): { api: Remote<DataApi>; close: () => Promise<void> } {
  const url = new URL('../workers/data.node-worker.ts', import.meta.url);
  const worker = new Worker(url, { execArgv: ['--import', import.meta.resolve('tsx/esm')] });
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
