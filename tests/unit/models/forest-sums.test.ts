import { describe, expect, it } from 'vitest';
import { forestSums } from '../../../src/core/models/forest/forest-sums-wasm.ts';
import { jsForestSums } from '../../../src/core/models/forest/predict-forest.ts';
import { trainForest } from '../../../src/core/models/forest/train-forest.ts';
import { binned, syntheticTable } from './synthetic.ts';

describe('forest sums in WebAssembly', () => {
  for (const [classes, depth] of [[2, 3], [3, 12]] as const) {
    it(`equal the JS walk's, bit for bit: ${classes} classes, depth ${depth}, missing values, unseen rows`, async () => {
      const train = syntheticTable(1200, 3, classes);
      const test = syntheticTable(700, 4, classes);
      const { matrix, binning } = binned(train.table);
      const testMatrix = binned(test.table, binning).matrix;
      const names = Array.from({ length: classes }, (_, c) => `c${c}`);
      const model = await trainForest({ train: { matrix, y: train.y }, classes: names, binning, params: { trees: 9, maxDepth: depth, seed: 5, classWeight: names.map((_, c) => 1 + c) } });
      const fast = forestSums(model.trees, testMatrix, classes);
      expect(fast).toBeDefined();
      expect(fast).toEqual(jsForestSums(model, testMatrix, classes));
      // The deep trees send the missing bin both ways at some splits.
      const ways = new Set(model.trees.flatMap((t) => Array.from(t.feature, (f, j) => (f >= 0 ? t.defaultLeft[j]! : -1)).filter((d) => d >= 0)));
      expect(ways.size).toBeGreaterThanOrEqual(depth > 3 ? 2 : 1);
    });
  }
});
