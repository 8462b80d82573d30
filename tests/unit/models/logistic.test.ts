import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../../src/core/metrics/roc-auc.ts';
import { encodeLabels } from '../../../src/core/models/labels.ts';
import { columnValues } from '../../../src/core/models/logistic/design-matrix.ts';
import { predictLogisticTable } from '../../../src/core/models/logistic/predict-logistic.ts';
import { applyLinearRecipe, fitLinearRecipe } from '../../../src/core/models/logistic/recipe.ts';
import { trainLogisticOnTable } from '../../../src/core/models/logistic/train-logistic-on-table.ts';
import { trainLogistic } from '../../../src/core/models/logistic/train-logistic.ts';
import { createRandom } from '../../../src/core/models/random.ts';
import { DATASETS, loadPath } from '../helpers.ts';
import { accuracy } from './synthetic.ts';

/** Class from x0 + x1 (two classes: above 1; three: thirds of 0…2), a text column that shifts it, a noise column with gaps. */
function linearTable(n: number, seed: number, classes: 2 | 3) {
  const random = createRandom(seed);
  const x0 = new Float64Array(n);
  const x1 = new Float64Array(n);
  const noise = new Float64Array(n);
  const zone: string[] = [];
  const label: string[] = [];
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    x0[i] = random.next() * 100;
    x1[i] = random.next();
    noise[i] = random.next() < 0.1 ? NaN : random.next();
    zone.push(['north', 'south', 'east'][random.int(3)]!);
    const s = x0[i]! / 100 + x1[i]! + (zone[i] === 'east' ? 0.5 : 0);
    y[i] = classes === 2 ? (s > 1.25 ? 1 : 0) : Math.min(2, Math.floor((s / 2.5) * 3));
    label.push(['a', 'b', 'c'][y[i]!]!);
  }
  return { table: tableFromArrays({ x0, x1, noise, zone, label }), y };
}

describe('logistic regression', () => {
  it('learns a linearly separable problem (numbers in any scale, text as codes or one-hot), unseen text handled', () => {
    const train = linearTable(2000, 1, 2);
    const test = linearTable(1000, 2, 2);
    const unseen = tableFromArrays({ x0: [50], x1: [0.5], noise: [NaN], zone: ['west'], label: ['a'] });
    // Codes (the default): 3 numeric + zone's code; one-hot: 3 numeric + 3 zones + other.
    for (const [textEncoding, width] of [['codes', 4], ['one-hot', 7]] as const) {
      const fitted = trainLogisticOnTable(train.table, { label: 'label', params: { textEncoding } });
      expect(fitted.features).toEqual(['x0', 'x1', 'noise', 'zone']);
      expect(fitted.model.classes).toEqual(['a', 'b']);
      expect(fitted.model.recipe.width).toBe(width);
      // "east" shifts the class; as a code (east 0, north 1, south 2) a line captures it only in part.
      expect(accuracy(predictLogisticTable(fitted.model, test.table), test.y, 2)).toBeGreaterThan(textEncoding === 'codes' ? 0.9 : 0.97);
      const p = predictLogisticTable(fitted.model, unseen);
      expect(p[0]! + p[1]!).toBeCloseTo(1, 6);
    }
  });

  it('recipe: median imputation, then mean and population std of the imputed values; codes in text order; constant columns dropped', () => {
    const table = tableFromArrays({
      v: Float64Array.of(1, 2, NaN, 10, Infinity),
      t: ['b', 'a', null, 'c', 'a'] as (string | null)[],
      k: Float64Array.of(3, 3, 3, 3, 3),
    });
    const rows = [0, 1, 2, 3, 4];
    const recipe = fitLinearRecipe(table, ['v', 't', 'k'], rows, { textEncoding: 'codes', topK: 20 });
    expect(recipe.dropped).toEqual(['k']);
    const [v, t] = recipe.inputs;
    // v: median of 1, 2, 10 is 2; imputed 1, 2, 2, 10, 2 → mean 3.4.
    expect(v).toMatchObject({ kind: 'numeric', fill: 2, mean: 3.4 });
    expect((v as { std: number }).std).toBeCloseTo(Math.sqrt((2.4 ** 2 + 3 * 1.4 ** 2 + 6.6 ** 2) / 5), 12);
    // t: a → 0, b → 1, c → 2; codes 1, 0, ·, 2, 0: median of the four is 0.5.
    expect(t).toMatchObject({ kind: 'codes', categories: ['a', 'b', 'c'], fill: 0.5 });
    const design = applyLinearRecipe(table, recipe);
    expect(design.columns).toHaveLength(2);
    const x = columnValues(design.columns[0]!, 5);
    expect(x[2]).toBeCloseTo((2 - 3.4) / (v as { std: number }).std, 6);
    expect(x[4]).toBeCloseTo((2 - 3.4) / (v as { std: number }).std, 6);
  });

  it('three classes: probabilities sum to 1, in classes order, and the fit is deterministic', () => {
    const train = linearTable(3000, 3, 3);
    const test = linearTable(1000, 4, 3);
    const params = { textEncoding: 'one-hot' } as const;
    const a = trainLogisticOnTable(train.table, { label: 'label', params });
    const b = trainLogisticOnTable(train.table, { label: 'label', params });
    expect(a.model.classes).toEqual(['a', 'b', 'c']);
    expect(a.model.weights).toHaveLength(3 * 8);
    expect(Buffer.from(a.model.weights.buffer).equals(Buffer.from(b.model.weights.buffer))).toBe(true);
    const p = predictLogisticTable(a.model, test.table);
    expect(p).toHaveLength(3000);
    for (let i = 0; i < 1000; i++) expect(p[3 * i]! + p[3 * i + 1]! + p[3 * i + 2]!).toBeCloseTo(1, 5);
    expect(accuracy(p, test.y, 3)).toBeGreaterThan(0.9);
  });

  it('matches the optimum of a 1-feature problem: 2(a+b)σ(w) − 2a + w/C = 0, intercept 0', () => {
    // x = ±1 (already standard); at +1: 30 pos, 10 neg; at −1: 10 pos, 30 neg.
    const x: number[] = [];
    const label: string[] = [];
    for (const [v, pos, neg] of [[1, 30, 10], [-1, 10, 30]] as const) {
      for (let k = 0; k < pos + neg; k++) {
        x.push(v);
        label.push(k < pos ? 'pos' : 'neg');
      }
    }
    const table = tableFromArrays({ x: Float64Array.from(x), label });
    const sigma = (t: number) => 1 / (1 + Math.exp(-t));
    for (const c of [1, 0.01]) {
      const { model } = trainLogisticOnTable(table, { label: 'label', params: { c } });
      expect(model.converged).toBe(true);
      let lo = 0;
      let hi = 5;
      for (let k = 0; k < 200; k++) {
        const mid = (lo + hi) / 2;
        if (2 * 40 * sigma(mid) - 60 + mid / c > 0) hi = mid;
        else lo = mid;
      }
      expect(model.weights[0]).toBeCloseTo(lo, 5);
      expect(model.weights[1]).toBeCloseTo(0, 5);
      // Unpenalised, σ(w) = 3/4, w = ln 3; C = 1 shrinks it a little.
      if (c === 1) expect(lo).toBeGreaterThan(1.0);
      expect(lo).toBeLessThan(Math.log(3));
    }
    // Class weights count as repeated rows: class "pos" weighed 3 raises every p(pos).
    const plain = trainLogisticOnTable(table, { label: 'label' }).model;
    const weighted = trainLogisticOnTable(table, { label: 'label', params: { classWeight: [1, 3] } }).model;
    expect(weighted.weights[1]).toBeGreaterThan(plain.weights[1]! + 0.5);
  });

  it('NSL-KDD normal vs attack: ROC-AUC ≥ 0.867 on the test file (scikit-learn 0.872 − 0.005)', async () => {
    const train = (await loadPath(`${DATASETS}nsl-kdd/KDDTrain+_20Percent.csv`)).table;
    const test = (await loadPath(`${DATASETS}nsl-kdd/KDDTest+.csv`)).table;
    const columns = train.schema.fields.map((f) => f.name).filter((c) => c !== 'label' && c !== 'difficulty');
    const classes = ['normal', 'attack'];
    const map = (s: string): string => (s === 'normal' ? 'normal' : 'attack');
    const rows = Int32Array.from({ length: train.numRows }, (_, i) => i);
    const recipe = fitLinearRecipe(train, columns, rows, { textEncoding: 'codes', topK: 20 });
    const model = trainLogistic({
      design: applyLinearRecipe(train, recipe),
      y: encodeLabels(train.getChild('label')!, { classes, map }).y,
      classes,
      recipe,
    });
    const testY = encodeLabels(test.getChild('label')!, { classes, map }).y;
    const p = predictLogisticTable(model, test);
    const attack = Float64Array.from({ length: test.numRows }, (_, i) => p[2 * i + 1]!);
    expect(rocAuc(attack, testY)).toBeGreaterThanOrEqual(0.867);
  });
});
