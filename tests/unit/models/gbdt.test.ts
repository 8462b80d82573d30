import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from '../../../src/core/models/binning/types.ts';
import { logLoss, probabilities, probabilitiesAndLoss } from '../../../src/core/models/gbdt/objective.ts';
import { scratchMath } from '../../../src/core/models/gbdt/objective-math.ts';
import { leafOf, predictProba } from '../../../src/core/models/gbdt/predict.ts';
import { createRandom } from '../../../src/core/models/random.ts';
import { trainGbdt } from '../../../src/core/models/gbdt/train-gbdt.ts';
import { accuracy, binned, syntheticTable } from './synthetic.ts';

const train = syntheticTable(2000, 1);
const test = syntheticTable(1000, 2);
const { matrix, binning } = binned(train.table);
const testMatrix = binned(test.table, binning).matrix;
const classes = ['no', 'yes'];

describe('gradient-boosted trees', () => {
  it('learns a small binary problem and its missing-value pattern', async () => {
    const model = await trainGbdt({ train: { matrix, y: train.y }, classes, binning, params: { rounds: 40, maxDepth: 4 } });
    expect(model.trees.length).toBe(40);
    expect(model.history.train[39]!).toBeLessThan(model.history.train[0]!);
    const p = predictProba(model, testMatrix);
    expect(p.length).toBe(2000);
    expect(accuracy(p, test.y, 2)).toBeGreaterThan(0.93);
    for (let i = 0; i < 1000; i++) expect(p[2 * i]! + p[2 * i + 1]!).toBeCloseTo(1, 6);
    // `m` is missing almost only for class 1: some split on it must send the missing bin right.
    const onM = model.trees.flatMap((t) => [...t.feature.keys()].filter((k) => t.feature[k] === 2).map((k) => t.defaultLeft[k]));
    expect(onM).toContain(0);
  });

  it('constant columns change no tree (left out of the search); a one-value column with missing values still splits', async () => {
    const n = matrix.rows;
    // Two extra features after the others: constant (all bin 0), and one value or missing (bin 0 / 1).
    const missingOnly = Uint8Array.from({ length: n }, (_, i) => (train.y[i] === 1 && i % 3 !== 0 ? 1 : 0));
    const wider: FeatureMatrix = {
      ...matrix,
      features: matrix.features + 2,
      names: [...matrix.names, 'constant', 'missing'],
      bins: Uint8Array.from([...matrix.bins, ...new Uint8Array(n), ...missingOnly]),
      binCounts: Int32Array.from([...matrix.binCounts, 2, 2]),
      cutPoints: [...matrix.cutPoints, new Float64Array(0), new Float64Array(0)],
    };
    const params = { rounds: 15, maxDepth: 4 };
    const narrow = await trainGbdt({ train: { matrix, y: train.y }, classes, binning, params });
    const F1 = matrix.features + 1;
    const constantOnly = { ...wider, features: F1, names: wider.names.slice(0, F1), bins: wider.bins.subarray(0, F1 * n), binCounts: wider.binCounts.subarray(0, F1), cutPoints: wider.cutPoints.slice(0, F1) };
    const withConstant = await trainGbdt({ train: { matrix: constantOnly, y: train.y }, classes, binning, params });
    expect(withConstant.trees).toEqual(narrow.trees);
    const withMissing = await trainGbdt({ train: { matrix: wider, y: train.y }, classes, binning, params });
    expect(withMissing.trees.some((t) => t.feature.includes(matrix.features + 1))).toBe(true);
    expect(withMissing.trees.some((t) => t.feature.includes(matrix.features))).toBe(false);
  });

  it('learns three classes with softmax, one tree per class per round', async () => {
    const tr3 = syntheticTable(2000, 3, 3);
    const te3 = syntheticTable(1000, 4, 3);
    const b = binned(tr3.table);
    const model = await trainGbdt({ train: { matrix: b.matrix, y: tr3.y }, classes: ['a', 'b', 'c'], binning: b.binning, params: { rounds: 30, maxDepth: 3 } });
    expect(model.objective).toBe('multi:softmax');
    expect(model.trees.length).toBe(90);
    const p = predictProba(model, binned(te3.table, b.binning).matrix);
    expect(accuracy(p, te3.y, 3)).toBeGreaterThan(0.9);
    for (let i = 0; i < 1000; i++) expect(p[3 * i]! + p[3 * i + 1]! + p[3 * i + 2]!).toBeCloseTo(1, 5);
  });

  it('the same seed gives the same model bit for bit; another seed does not', async () => {
    const params = { rounds: 15, maxDepth: 5, subsample: 0.7, colsampleByTree: 0.5, seed: 42 };
    const run = async (seed: number): Promise<Float32Array> =>
      predictProba(await trainGbdt({ train: { matrix, y: train.y }, classes, binning, params: { ...params, seed } }), testMatrix);
    const a = await run(42);
    const b = await run(42);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from((await run(7)).buffer).equals(Buffer.from(a.buffer))).toBe(false);
  });

  it('rows of weight 0 change nothing: the same trees as without them', async () => {
    const sub = binned(train.table.slice(0, 1500), binning).matrix;
    const weights = Float64Array.from({ length: 2000 }, (_, i) => (i < 1500 ? 1 : 0));
    const params = { rounds: 10, maxDepth: 4 };
    const full = await trainGbdt({ train: { matrix, y: train.y, weights }, classes, binning, params });
    const part = await trainGbdt({ train: { matrix: sub, y: train.y.subarray(0, 1500) }, classes, binning, params });
    expect(full.baseMargin).toEqual(part.baseMargin);
    full.trees.forEach((t, i) => {
      expect(t.feature).toEqual(part.trees[i]!.feature);
      expect(t.splitBin).toEqual(part.trees[i]!.splitBin);
      expect(t.value).toEqual(part.trees[i]!.value);
    });
  });

  it('breaks ties by the lower feature index', async () => {
    const c = matrix.binCounts[0]!;
    const bins = new Uint8Array(2 * matrix.rows);
    bins.set(matrix.bins.subarray(0, matrix.rows), 0);
    bins.set(matrix.bins.subarray(0, matrix.rows), matrix.rows);
    const cuts = matrix.cutPoints[0]!;
    const twin: FeatureMatrix = { rows: matrix.rows, features: 2, names: ['x0', 'x0 again'], bins, binCounts: Int32Array.of(c, c), cutPoints: [cuts, cuts] };
    const model = await trainGbdt({ train: { matrix: twin, y: train.y }, classes, binning, params: { rounds: 3, maxDepth: 3 } });
    for (const t of model.trees) for (const f of t.feature) expect(f).toBeLessThan(1);
  });

  it('min_child_weight and gamma limit growth; a leaf is where each row ends', async () => {
    const stump = await trainGbdt({ train: { matrix, y: train.y }, classes, binning, params: { rounds: 1, maxDepth: 6, gamma: 1e9 } });
    expect(stump.trees[0]!.feature[0]).toBe(-1);
    const wide = await trainGbdt({ train: { matrix, y: train.y }, classes, binning, params: { rounds: 1, maxDepth: 6, minChildWeight: 200 } });
    const t = wide.trees[0]!;
    for (let i = 0; i < matrix.rows; i++) expect(t.feature[leafOf(t, matrix, i)]).toBe(-1);
    for (let k = 0; k < t.feature.length; k++) if (t.feature[k] === -1) expect(t.cover[k]).toBeGreaterThanOrEqual(200);
  });

  it('stops early on a validation set and keeps the best round', async () => {
    const noisy = syntheticTable(600, 5);
    for (let i = 0; i < 600; i += 3) noisy.y[i] = 1 - noisy.y[i]!;
    const nb = binned(noisy.table, binning).matrix;
    const progress: number[] = [];
    const model = await trainGbdt({
      train: { matrix: nb, y: noisy.y },
      validation: { matrix: testMatrix, y: test.y },
      classes,
      binning,
      params: { rounds: 300, maxDepth: 6, learningRate: 0.3, earlyStoppingRounds: 5 },
      onProgress: (p) => progress.push(p.round),
    });
    expect(progress.length).toBeLessThan(300);
    expect(model.rounds).toBe(progress.length - 5);
    expect(model.trees.length).toBe(model.rounds);
    const best = Math.min(...model.history.validation);
    expect(model.history.validation[model.rounds - 1]).toBe(best);
  });

  it('refuses bad labels and honours an aborted signal', async () => {
    await expect(trainGbdt({ train: { matrix, y: new Int32Array(2000) }, classes: ['only'], binning })).rejects.toThrow(/single class/);
    const y = train.y.slice();
    y[3] = -1;
    await expect(trainGbdt({ train: { matrix, y }, classes, binning })).rejects.toThrow(/missing or unknown in 1 training rows/);
    const controller = new AbortController();
    controller.abort();
    await expect(trainGbdt({ train: { matrix, y: train.y }, classes, binning, signal: controller.signal })).rejects.toThrow();
  });
});

describe('boosting objective with the fast exp / log1p', () => {
  it('gives the probabilities and log loss of the Math.exp / Math.log reference, on either kernel set with the same bits, at extreme margins too', () => {
    const random = createRandom(8);
    for (const classes of [2, 4]) {
      const n = 501;
      const outputs = classes === 2 ? 1 : classes;
      const margins = Float64Array.from({ length: n * outputs }, (_, i) => (i % 97 === 0 ? (i % 2 ? 800 : -800) : (random.next() - 0.5) * 30));
      const y = Int32Array.from({ length: n }, () => Math.floor(random.next() * classes));
      const weights = Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : 1 + random.next()));
      const reference = probabilities(margins, n, classes);
      const expected = logLoss(reference, y, weights, classes);
      const results = [true, false].map((wasm) => {
        const proba = new Float64Array(n * classes);
        const loss = probabilitiesAndLoss(margins, n, classes, y, weights, proba, scratchMath(n * classes, wasm));
        return { proba, loss };
      });
      expect(results[0]!.loss).toBe(results[1]!.loss);
      expect(results[0]!.proba).toEqual(results[1]!.proba);
      expect(Math.abs(results[0]!.loss - expected) / expected).toBeLessThan(1e-12);
      results[0]!.proba.forEach((p, i) => expect(Math.abs(p - reference[i]!)).toBeLessThan(1e-14));
    }
  });
});
