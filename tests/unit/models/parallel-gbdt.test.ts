import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { applyBinning } from '../../../src/core/models/binning/apply-binning.ts';
import { fitBinning } from '../../../src/core/models/binning/fit-binning.ts';
import type { FeatureMatrix, FittedBinning } from '../../../src/core/models/binning/types.ts';
import { cpuGrower, type GrowerFactory } from '../../../src/core/models/gbdt/grower.ts';
import { predictProba } from '../../../src/core/models/gbdt/predict.ts';
import { trainGbdt } from '../../../src/core/models/gbdt/train-gbdt.ts';
import type { GbdtModel, GbdtParams } from '../../../src/core/models/gbdt/types.ts';
import { encodeLabels } from '../../../src/core/models/labels.ts';
import { parallelCpuGrower } from '../../../src/workers/histogram-pool.node.ts';
import { DATASETS, fixture, loadPath } from '../helpers.ts';
import { binned, syntheticTable } from './synthetic.ts';

interface Problem {
  matrix: FeatureMatrix;
  y: Int32Array;
  classes: string[];
  binning: FittedBinning;
}

// One pool for the whole file (helpers are reused across trainings), closed at the end.
const parallel = parallelCpuGrower({ threads: 2 });
afterAll(() => parallel.close());

const fit = (p: Problem, params: Partial<GbdtParams>, grower: GrowerFactory): Promise<GbdtModel> =>
  trainGbdt({ train: { matrix: p.matrix, y: p.y }, classes: p.classes, binning: p.binning, params, grower });

/** Trains with one thread and with the pool and expects the same model, bit for bit. */
async function expectSameModels(p: Problem, params: Partial<GbdtParams>, pool = parallel): Promise<GbdtModel> {
  const one = await fit(p, params, cpuGrower);
  const two = await fit(p, params, pool);
  expect(two.device).toBe(`cpu ×${pool.threads}`);
  expect(two.trees.length).toBe(one.trees.length);
  one.trees.forEach((tree, t) => {
    for (const key of ['feature', 'splitBin', 'defaultLeft', 'value', 'gain', 'cover'] as const) expect(bytes(two.trees[t]![key])).toEqual(bytes(tree[key]));
  });
  expect(two.history).toEqual(one.history);
  // Buffer.equals: a deep toEqual over every byte of 100,000 rows' probabilities takes seconds.
  expect(bytes(predictProba(two, p.matrix)).equals(bytes(predictProba(one, p.matrix)))).toBe(true);
  return two;
}

const bytes = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function synthetic(classes: number, rows = 3000): Problem {
  const { table, y } = syntheticTable(rows, 11 + classes, classes);
  return { ...binned(table), y, classes: ['a', 'b', 'c'].slice(0, classes) };
}

describe('GBDT on two threads (histogram pool)', () => {
  it('synthetic binary: the same trees as one thread, with and without sampling', async () => {
    const p = synthetic(2);
    await expectSameModels(p, { rounds: 20, maxDepth: 5 });
    await expectSameModels(p, { rounds: 20, maxDepth: 6, subsample: 0.6, colsampleByTree: 0.75, seed: 5 });
  });

  it('synthetic binary, 100,000 rows (levels large enough to be partitioned on both threads, segments cut between them): the same trees', async () => {
    const p = synthetic(2, 100_000);
    await expectSameModels(p, { rounds: 2, maxDepth: 4, subsample: 0.9, seed: 2 });
    // The JS loops (a host without shared WebAssembly memory), whose partitions also run on both threads; the same pool.
    await expectSameModels(p, { rounds: 2, maxDepth: 4, subsample: 0.9, seed: 2 }, parallelCpuGrower({ threads: 2, wasm: false }));
    // Three threads on two features: one thread has no feature to build or search.
    const three = parallelCpuGrower({ threads: 3 });
    await expectSameModels(p, { rounds: 2, maxDepth: 4, colsampleByTree: 0.5, seed: 6 }, three);
    await three.close();
  });

  it('synthetic three classes: the same trees as one thread, with sampling', async () => {
    await expectSameModels(synthetic(3), { rounds: 15, maxDepth: 4, subsample: 0.8, colsampleByTree: 0.5, seed: 9 });
  });

  it('NSL-KDD (a 6,000-row slice, 41 features), binary and 3 classes: the same trees as one thread', async () => {
    const table = (await loadPath(`${DATASETS}nsl-kdd/KDDTrain+_20Percent.csv`)).table.slice(0, 6000);
    const columns = table.schema.fields.map((f) => f.name).filter((c) => c !== 'label' && c !== 'difficulty');
    const binning = fitBinning(table, { columns, maxBins: 256 });
    const matrix = applyBinning(table, binning);
    const label = table.getChild('label')!;
    const binary = ['normal', 'attack'];
    const y2 = encodeLabels(label, { classes: binary, map: (s) => (s === 'normal' ? 'normal' : 'attack') }).y;
    await expectSameModels({ matrix, y: y2, classes: binary, binning }, { rounds: 25, maxDepth: 6 });
    await expectSameModels({ matrix, y: y2, classes: binary, binning }, { rounds: 15, maxDepth: 8, subsample: 0.7, colsampleByTree: 0.6, seed: 3 });
    const three = ['normal', 'neptune', 'other'];
    const y3 = encodeLabels(label, { classes: three, map: (s) => (s === 'normal' || s === 'neptune' ? s : 'other') }).y;
    await expectSameModels({ matrix, y: y3, classes: three, binning }, { rounds: 10, maxDepth: 6, subsample: 0.8, colsampleByTree: 0.8, seed: 1 });
  });

  it('falls back to the single-thread grower for one thread', async () => {
    const single = parallelCpuGrower({ threads: 1 });
    expect(single.threads).toBe(1);
    const model = await fit(synthetic(2), { rounds: 2, maxDepth: 3 }, single);
    expect(model.device).toBe('cpu');
    await single.close();
  });

  it('a Node process ends when its training is done, whether or not the pool is closed', async () => {
    const src = (path: string) => new URL(`../../../src/${path}`, import.meta.url).href;
    const script = (close: boolean) => `
      import { trainGbdt } from '${src('core/models/gbdt/train-gbdt.ts')}';
      import { parallelCpuGrower } from '${src('workers/histogram-pool.node.ts')}';
      const rows = 500;
      const bins = Uint8Array.from({ length: 2 * rows }, (_, i) => (i * 7) % 5);
      const matrix = { rows, features: 2, names: ['a', 'b'], bins, binCounts: Int32Array.of(6, 6), cutPoints: [new Float64Array(4), new Float64Array(4)] };
      const y = Int32Array.from({ length: rows }, (_, i) => (bins[i] > 2 ? 1 : 0));
      const grower = parallelCpuGrower({ threads: 3 });
      const model = await trainGbdt({ train: { matrix, y }, classes: ['a', 'b'], binning: { maxBins: 6, features: [] }, params: { rounds: 3, maxDepth: 3 }, grower });
      ${close ? 'await grower.close();' : ''}
      console.log(model.device);
    `;
    const run = promisify(execFile);
    for (const close of [true, false]) {
      const path = fixture(`parallel-exit-${close}.mts`, script(close));
      const { stdout } = await run(process.execPath, ['--import', 'tsx', path], { timeout: 30_000 });
      expect(stdout.trim()).toBe('cpu ×3');
    }
  });
});
