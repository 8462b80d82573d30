import { availableParallelism } from 'node:os';
import { parallelForestGrowerFactory, type ParallelForestGrowerFactory } from './forest-pool-grower.ts';
import type { ForestHelperThread } from './forest-pool.ts';
import type { ForestPoolMessage } from './forest-pool-protocol.ts';
import { nodeHelperThread } from './node-helper-thread.ts';

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
  return nodeHelperThread<ForestPoolMessage, unknown>('forest', 'the thread');
}
