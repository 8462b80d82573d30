import { wrap, proxy, releaseProxy, type Remote } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { DataApi } from '../workers/data-api.ts';
import { nodeWorker } from '../workers/node-worker-script.ts';

/** Starts the data worker thread (the bundled CLI's, or the TypeScript sources through tsx: nodeWorker). */
export function startDataWorker(): { api: Remote<DataApi>; close: () => Promise<void> } {
  const worker = nodeWorker('data');
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
