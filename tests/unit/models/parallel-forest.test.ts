import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { applyBinning } from '../../../src/core/models/binning/apply-binning.ts';
import { fitBinning } from '../../../src/core/models/binning/fit-binning.ts';
import type { FeatureMatrix, FittedBinning } from '../../../src/core/models/binning/types.ts';
import { cpuForestGrower, type ForestGrowerFactory } from '../../../src/core/models/forest/forest-grower.ts';
import { trainForest } from '../../../src/core/models/forest/train-forest.ts';
import type { ForestModel, ForestParams, ForestProgress } from '../../../src/core/models/forest/types.ts';
import { encodeLabels } from '../../../src/core/models/labels.ts';
import { forestHelper } from '../../../src/workers/forest-pool-helper.ts';
import { oneShotWantsPool, parallelForestGrowerFactory } from '../../../src/workers/forest-pool-grower.ts';
import type { ForestPoolMessage } from '../../../src/workers/forest-pool-protocol.ts';
import type { ForestHelperThread } from '../../../src/workers/forest-pool.ts';
import { parallelForestGrower } from '../../../src/workers/forest-pool.node.ts';
import { DATASETS, fixture, loadPath } from '../helpers.ts';
import { binned, syntheticTable } from './synthetic.ts';

interface Problem {
  matrix: FeatureMatrix;
  y: Int32Array;
  classes: string[];
  binning: FittedBinning;
  validation?: { matrix: FeatureMatrix; y: Int32Array };
}

// One pool for the whole file (helpers are reused across trainings), closed at the end.
const parallel = parallelForestGrower({ threads: 2 });
afterAll(() => parallel.close());

async function fit(p: Problem, params: Partial<ForestParams>, grower: ForestGrowerFactory, signal?: AbortSignal): Promise<{ model: ForestModel; progress: ForestProgress[] }> {
  const progress: ForestProgress[] = [];
  const { matrix, y, classes, binning, validation } = p;
  const model = await trainForest({ train: { matrix, y }, validation, classes, binning, params, grower, signal, onProgress: (q) => progress.push(q) });
  return { model, progress };
}

/** Trains with one thread and with the pool; expects the same trees, bit for bit, and the same reports in the same order. */
async function expectSameForest(p: Problem, params: Partial<ForestParams>, pool: ForestGrowerFactory & { threads: number } = parallel): Promise<void> {
  const one = await fit(p, params, cpuForestGrower);
  const two = await fit(p, params, pool);
  expect(two.model.device).toBe(`cpu ×${pool.threads}`);
  expect(two.model.trees).toEqual(one.model.trees);
  expect(two.progress).toEqual(one.progress);
}

function synthetic(classes: number, rows = 3000): Problem {
  const train = syntheticTable(rows, 20 + classes, classes);
  const valid = syntheticTable(500, 40 + classes, classes);
  const { matrix, binning } = binned(train.table);
  return { matrix, binning, y: train.y, classes: ['a', 'b', 'c'].slice(0, classes), validation: { matrix: binned(valid.table, binning).matrix, y: valid.y } };
}

/** A helper in this thread (the pool's messages and replies as they would cross), optionally broken. */
function inThread(fault?: 'error' | 'crash'): () => ForestHelperThread {
  return () => {
    let listener: (data: unknown) => void = () => undefined;
    let failed: (error: Error) => void = () => undefined;
    const handle = forestHelper((message) => {
      if (message.type === 'tree' && fault === 'crash') return failed(new Error('the thread ended (exit code 1)'));
      const reply = message.type === 'tree' && fault === 'error' ? { type: 'error', job: message.job, message: 'out of memory' } : message;
      setImmediate(() => listener(reply));
    });
    return {
      postMessage: (message: ForestPoolMessage) => setImmediate(() => void handle(message)),
      onMessage: (l) => void (listener = l),
      onError: (l) => void (failed = l),
      terminate: async () => undefined,
    };
  };
}

describe('random forest on two threads (forest pool)', () => {
  it('synthetic binary and three classes: the same trees, validation losses and progress as one thread', async () => {
    await expectSameForest(synthetic(2), { trees: 12, seed: 3 });
    await expectSameForest(synthetic(2), { trees: 7, maxDepth: 4, minSamplesLeaf: 3, bootstrap: false, seed: 1 });
    await expectSameForest(synthetic(3), { trees: 10, seed: 8, classWeight: [1, 0, 2.5] });
    await expectSameForest(synthetic(3), { trees: 9, maxDepth: 6, classWeight: 'balanced', seed: 2 });
  });

  it('NSL-KDD (a 6,000-row slice, 41 features), three threads: the same trees as one thread', async () => {
    const table = (await loadPath(`${DATASETS}nsl-kdd/KDDTrain+_20Percent.csv`)).table.slice(0, 6000);
    const columns = table.schema.fields.map((f) => f.name).filter((c) => c !== 'label' && c !== 'difficulty');
    const binning = fitBinning(table, { columns, maxBins: 256 });
    const matrix = applyBinning(table, binning);
    const classes = ['normal', 'neptune', 'other'];
    const y = encodeLabels(table.getChild('label')!, { classes, map: (s) => (s === 'normal' || s === 'neptune' ? s : 'other') }).y;
    const three = parallelForestGrower({ threads: 3 });
    await expectSameForest({ matrix, y, classes, binning }, { trees: 20, maxDepth: 10, seed: 5 }, three);
    await three.close();
  });

  it('a cancel stops the training at once; the pool then trains the same forest again', async () => {
    const p = synthetic(2, 20_000);
    const controller = new AbortController();
    const reports: number[] = [];
    const stopped = trainForest({
      train: { matrix: p.matrix, y: p.y },
      classes: p.classes,
      binning: p.binning,
      params: { trees: 200 },
      grower: parallel,
      signal: controller.signal,
      onProgress: (q) => {
        reports.push(q.tree);
        if (q.tree === 3) controller.abort();
      },
    });
    await expect(stopped).rejects.toThrow(/abort/i);
    expect(reports).toEqual([1, 2, 3]);
    await expectSameForest(p, { trees: 6, seed: 4 });
  });

  it('a helper that fails a tree or ends: a clear error, not a hang; the next training starts a new pool', async () => {
    const p = synthetic(2, 1000);
    const failing = parallelForestGrowerFactory(2, inThread('error'));
    await expect(fit(p, { trees: 8 }, failing)).rejects.toThrow('forest helper 1: out of memory');
    await failing.close();
    const crashing = parallelForestGrowerFactory(2, inThread('crash'));
    await expect(fit(p, { trees: 8 }, crashing)).rejects.toThrow('forest helper 1 failed: the thread ended (exit code 1)');
    // The failed pool is forgotten: this factory starts another, whose helper crashes again.
    await expect(fit(p, { trees: 8 }, crashing)).rejects.toThrow(/forest helper 1 failed/);
    await crashing.close();
    // A sound helper in this thread grows the same forest as one thread.
    await expectSameForest(p, { trees: 8, seed: 6 }, parallelForestGrowerFactory(2, inThread()));
  });

  it('a one-shot run takes the pool only for enough rows × trees × levels (oneShotWantsPool)', () => {
    // The bench's sets at 100 trees, depth 6: phishing, CIC-IDS and NSL-KDD on one thread, KDD99's 200k rows on the pool.
    expect([4_679, 5_050, 25_192, 200_021].map((rows) => oneShotWantsPool(rows, 100, 6))).toEqual([false, false, false, true]);
    // Levels are capped at log2 rows (15 here): a deep setting on few rows is still little work.
    expect(oneShotWantsPool(20_000, 100, 64)).toBe(false);
    // More trees, or deeper trees on more rows, are enough.
    expect(oneShotWantsPool(5_000, 1_000, 16)).toBe(true);
    expect(oneShotWantsPool(50_000, 100, 16)).toBe(true);
  });

  it('falls back to the single-thread grower for one thread', async () => {
    const single = parallelForestGrower({ threads: 1 });
    expect(single.threads).toBe(1);
    const { model } = await fit(synthetic(2, 500), { trees: 3 }, single);
    expect(model.device).toBe('cpu');
  });

  it('a Node process ends when its training is done, whether or not the pool is closed', async () => {
    const src = (path: string) => new URL(`../../../src/${path}`, import.meta.url).href;
    const script = (close: boolean) => `
      import { trainForest } from '${src('core/models/forest/train-forest.ts')}';
      import { parallelForestGrower } from '${src('workers/forest-pool.node.ts')}';
      const rows = 500;
      const bins = Uint8Array.from({ length: 2 * rows }, (_, i) => (i * 7) % 5);
      const matrix = { rows, features: 2, names: ['a', 'b'], bins, binCounts: Int32Array.of(6, 6), cutPoints: [new Float64Array(4), new Float64Array(4)] };
      const y = Int32Array.from({ length: rows }, (_, i) => (bins[i] > 2 ? 1 : 0));
      const grower = parallelForestGrower({ threads: 2 });
      const model = await trainForest({ train: { matrix, y }, classes: ['a', 'b'], binning: { maxBins: 6, features: [] }, params: { trees: 6, maxDepth: 3 }, grower });
      ${close ? 'await grower.close();' : ''}
      console.log(model.device, model.trees.length);
    `;
    const run = promisify(execFile);
    for (const close of [true, false]) {
      const path = fixture(`parallel-forest-exit-${close}.mts`, script(close));
      const { stdout } = await run(process.execPath, ['--import', 'tsx', path], { timeout: 30_000 });
      expect(stdout.trim()).toBe('cpu ×2 6');
    }
  });
});
