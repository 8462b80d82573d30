import { afterAll, describe, expect, it } from 'vitest';
import { cpuGrower } from '../../../src/core/models/gbdt/grower.ts';
import { trainGbdt } from '../../../src/core/models/gbdt/train-gbdt.ts';
import { parallelRoundGrower } from '../../../src/workers/round-pool.node.ts';
import { roundGrowerFactory } from '../../../src/workers/round-pool.ts';
import { binned, syntheticTable } from './synthetic.ts';

const pool = parallelRoundGrower({ threads: 2 });
afterAll(() => pool.close());

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
