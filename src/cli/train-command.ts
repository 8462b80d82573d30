import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import { classificationMetrics } from '../core/metrics/classification-metrics.ts';
import { encodeLabels } from '../core/models/labels.ts';
import { predictModelWith, trainModel } from '../core/models/train-model.ts';
import { precompile } from '../core/models/wasm-module.ts';
import { GpuUnavailableError } from '../gpu/device.ts';
import { gpuEngines, type GpuEngines } from '../gpu/engine.ts';
import { UsageError, type ParsedArgs } from './args.ts';
import { oneShotWantsPool } from '../workers/forest-pool-grower.ts';
import { parallelForestGrower } from '../workers/forest-pool.node.ts';
import { parallelRoundGrower } from '../workers/round-pool.node.ts';
import { nodeGpu } from './node-gpu.ts';
import { proxy, startDataWorker } from './node-worker.ts';
import { progressLine } from './progress-line.ts';

export const TRAIN_HELP = `workbench train --train A.csv --test B.csv --label COL --model gbdt|rf|logistic --out DIR [options]
  Trains on one file and evaluates on the other; writes DIR/metrics.json and DIR/predictions.csv.
  --model gbdt       gradient-boosted trees (default)
  --model rf         random forest: bootstrap rows, √features per split, Gini
  --model logistic   multinomial logistic regression, L2 with C = 1, L-BFGS (≤ 1000 iterations);
                     numbers median-imputed and standardised, text as category codes
  --rounds N         boosting rounds, gbdt (100)   --lr X      learning rate, gbdt (0.1)
  --trees N          trees, rf (100)               --depth N   tree depth (gbdt 6, rf 16)
  --bins N           bins per feature (256)        --seed N    random seed (0)
  --device cpu|gpu   where the model trains. cpu: rf, and gbdt's trees of a multi-class
                     round, on every core (WebAssembly SIMD histograms). gpu: WebGPU through
                     Dawn, on the system's Vulkan driver or, when there is none, Chromium's
                     SwiftShader; gbdt and rf train and predict there, logistic fits there and
                     finishes in f64 on the cpu. Both devices give the same predictions.`;

const int = (args: ParsedArgs, name: string, fallback: number, min: number, max: number): number => {
  const raw = args.flags.get(name);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min || v > max) throw new UsageError(`--${name} takes an integer from ${min} to ${max}, not "${String(raw)}"`);
  return v;
};

export async function trainCommand(args: ParsedArgs): Promise<number> {
  const path = (name: string): string => {
    const v = args.flags.get(name);
    if (typeof v !== 'string') throw new UsageError(`train needs --${name}`);
    if (name !== 'out' && !existsSync(v)) throw new UsageError(`${v}: no such file`);
    return v;
  };
  const [trainPath, testPath, out] = [path('train'), path('test'), path('out')];
  const label = args.flags.get('label');
  if (typeof label !== 'string') throw new UsageError('train needs --label COL');
  const model = args.flags.get('model') ?? 'gbdt';
  if (model !== 'gbdt' && model !== 'rf' && model !== 'logistic') throw new UsageError(`--model takes gbdt, rf or logistic, not "${String(model)}"`);
  const device = args.flags.get('device') ?? 'cpu';
  if (device !== 'gpu' && device !== 'cpu') throw new UsageError(`--device takes gpu or cpu, not "${String(device)}"`);
  const lr = args.flags.has('lr') ? Number(args.flags.get('lr')) : 0.1;
  if (!(lr > 0 && lr <= 1)) throw new UsageError('--lr takes a number in (0, 1]');
  const seed = int(args, 'seed', 0, 0, 2 ** 31 - 1);
  const params = model !== 'gbdt' ? undefined : { rounds: int(args, 'rounds', 100, 1, 100_000), maxDepth: int(args, 'depth', 6, 1, 16), learningRate: lr, seed };
  const forestParams = model === 'rf' ? { trees: int(args, 'trees', 100, 1, 100_000), maxDepth: int(args, 'depth', 16, 1, 64), seed } : undefined;
  const bins = int(args, 'bins', 256, 2, 256);

  // Forests with enough work grow on every core, whole trees per thread (oneShotWantsPool); so do
  // the trees of a softmax round (one per class). A binary round has one tree, which grows on this
  // thread (the round pool sends the helpers nothing then). A logistic fit on enough rows computes
  // half of them on the round pool's helper. Helper threads start while the data loads.
  const forestPool = model === 'rf' && device === 'cpu' ? parallelForestGrower() : undefined;
  const roundPool = (model === 'gbdt' || model === 'logistic') && device === 'cpu' ? parallelRoundGrower() : undefined;
  const starting = Promise.all([forestPool?.start(), roundPool?.start()]);
  const loading = loadBoth(trainPath, testPath);
  // This thread waits for the data worker meanwhile: the model's kernels compile now, not in the fit.
  precompile(...(model === 'logistic' ? (['logistic'] as const) : (['binning', model === 'rf' ? 'forest' : 'boosting'] as const)));
  const [train, test] = await loading;
  await starting;
  for (const [table, file] of [[train, trainPath], [test, testPath]] as const) {
    if (!table.getChild(label)) throw new UsageError(`${basename(file)}: no label column "${label}"`);
  }
  const gpu = device === 'gpu' ? await openGpu(model) : undefined;
  // A small forest grows faster on this thread alone in a one-shot run (oneShotWantsPool).
  const wantsPool = forestParams !== undefined && oneShotWantsPool(train.numRows, forestParams.trees, forestParams.maxDepth);
  try {
    const progress = progressLine('training');
    const fitted = await trainModel(train, {
      engines: gpu?.engines ?? { forestGrower: forestPool && wantsPool ? forestPool : undefined, grower: roundPool, logisticPartner: roundPool?.logisticPartner },
      model,
      label,
      maxBins: bins,
      params: model === 'gbdt' ? params : forestParams,
      onProgress: (p) => {
        const loss = p.trainLoss === undefined ? '' : `, ${p.unit === 'iteration' ? 'loss' : 'train loss'} ${p.trainLoss.toFixed(4)}`;
        progress.update({ stage: `${p.unit} ${p.done}/${p.total}${loss}`, done: p.done, total: p.total });
      },
    });
    progress.done();
    const missing = fitted.features.filter((f) => !test.getChild(f));
    if (missing.length) throw new UsageError(`${basename(testPath)}: no column "${missing[0]}" that the model was trained on`);

    // Classes only in the test file join the list with probability 0: they count as errors.
    const trainClasses = fitted.model.classes;
    const testOnly = encodeLabels(test.getChild(label)!).classes.filter((c) => !trainClasses.includes(c));
    const classes = [...trainClasses, ...testOnly];
    const p = widen(await predictModelWith(fitted.model, test, gpu?.engines), trainClasses.length, classes.length);
    const y = encodeLabels(test.getChild(label)!, { classes }).y;
    const metrics = classificationMetrics(y, p, classes);

    mkdirSync(out, { recursive: true });
    const report = {
      classes,
      fit_seconds: fitted.fitSeconds,
      device: fitted.device,
      gpu: gpu && { adapter: gpu.adapter, software: gpu.gpu.software, max_storage_binding_bytes: gpu.gpu.maxBinding },
      model,
      params:
        fitted.model.kind === 'logistic'
          ? {
              c: fitted.model.params.c,
              max_iter: fitted.model.params.maxIterations,
              tol: fitted.model.params.tolerance,
              top_k: fitted.model.params.topK,
              iterations: fitted.model.iterations,
              converged: fitted.model.converged,
            }
          : forestParams
            ? { trees: forestParams.trees, depth: forestParams.maxDepth, bins, seed }
            : { rounds: params!.rounds, depth: params!.maxDepth, bins, lr, seed },
      features: fitted.features.length,
      train: { file: basename(trainPath), rows: train.numRows, unlabelled_rows: fitted.unlabelledRows },
      test: { file: basename(testPath), ...metrics, classes: undefined, classes_only_in_test: testOnly },
    };
    writeFileSync(join(out, 'metrics.json'), `${JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
    writeFileSync(join(out, 'predictions.csv'), predictionsCsv(test, label, classes, p));
    const auc = metrics.roc_auc === null ? '–' : metrics.roc_auc.toFixed(4);
    process.stdout.write(
      `trained ${model} on ${train.numRows.toLocaleString('en-US')} rows in ${fitted.fitSeconds.toFixed(2)} s (${fitted.device}); test: accuracy ${metrics.accuracy.toFixed(4)}, macro-F1 ${metrics.macro_f1.toFixed(4)}, ROC-AUC ${auc}\nwrote ${join(out, 'metrics.json')} and ${join(out, 'predictions.csv')}\n`,
    );
    return 0;
  } finally {
    gpu?.dispose();
    await Promise.all([forestPool?.close(), roundPool?.close()]);
  }
}

/** The WebGPU engines, saying on stderr which adapter runs them; a clear refusal when none exists. */
async function openGpu(model: string): Promise<GpuEngines> {
  try {
    const engines = await gpuEngines(await nodeGpu());
    process.stderr.write(`GPU: ${engines.adapter}${model === 'logistic' ? ' (logistic: the objective in f32 on the GPU, then finished in f64 on the cpu)' : ''}\n`);
    return engines;
  } catch (err) {
    if (err instanceof GpuUnavailableError) throw new UsageError(`--device gpu: ${err.message}; install a Vulkan driver (or Debian's chromium, whose SwiftShader serves as one) or use --device cpu`);
    throw err;
  }
}

async function loadBoth(a: string, b: string): Promise<[Table, Table]> {
  const { api, close } = startDataWorker();
  const progress = progressLine('loading');
  try {
    const tables: Table[] = [];
    for (const file of [a, b]) {
      const loaded = await api.load(resolve(file), basename(file), {}, proxy(progress.update));
      tables.push(tableFromIPC(await api.tableIPC(loaded.id)));
      await api.drop(loaded.id);
    }
    return [tables[0]!, tables[1]!];
  } finally {
    progress.done();
    await close();
  }
}

/** Probabilities with zero columns appended for classes the model never saw. */
function widen(p: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return p;
  const rows = p.length / from;
  const out = new Float32Array(rows * to);
  for (let i = 0; i < rows; i++) out.set(p.subarray(i * from, (i + 1) * from), i * to);
  return out;
}

function predictionsCsv(test: Table, label: string, classes: string[], p: Float32Array): string {
  const K = classes.length;
  const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const labels = test.getChild(label)!;
  const lines = [['label', 'predicted', ...classes.map((c) => `p_${c}`)].map(quote).join(',')];
  for (let i = 0; i < test.numRows; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (p[i * K + k]! > p[i * K + best]!) best = k;
    const row = [quote(String(labels.get(i) ?? '')), quote(classes[best]!)];
    for (let k = 0; k < K; k++) row.push(String(p[i * K + k]));
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}
