import { parallelForestGrowerFactory, type ParallelForestGrowerFactory } from './forest-pool-grower.ts';
import type { ForestHelperThread } from './forest-pool.ts';

export type { ParallelForestGrowerFactory };

/**
 * The random forest's CPU grower on several threads in the browser, for the train worker: `threads`
 * (default: the logical cores, at most 8) grow whole trees at once. Needs a cross-origin isolated
 * page (shared memory); without one it is the single-thread grower.
 */
export function parallelForestGrower(options: { threads?: number } = {}): ParallelForestGrowerFactory {
  return parallelForestGrowerFactory(options.threads ?? Math.min(8, navigator.hardwareConcurrency || 1), spawnBrowserHelper);
}

function spawnBrowserHelper(index: number): ForestHelperThread {
  const worker = new Worker(new URL('./forest.worker.ts', import.meta.url), { type: 'module', name: `forest ${index}` });
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.addEventListener('message', (event) => listener(event.data)),
    onError: (listener) => {
      worker.addEventListener('error', (event) => listener(new Error(event.message || 'the forest helper failed to load')));
      worker.addEventListener('messageerror', () => listener(new Error('a message could not be read')));
    },
    terminate: async () => worker.terminate(),
  };
}
