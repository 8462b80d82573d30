import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../../src/core/metrics/roc-auc.ts';
import { applyBinning } from '../../../src/core/models/binning/apply-binning.ts';
import { fitBinning } from '../../../src/core/models/binning/fit-binning.ts';
import { predictForest, predictForestTable } from '../../../src/core/models/forest/predict-forest.ts';
import { trainForestOnTable } from '../../../src/core/models/forest/train-forest-on-table.ts';
import { trainForest } from '../../../src/core/models/forest/train-forest.ts';
import { encodeLabels } from '../../../src/core/models/labels.ts';
import { DATASETS, loadPath } from '../helpers.ts';
import { accuracy, binned, syntheticTable } from './synthetic.ts';

const train = syntheticTable(2000, 1);
const test = syntheticTable(1000, 2);
const { matrix, binning } = binned(train.table);
const testMatrix = binned(test.table, binning).matrix;
const classes = ['no', 'yes'];

describe('random forest', () => {
  it('learns a small binary problem; probabilities are means of leaf frequencies and sum to 1', () => {
    const model = trainForest({ train: { matrix, y: train.y }, classes, binning, params: { trees: 30, seed: 1 } });
    expect(model.trees.length).toBe(30);
    const p = predictForest(model, testMatrix);
    expect(p.length).toBe(2000);
    expect(accuracy(p, test.y, 2)).toBeGreaterThan(0.93);
    for (let i = 0; i < 1000; i++) {
      expect(p[2 * i]! + p[2 * i + 1]!).toBeCloseTo(1, 6);
      // 30 trees: every probability is a mean of 30 leaf frequencies in [0, 1].
      expect(p[2 * i]!).toBeGreaterThanOrEqual(0);
    }
    // Deep unrestricted trees fit their bootstrap sample: every leaf is pure here (no duplicate rows).
    const leaves = model.trees[0]!.value.filter((_, x) => model.trees[0]!.feature[x >> 1] === -1);
    expect(leaves.every((v) => v === 0 || v === 1)).toBe(true);
  });

  it('learns three classes; depth and min_samples_leaf are respected', () => {
    const tr3 = syntheticTable(2000, 3, 3);
    const te3 = syntheticTable(1000, 4, 3);
    const b = binned(tr3.table);
    const model = trainForest({ train: { matrix: b.matrix, y: tr3.y }, classes: ['a', 'b', 'c'], binning: b.binning, params: { trees: 20, maxDepth: 5, minSamplesLeaf: 5 } });
    const p = predictForest(model, binned(te3.table, b.binning).matrix);
    expect(accuracy(p, te3.y, 3)).toBeGreaterThan(0.85);
    for (let i = 0; i < 1000; i++) expect(p[3 * i]! + p[3 * i + 1]! + p[3 * i + 2]!).toBeCloseTo(1, 5);
    for (const tree of model.trees) {
      const depth = new Int32Array(tree.feature.length);
      for (let node = 0; node < tree.feature.length; node++) {
        if (tree.feature[node]! < 0) continue;
        depth[tree.left[node]!] = depth[tree.left[node]! + 1] = depth[node]! + 1;
      }
      expect(Math.max(...depth)).toBeLessThanOrEqual(5);
    }
  });

  it('the same seed gives the same probabilities bit for bit; another seed does not', () => {
    const fit = (seed: number) => predictForest(trainForest({ train: { matrix, y: train.y }, classes, binning, params: { trees: 10, seed } }), testMatrix);
    expect(fit(7)).toEqual(fit(7));
    expect(fit(7)).not.toEqual(fit(8));
  });

  it('class weights shift the probabilities towards the weighted class', () => {
    const fit = (classWeight?: readonly number[]) =>
      predictForest(trainForest({ train: { matrix, y: train.y }, classes, binning, params: { trees: 10, maxDepth: 3, seed: 3, classWeight } }), testMatrix);
    const mean = (p: Float32Array) => p.filter((_, x) => x % 2 === 1).reduce((a, b) => a + b, 0) / 1000;
    expect(mean(fit([1, 5]))).toBeGreaterThan(mean(fit()) + 0.05);
    expect(() => fit([1])).toThrow(/classWeight/);
  });

  it('trains on a raw table with text columns, leaving unlabelled rows out', async () => {
    const { tableFromArrays } = await import('apache-arrow');
    const n = 600;
    const kind = Array.from({ length: n }, (_, i) => ['tcp', 'udp', 'icmp'][i % 3]!);
    const x = Float64Array.from({ length: n }, (_, i) => (i * 37) % 101);
    const label = kind.map((k, i) => (i % 50 === 0 ? null : k === 'udp' || x[i]! > 70 ? 'bad' : 'ok'));
    const table = tableFromArrays({ kind, x, label });
    const fitted = await trainForestOnTable(table, { label: 'label', params: { trees: 10 } });
    expect(fitted.features).toEqual(['kind', 'x']);
    expect(fitted.unlabelledRows).toBe(12);
    const p = predictForestTable(fitted.model, table);
    const y = encodeLabels(table.getChild('label')!, { classes: fitted.model.classes }).y;
    const labelled = Int32Array.from(y).filter((v) => v >= 0);
    expect(accuracy(p.filter((_, x2) => y[x2 >> 1]! >= 0), labelled, 2)).toBeGreaterThan(0.98);
  });

  it('NSL-KDD normal vs attack, 30 trees: ROC-AUC ≥ 0.9 on the test file', async () => {
    const trainTable = (await loadPath(`${DATASETS}nsl-kdd/KDDTrain+_20Percent.csv`)).table;
    const testTable = (await loadPath(`${DATASETS}nsl-kdd/KDDTest+.csv`)).table;
    const columns = trainTable.schema.fields.map((f) => f.name).filter((c) => c !== 'label' && c !== 'difficulty');
    const nsl = ['normal', 'attack'];
    const map = (s: string): string => (s === 'normal' ? 'normal' : 'attack');
    const nslBinning = fitBinning(trainTable, { columns });
    const model = trainForest({
      train: { matrix: applyBinning(trainTable, nslBinning), y: encodeLabels(trainTable.getChild('label')!, { classes: nsl, map }).y },
      classes: nsl,
      binning: nslBinning,
      params: { trees: 30, seed: 1 },
    });
    const p = predictForestTable(model, testTable);
    const y = encodeLabels(testTable.getChild('label')!, { classes: nsl, map }).y;
    const attack = Float64Array.from({ length: testTable.numRows }, (_, i) => p[2 * i + 1]!);
    expect(rocAuc(attack, y)).toBeGreaterThanOrEqual(0.9);
  });
});
