import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { parallelForestGrowerFactory, type ParallelForestGrowerFactory } from './forest-pool-grower.ts';
import type { ForestHelperThread } from './forest-pool.ts';

export type { ParallelForestGrowerFactory };

/**
 * The random forest's CPU grower on several threads in Node: `threads` (default: the cores Node may
 * use, at most 8) grow whole trees at once. Pass it as `trainForest({ grower })` (or as
 * `TrainEngines.forestGrower`); the helpers stay for later trainings until `close()`, and keep the
 * process alive only while they grow its trees.
 */
export function parallelForestGrower(options: { threads?: number } = {}): ParallelForestGrowerFactory {
  return parallelForestGrowerFactory(options.threads ?? Math.min(8, availableParallelism()), spawnNodeHelper);
}

function spawnNodeHelper(): ForestHelperThread {
  const entry = new URL('./forest.node-worker.ts', import.meta.url).href;
  const worker = new Worker(new URL('../../bin/ts-worker.mjs', import.meta.url), { workerData: { entry } });
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    onError: (listener) => {
      worker.on('error', listener);
      worker.on('messageerror', listener);
      worker.on('exit', (code) => listener(new Error(`the thread ended (exit code ${code})`)));
    },
    hold: (on) => void (on ? worker.ref() : worker.unref()),
    terminate: async () => void (await worker.terminate()),
  };
}
