import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RoundHelperReply } from './round-pool-protocol.ts';
import { roundGrowerFactory, type RoundGrowerFactory, type RoundHelperThread } from './round-pool.ts';

export type { RoundGrowerFactory };

/** The round pool (round-pool.ts) on Node worker threads: `threads` (default: the cores, at most 8). */
export function parallelRoundGrower(options: { threads?: number } = {}): RoundGrowerFactory {
  return roundGrowerFactory(Math.max(1, options.threads ?? Math.min(8, availableParallelism())), spawnNodeHelper);
}

function spawnNodeHelper(): RoundHelperThread {
  const entry = new URL('./round.node-worker.ts', import.meta.url).href;
  const worker = new Worker(new URL('../../bin/ts-worker.mjs', import.meta.url), { workerData: { entry } });
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', (reply: RoundHelperReply) => listener(reply)),
    onError: (listener) => {
      worker.on('error', listener);
      worker.on('exit', (code) => listener(new Error(`boosting helper ended (exit code ${code})`)));
    },
    terminate: async () => void (await worker.terminate()),
    hold: (on) => (on ? worker.ref() : worker.unref()),
  };
}
