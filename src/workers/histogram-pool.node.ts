import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { parallelGrowerFactory, type ParallelGrowerFactory } from './histogram-pool-grower.ts';
import type { HelperThread } from './histogram-pool.ts';

export type { ParallelGrowerFactory };

/**
 * The CPU tree grower on several threads in Node: `threads` (default: the cores Node may use, at
 * most 8) build each histogram together, with the WebAssembly loops unless `wasm` is false. Pass it as `trainGbdt({ grower })`; the helpers stay for
 * later trainings until `close()`, and never keep the process alive on their own.
 */
export function parallelCpuGrower(options: { threads?: number; wasm?: boolean } = {}): ParallelGrowerFactory {
  return parallelGrowerFactory(options.threads ?? Math.min(8, availableParallelism()), spawnNodeHelper, options.wasm);
}

function spawnNodeHelper(): HelperThread {
  const entry = new URL('./histogram.node-worker.ts', import.meta.url).href;
  const worker = new Worker(new URL('../../bin/ts-worker.mjs', import.meta.url), { workerData: { entry } });
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    onError: (listener) => {
      worker.on('error', listener);
      worker.on('exit', (code) => listener(new Error(`histogram helper exited with code ${code}`)));
    },
    detach: () => worker.unref(),
    terminate: async () => {
      await worker.terminate();
    },
  };
}
