import { afterAll, describe, expect, it } from 'vitest';
import { cpuGrower } from '../../../src/core/models/gbdt/grower.ts';
import { trainGbdt } from '../../../src/core/models/gbdt/train-gbdt.ts';
import { parallelRoundGrower } from '../../../src/workers/round-pool.node.ts';
import { roundHelper } from '../../../src/workers/round-helper.ts';
import type { RoundHelperReply } from '../../../src/workers/round-pool-protocol.ts';
import { roundGrowerFactory } from '../../../src/workers/round-pool.ts';
import { binned, syntheticTable } from './synthetic.ts';

const pool = parallelRoundGrower({ threads: 2 });
// Every training's probabilities and loss shared with the helper, whatever its size.
const sharing = parallelRoundGrower({ threads: 2, sharedRowsMin: 0 });
afterAll(() => Promise.all([pool.close(), sharing.close()]));

describe('GBDT with a round’s trees on two threads (round pool)', () => {
  it('softmax (3 and 5 classes) and binary: the same trees and history as one thread, with sampling', async () => {
    for (const [classes, params] of [
      [3, { rounds: 12, maxDepth: 5, subsample: 0.8, colsampleByTree: 0.75, seed: 4 }],
      [5, { rounds: 6, maxDepth: 4 }],
      [2, { rounds: 10, maxDepth: 4 }],
    ] as const) {
      const { table, y } = syntheticTable(4000, 21, classes);
      const { matrix, binning } = binned(table);
      const options = { train: { matrix, y }, classes: Array.from({ length: classes }, (_, c) => `c${c}`), binning, params };
      const one = await trainGbdt({ ...options, grower: cpuGrower });
      const two = await trainGbdt({ ...options, grower: pool });
      // A binary round's one tree stays on the caller: nothing grew elsewhere.
      expect(two.device).toBe(classes === 2 ? 'cpu' : 'cpu ×2');
      expect(two.trees.length).toBe(one.trees.length);
      expect(two.trees).toEqual(one.trees);
      expect(two.history).toEqual(one.history);
      // Half of each round's probabilities and loss on the helper (shared rows): the same bits.
      const shared = await trainGbdt({ ...options, grower: sharing });
      expect(shared.trees).toEqual(one.trees);
      expect(shared.history).toEqual(one.history);
    }
  });
});

describe('round pool whose helpers cannot start', () => {
  it('trains on one thread (device cpu), the same model', async () => {
    const failing = roundGrowerFactory(2, () => ({
      postMessage: () => undefined,
      onMessage: () => undefined,
      onError: (listener) => queueMicrotask(() => listener(new Error('the worker script could not be loaded'))),
      terminate: async () => undefined,
    }));
    await failing.start();
    const { table, y } = syntheticTable(1500, 8, 3);
    const { matrix, binning } = binned(table);
    const options = { train: { matrix, y }, classes: ['a', 'b', 'c'], binning, params: { rounds: 5, maxDepth: 3 } };
    const model = await trainGbdt({ ...options, grower: failing });
    expect(model.device).toBe('cpu');
    expect(model.trees).toEqual((await trainGbdt({ ...options, grower: cpuGrower })).trees);
  });
});

describe('round pool balance between the caller and its helper', () => {
  /** A helper thread in this thread (roundHelper), whose replies say it finished `lead` ms before it did. */
  function inProcessHelper(lead: number, sent: number[]) {
    return roundGrowerFactory(2, () => {
      const listeners: ((reply: RoundHelperReply) => void)[] = [];
      const handle = roundHelper((reply) => {
        const shifted = reply.type === 'tree' ? { ...reply, doneAt: reply.doneAt - lead } : reply;
        setTimeout(() => listeners.forEach((l) => l(shifted)));
      });
      queueMicrotask(() => listeners.forEach((l) => l({ type: 'ready' })));
      // One message at a time, as a thread takes them.
      let queue = Promise.resolve();
      return {
        postMessage: (message) => {
          if (message.type === 'tree') sent.push(1);
          const copy = structuredClone(message);
          queue = queue.then(() => handle(copy));
        },
        onMessage: (listener) => listeners.push(listener),
        onError: () => undefined,
        terminate: async () => undefined,
      };
    });
  }

  it('moves trees to a helper that finishes first and back from one that finishes last, the same model', async () => {
    const { table, y } = syntheticTable(3000, 9, 5);
    const { matrix, binning } = binned(table);
    const options = { train: { matrix, y }, classes: ['a', 'b', 'c', 'd', 'e'], binning, params: { rounds: 12, maxDepth: 4 } };
    const reference = await trainGbdt({ ...options, grower: cpuGrower });
    const counts: number[] = [];
    for (const lead of [1e6, -1e6]) {
      const sent: number[] = [];
      const pool = inProcessHelper(lead, sent);
      await pool.start();
      const model = await trainGbdt({ ...options, grower: pool });
      await pool.close();
      expect(model.trees).toEqual(reference.trees);
      counts.push(sent.length);
    }
    // Even shares would send 3 of each round's 5 trees: 36. A helper always done first ends up
    // with all 5 (after two rounds of moving one tree), one always done last with 1.
    expect(counts[0]).toBe(3 + 4 + 5 * 10);
    expect(counts[1]).toBe(3 + 2 + 1 * 10);
  });
});
