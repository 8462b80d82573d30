import { describe, expect, it } from 'vitest';
import { outputsFor } from '../../../src/core/models/gbdt/objective.ts';
import { addTree, predictMargins } from '../../../src/core/models/gbdt/predict.ts';
import { treeMargins } from '../../../src/core/models/gbdt/tree-margins-wasm.ts';
import { trainGbdt } from '../../../src/core/models/gbdt/train-gbdt.ts';
import { binned, syntheticTable } from './synthetic.ts';

describe('tree margins in WebAssembly', () => {
  for (const [classes, depth] of [[2, 4], [3, 6], [3, 1]] as const) {
    it(`equal addTree's, bit for bit: ${classes} classes, depth ${depth}, missing values, unseen test rows`, async () => {
      const train = syntheticTable(1500, 5, classes);
      const test = syntheticTable(900, 6, classes);
      const { matrix, binning } = binned(train.table);
      const testMatrix = binned(test.table, binning).matrix;
      const names = Array.from({ length: classes }, (_, c) => `c${c}`);
      const model = await trainGbdt({ train: { matrix, y: train.y }, classes: names, binning, params: { rounds: 12, maxDepth: depth, subsample: 0.8, seed: 2 } });
      const outputs = outputsFor(classes);
      const reference = new Float64Array(testMatrix.rows * outputs);
      for (let i = 0; i < testMatrix.rows; i++) reference.set(model.baseMargin, i * outputs);
      model.trees.forEach((tree, t) => addTree(tree, testMatrix, reference, outputs, t % outputs));
      expect(treeMargins(testMatrix, outputs, model.trees[0]!.feature.length)).toBeDefined();
      expect(predictMargins(model, testMatrix)).toEqual(reference);
      // Some rows took the missing bin at a split (the synthetic `m` column is often missing).
      expect(model.trees.some((t) => t.feature.includes(2))).toBe(true);
    });
  }
});
