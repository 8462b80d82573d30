import { cpuForestGrower, type ForestGrower } from '../core/models/forest/forest-grower.ts';
import type { ForestTree } from '../core/models/forest/types.ts';
import { precompile } from '../core/models/wasm-module.ts';
import { CLAIM, claimMark, parseForestMessage, treeBuffers, type ForestHelperReply } from './forest-pool-protocol.ts';

export type HelperReply = (message: ForestHelperReply, transfer?: ArrayBuffer[]) => void;

/**
 * A helper thread of the forest pool, whatever the platform: give it every message the thread
 * receives; it answers through `reply`. It keeps one CPU grower (the single-thread reference) per
 * training it was given, and grows each tree job it manages to claim; jobs another thread claimed
 * first are skipped.
 */
export function forestHelper(reply: HelperReply): (data: unknown) => Promise<void> {
  let mark = 0;
  const growers = new Map<number, ForestGrower>();
  return async (data) => {
    const message = parseForestMessage(data);
    if (message.type === 'init') {
      mark = claimMark(message.index);
      // Its kernels compile now, while the caller still loads and bins, not in its first tree.
      precompile('forest');
      reply({ type: 'ready' });
    } else if (message.type === 'data') {
      const { id, rows, features, bins, binCounts, y, classes, classWeight, params } = message;
      // Only what growing reads: the cut points stay with the pool's thread.
      const matrix = { rows, features, bins, binCounts, names: [], cutPoints: [] };
      growers.set(id, await cpuForestGrower({ matrix, y, classes, classWeight }, params));
    } else if (message.type === 'drop') {
      growers.get(message.data)?.dispose();
      growers.delete(message.data);
    } else {
      const { job, slot } = message;
      if (Atomics.compareExchange(slot, CLAIM, job, mark) !== job) return;
      let tree: ForestTree;
      try {
        const grower = growers.get(message.data);
        if (!grower) throw new Error(`no training ${message.data} on this thread`);
        tree = await grower.grow(slot.subarray(1), message.seed);
      } catch (error) {
        reply({ type: 'error', job, message: error instanceof Error ? error.message : String(error) });
        return;
      }
      reply({ type: 'tree', job, tree }, treeBuffers(tree));
    }
  };
}
