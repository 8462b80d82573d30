import { availableParallelism } from 'node:os';
import { nodeHelperThread } from './node-helper-thread.ts';
import type { RoundHelperMessage, RoundHelperReply } from './round-pool-protocol.ts';
import { roundGrowerFactory, type RoundGrowerFactory, type RoundHelperThread } from './round-pool.ts';

export type { RoundGrowerFactory };

/**
 * The round pool (round-pool.ts) on Node worker threads: `threads` (default: the cores, at most 8);
 * `sharedRowsMin`: see SHARED_ROWS_MIN; `logisticPartMin`: see LOGISTIC_PART_MIN (round-pool-partner.ts).
 */
export function parallelRoundGrower(options: { threads?: number; sharedRowsMin?: number; logisticPartMin?: number } = {}): RoundGrowerFactory {
  return roundGrowerFactory(Math.max(1, options.threads ?? Math.min(8, availableParallelism())), spawnNodeHelper, options);
}

function spawnNodeHelper(): RoundHelperThread {
  return nodeHelperThread<RoundHelperMessage, RoundHelperReply>('round', 'boosting helper');
}
