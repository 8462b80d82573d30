import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../../src/core/metrics/roc-auc.ts';
import { applyBinning } from '../../../src/core/models/binning/apply-binning.ts';
import { fitBinning } from '../../../src/core/models/binning/fit-binning.ts';
import { CpuClassCounts, type ClassCountSource, type HistogramRequests, type HistogramVisitor, type LevelSplits } from '../../../src/core/models/forest/class-counts.ts';
import { cpuForestGrower, jsCpuForestGrower, type ForestGrowerFactory } from '../../../src/core/models/forest/forest-grower.ts';
import type { FeatureHistogram } from '../../../src/core/models/forest/gini-split.ts';
import { ForestScratch, growForestTree } from '../../../src/core/models/forest/grow-forest-tree.ts';
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
  it('learns a small binary problem; probabilities are means of leaf frequencies and sum to 1', async () => {
    const model = await trainForest({ train: { matrix, y: train.y }, classes, binning, params: { trees: 30, seed: 1 } });
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

  it('learns three classes; depth and min_samples_leaf are respected', async () => {
    const tr3 = syntheticTable(2000, 3, 3);
    const te3 = syntheticTable(1000, 4, 3);
    const b = binned(tr3.table);
    const model = await trainForest({ train: { matrix: b.matrix, y: tr3.y }, classes: ['a', 'b', 'c'], binning: b.binning, params: { trees: 20, maxDepth: 5, minSamplesLeaf: 5 } });
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

  it('the same seed gives the same probabilities bit for bit; another seed does not', async () => {
    const fit = async (seed: number) => predictForest(await trainForest({ train: { matrix, y: train.y }, classes, binning, params: { trees: 10, seed } }), testMatrix);
    expect(await fit(7)).toEqual(await fit(7));
    expect(await fit(7)).not.toEqual(await fit(8));
  });

  it('any source that adds the same counts grows the same trees: retries in batches, histograms handed over backwards', async () => {
    // What a GPU source does differently: a whole batch of extra features per retry, and its own order.
    class Backwards implements ClassCountSource {
      readonly retryBatch = 4;
      constructor(private readonly inner: CpuClassCounts) {}
      beginTree(draws: Int32Array): void {
        this.inner.beginTree(draws);
      }
      histograms(requests: HistogramRequests, visit: HistogramVisitor): void {
        const got: [number, FeatureHistogram][] = [];
        this.inner.histograms(requests, (r, h) => got.push([r, { ...h, hist: h.hist.slice() }]));
        for (const [r, h] of got.reverse()) visit(r, h);
      }
      partition(splits: LevelSplits): void {
        this.inner.partition(splits);
      }
    }
    const backwards: ForestGrowerFactory = (data, params) => {
      const source = new Backwards(new CpuClassCounts(data.matrix, data.y, data.classes));
      const scratch = new ForestScratch(data);
      return { device: 'backwards', grow: (draws, seed) => growForestTree(source, params, draws, seed, scratch), dispose: () => undefined };
    };
    const tr3 = syntheticTable(1500, 5, 3);
    const b = binned(tr3.table);
    const options = { train: { matrix: b.matrix, y: tr3.y }, classes: ['a', 'b', 'c'], binning: b.binning, params: { trees: 8, seed: 4, classWeight: [1, 2.5, 0.7] } };
    const cpu = await trainForest(options);
    const other = await trainForest({ ...options, grower: backwards });
    expect(other.device).toBe('backwards');
    expect(other.trees).toEqual(cpu.trees);
  });

  it('class counts, in-bag rows and the partition in WebAssembly grow the same forest as the JS loops: three classes, weights, bootstrap, missing values', async () => {
    const tr3 = syntheticTable(2500, 6, 3);
    const b = binned(tr3.table);
    const options = { train: { matrix: b.matrix, y: tr3.y }, classes: ['a', 'b', 'c'], binning: b.binning, params: { trees: 6, seed: 9, maxDepth: 8, classWeight: [1, 3, 0.5] } };
    const fast = await trainForest({ ...options, grower: cpuForestGrower });
    const reference = await trainForest({ ...options, grower: jsCpuForestGrower });
    expect(fast.trees).toEqual(reference.trees);
    // A minimum leaf size that binds on both sides of some splits.
    const leafy = { ...options, params: { ...options.params, minSamplesLeaf: 40 } };
    expect((await trainForest({ ...leafy, grower: cpuForestGrower })).trees).toEqual((await trainForest({ ...leafy, grower: jsCpuForestGrower })).trees);
    expect(fast.trees.every((t) => t.feature.filter((f) => f >= 0).length > 8)).toBe(true);
    // Splits that send the missing bin left and right both occur (the partition's two cases).
    const inner = fast.trees.flatMap((t) => Array.from(t.feature, (f, j) => (f >= 0 ? t.defaultLeft[j]! : -1)).filter((d) => d >= 0));
    expect(new Set(inner)).toEqual(new Set([0, 1]));
  });

  it('class weights shift the probabilities towards the weighted class', async () => {
    const fit = async (classWeight?: readonly number[]) =>
      predictForest(await trainForest({ train: { matrix, y: train.y }, classes, binning, params: { trees: 10, maxDepth: 3, seed: 3, classWeight } }), testMatrix);
    const mean = (p: Float32Array) => p.filter((_, x) => x % 2 === 1).reduce((a, b) => a + b, 0) / 1000;
    expect(mean(await fit([1, 5]))).toBeGreaterThan(mean(await fit()) + 0.05);
    await expect(fit([1])).rejects.toThrow(/classWeight/);
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
    const model = await trainForest({
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
