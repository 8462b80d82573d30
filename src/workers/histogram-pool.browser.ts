import { parallelGrowerFactory, type ParallelGrowerFactory } from './histogram-pool-grower.ts';
import type { HelperThread } from './histogram-pool.ts';

export type { ParallelGrowerFactory };

/**
 * The CPU tree grower on several threads in the browser, for the train worker: `threads` (default:
 * the logical cores, at most 8) build each histogram together. Needs a cross-origin isolated page;
 * without one (or on the page's own thread) it is the single-thread grower.
 */
export function parallelCpuGrower(options: { threads?: number } = {}): ParallelGrowerFactory {
  return parallelGrowerFactory(options.threads ?? Math.min(8, navigator.hardwareConcurrency || 1), spawnBrowserHelper);
}

function spawnBrowserHelper(index: number): HelperThread {
  const worker = new Worker(new URL('./histogram.worker.ts', import.meta.url), { type: 'module', name: `histogram ${index}` });
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.addEventListener('message', (event) => listener(event.data)),
    onError: (listener) => worker.addEventListener('error', (event) => listener(new Error(event.message || 'histogram helper failed to load'))),
    terminate: async () => worker.terminate(),
  };
}
