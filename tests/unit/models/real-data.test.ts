import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../../src/core/metrics/roc-auc.ts';
import { applyBinning } from '../../../src/core/models/binning/apply-binning.ts';
import { fitBinning } from '../../../src/core/models/binning/fit-binning.ts';
import { predictProba } from '../../../src/core/models/gbdt/predict.ts';
import { trainGbdt } from '../../../src/core/models/gbdt/train-gbdt.ts';
import { encodeLabels } from '../../../src/core/models/labels.ts';
import { createRandom } from '../../../src/core/models/random.ts';
import { DATASETS, loadPath } from '../helpers.ts';
import { accuracy } from './synthetic.ts';

describe('gradient-boosted trees on real data', () => {
  it('NSL-KDD normal vs attack: ROC-AUC ≥ 0.9 on the test file (XGBoost hist: 0.96)', async () => {
    const train = (await loadPath(`${DATASETS}nsl-kdd/KDDTrain+_20Percent.csv`)).table;
    const test = (await loadPath(`${DATASETS}nsl-kdd/KDDTest+.csv`)).table;
    const columns = train.schema.fields.map((f) => f.name).filter((c) => c !== 'label' && c !== 'difficulty');
    expect(columns.length).toBe(41);
    const classes = ['normal', 'attack'];
    const map = (s: string): string => (s === 'normal' ? 'normal' : 'attack');
    const binning = fitBinning(train, { columns });
    const model = await trainGbdt({
      train: { matrix: applyBinning(train, binning), y: encodeLabels(train.getChild('label')!, { classes, map }).y },
      classes,
      binning,
      params: { rounds: 50, maxDepth: 6 },
    });
    const testY = encodeLabels(test.getChild('label')!, { classes, map }).y;
    const p = predictProba(model, applyBinning(test, binning));
    const attack = Float64Array.from({ length: test.numRows }, (_, i) => p[2 * i + 1]!);
    expect(rocAuc(attack, testY)).toBeGreaterThanOrEqual(0.9);
  });

  it('CIC-IDS-2017 7 classes: accuracy ≥ 0.9 on a seeded 80/20 split', async () => {
    const table = (await loadPath(`${DATASETS}cicids2017/CICIDS2017-sample-7class.csv`)).table;
    const columns = table.schema.fields.map((f) => f.name).filter((c) => c !== 'Label');
    const { y, classes } = encodeLabels(table.getChild('Label')!);
    expect(classes.length).toBe(7);
    const random = createRandom(2017);
    const trainRows: number[] = [];
    const testRows: number[] = [];
    for (let i = 0; i < table.numRows; i++) (random.next() < 0.8 ? trainRows : testRows).push(i);
    const binning = fitBinning(table, { columns, rows: trainRows });
    const model = await trainGbdt({
      train: { matrix: applyBinning(table, binning, trainRows), y: Int32Array.from(trainRows, (i) => y[i]!) },
      classes,
      binning,
      params: { rounds: 30, maxDepth: 6 },
    });
    const p = predictProba(model, applyBinning(table, binning, testRows));
    expect(accuracy(p, Int32Array.from(testRows, (i) => y[i]!), 7)).toBeGreaterThanOrEqual(0.9);
  });
});
