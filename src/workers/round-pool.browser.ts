import { roundGrowerFactory, type RoundGrowerFactory, type RoundHelperThread } from './round-pool.ts';

export type { RoundGrowerFactory };

/**
 * The round pool (round-pool.ts) in the browser, for the train worker: `threads` (default: the
 * logical cores, at most 8) grow a softmax round's trees at once. Messages are copies, so no shared
 * memory (cross-origin isolation) is needed for that; a logistic fit's partner needs it (one thread
 * otherwise).
 */
export function parallelRoundGrower(options: { threads?: number } = {}): RoundGrowerFactory {
  return roundGrowerFactory(Math.max(1, options.threads ?? Math.min(8, navigator.hardwareConcurrency || 1)), spawnBrowserHelper);
}

function spawnBrowserHelper(index: number): RoundHelperThread {
  const worker = new Worker(new URL('./round.worker.ts', import.meta.url), { type: 'module', name: `boosting ${index}` });
  return {
    postMessage: (message, transfer) => worker.postMessage(message, { transfer }),
    onMessage: (listener) => worker.addEventListener('message', (event) => listener(event.data)),
    onError: (listener) => {
      worker.addEventListener('error', (event) => listener(new Error(event.message || 'the boosting helper failed to load')));
      worker.addEventListener('messageerror', () => listener(new Error('a message could not be read')));
    },
    terminate: async () => worker.terminate(),
  };
}
