import { tableFromIPC, type Table } from 'apache-arrow';
import { classificationMetrics } from '../core/metrics/classification-metrics.ts';
import { encodeLabels } from '../core/models/labels.ts';
import type { ForestGrowerFactory } from '../core/models/forest/forest-grower.ts';
import type { GrowerFactory } from '../core/models/gbdt/grower.ts';
import type { LogisticPartnerFactory } from '../core/models/logistic/partner.ts';
import { predictModel, predictModelWith, trainModel, type TrainedModel, type TrainEngines, type TrainProgress } from '../core/models/train-model.ts';
import type { GpuEngines } from '../gpu/engine.ts';
import { stratifiedSplit } from './stratified-split.ts';
import { takeRows } from './take-rows.ts';
import { trainRequestSchema, type GpuProbe, type LossPoint, type TrainRequest, type TrainResult, type TrainUpdate } from './train-protocol.ts';

export type { GpuProbe, LossPoint, TrainRequest, TrainResult, TrainUpdate };

export interface TrainPlatform {
  /** The WebGPU entry point of this host (a worker's navigator.gpu); none means CPU only. */
  gpu?: () => GPU | undefined;
  /**
   * Boosting's CPU grower with a softmax round's trees on several threads (round pool; binary rounds
   * stay on this thread), and its logistic partner, when this host can run one.
   */
  roundGrower?: () => GrowerFactory & { logisticPartner?: LogisticPartnerFactory };
  /** The random forest's CPU grower on several threads (forest pool), when this host can run one. */
  forestGrower?: () => ForestGrowerFactory;
}

interface StoredModel {
  trained: TrainedModel;
  label: string;
  validation: Table;
}

/** Models kept for later stages; older ones are dropped (each holds its validation rows). */
const KEPT_MODELS = 4;
/** Progress reports at most this often (ms): enough for a smooth bar, few enough messages. */
const REPORT_EVERY_MS = 50;

/**
 * The train worker's whole protocol. The table arrives as Arrow IPC bytes (transferred), is split
 * into training and validation rows, trained on the CPU or the GPU, and evaluated; the model stays
 * here under an id, the UI gets a small serialisable result. Same object in-thread or over comlink.
 */
export class TrainApi {
  private readonly models = new Map<string, StoredModel>();
  private current: AbortController | null = null;
  private gpu: Promise<GpuEngines> | null = null;
  private nextId = 1;

  constructor(private readonly platform: TrainPlatform = {}) {}

  /**
   * cancelFlag: a shared Int32Array the caller sets to 1 to cancel. It is read at every progress
   * report, so a cancel lands within one round even though training never yields to the event loop.
   */
  async train(ipc: Uint8Array, request: TrainRequest, onProgress?: (update: TrainUpdate) => void, cancelFlag?: Int32Array): Promise<TrainResult> {
    const req = parseRequest(request);
    const controller = this.begin();
    const stopIfCancelled = () => {
      if (cancelFlag && Atomics.load(cancelFlag, 0) !== 0) controller.abort();
      controller.signal.throwIfAborted();
    };
    try {
      const table = tableFromIPC(ipc);
      const labels = table.getChild(req.label);
      if (!labels) throw new Error(`no label column "${req.label}"`);
      const { y } = encodeLabels(labels);
      const split = stratifiedSplit(y, req.validationShare, req.seed);
      if (split.validation.length === 0) {
        const labelled = y.reduce((n, k) => n + (k >= 0 ? 1 : 0), 0);
        throw new Error(labelled ? `only ${labelled} labelled rows: too few to hold out validation rows` : `the label "${req.label}" is missing on every row`);
      }
      const train = takeRows(table, split.train);
      const validation = takeRows(table, split.validation);
      stopIfCancelled();
      const log = new ProgressLog(onProgress, stopIfCancelled);
      const { trained, notice, engines } = await this.fit(train, validation, req, log, controller.signal);
      stopIfCancelled();
      const classes = trained.model.classes;
      // The validation rows are scored where the model trained (the GPU's prediction kernel).
      const proba = await predictModelWith(trained.model, validation, engines).catch(() => predictModel(trained.model, validation));
      const metrics = classificationMetrics(encodeLabels(validation.getChild(req.label)!, { classes }).y, proba, classes);
      const modelId = this.keep({ trained, label: req.label, validation });
      return {
        modelId,
        model: req.model,
        label: req.label,
        classes,
        device: trained.device,
        notice,
        fitSeconds: trained.fitSeconds,
        metrics,
        unit: log.unit,
        history: log.history,
        params: primitives(trained.model.params),
        rows: { train: train.numRows - trained.unlabelledRows, validation: metrics.rows, unlabelled: trained.unlabelledRows },
        validationShare: req.validationShare,
        features: trained.features.length,
      };
    } catch (err) {
      if (controller.signal.aborted) throw Object.assign(new Error('training cancelled'), { name: 'CancelledError' });
      throw err;
    } finally {
      this.end(controller);
    }
  }

  /** Opens the GPU engine (once; kept for later runs) and names its adapter, or says why there is none. */
  async probeGpu(): Promise<GpuProbe> {
    try {
      return { adapter: (await this.openGpu()).adapter, error: null };
    } catch (err) {
      return { adapter: null, error: (err as Error).message };
    }
  }

  /** Stops the running training (when the worker gets to read messages; the cancel flag is faster). */
  cancel(): void {
    this.current?.abort();
  }

  drop(modelId: string): void {
    this.models.delete(modelId);
  }

  /** A trained model and its validation rows, for the stages that follow in this worker. */
  model(modelId: string): StoredModel {
    const stored = this.models.get(modelId);
    if (!stored) throw new Error(`no model ${modelId} in this worker`);
    return stored;
  }

  /** Trains where asked; a GPU that is missing or fails falls back to the CPU, and the notice says why. */
  private async fit(
    train: Table,
    validation: Table,
    req: TrainRequest,
    log: ProgressLog,
    signal: AbortSignal,
  ): Promise<{ trained: TrainedModel; notice: string | null; engines?: TrainEngines }> {
    // CPU runs grow trees on every core the host gives (the same trees as one thread).
    const rounds = this.platform.roundGrower?.();
    const cpu: TrainEngines = { grower: rounds, forestGrower: this.platform.forestGrower?.(), logisticPartner: rounds?.logisticPartner };
    const run = (engines: TrainEngines | undefined = cpu) => {
      log.reset();
      return trainModel(train, {
        model: req.model,
        label: req.label,
        maxBins: req.maxBins,
        params: modelParams(req),
        validation,
        engines,
        signal,
        onProgress: (p) => log.report(p),
      });
    };
    if (req.device === 'cpu') return { trained: await run(), notice: null };
    let engines: TrainEngines;
    try {
      engines = (await this.openGpu()).engines;
    } catch (err) {
      return { trained: await run(), notice: `WebGPU is unavailable (${(err as Error).message}); trained on the CPU instead.` };
    }
    try {
      const trained = await run(engines);
      return { trained, notice: null, engines: trained.device.includes('finished on cpu') ? undefined : engines };
    } catch (err) {
      if (signal.aborted) throw err;
      // A lost device or a kernel fault: the run is not lost, it starts again on the CPU.
      this.closeGpu();
      return { trained: await run(), notice: `The GPU failed during training (${(err as Error).message}); trained again on the CPU.` };
    }
  }

  private openGpu(): Promise<GpuEngines> {
    if (!this.gpu) {
      const opening = import('../gpu/engine.ts').then((m) => m.gpuEngines(this.platform.gpu?.()));
      this.gpu = opening;
      opening.catch(() => {
        if (this.gpu === opening) this.gpu = null;
      });
    }
    return this.gpu;
  }

  private closeGpu(): void {
    const gpu = this.gpu;
    this.gpu = null;
    void gpu?.then((g) => g.dispose()).catch(() => undefined);
  }

  private keep(stored: StoredModel): string {
    const id = `m${this.nextId++}`;
    this.models.set(id, stored);
    for (const old of this.models.keys()) if (this.models.size > KEPT_MODELS) this.models.delete(old);
    return id;
  }

  private begin(): AbortController {
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    return controller;
  }

  private end(controller: AbortController): void {
    if (this.current === controller) this.current = null;
  }
}

/** Keeps every step's losses and forwards them in throttled batches; checks for a cancel at each step. */
class ProgressLog {
  history: LossPoint[] = [];
  unit: TrainProgress['unit'] = 'round';
  private pending: LossPoint[] = [];
  private last = -Infinity;

  constructor(
    private readonly send: ((update: TrainUpdate) => void) | undefined,
    private readonly check: () => void,
  ) {}

  reset(): void {
    this.history = [];
    this.pending = [];
    this.last = -Infinity;
  }

  report(p: TrainProgress): void {
    this.check();
    this.unit = p.unit;
    const point: LossPoint = { done: p.done, trainLoss: p.trainLoss, validationLoss: p.validationLoss };
    this.history.push(point);
    this.pending.push(point);
    const now = performance.now();
    if (!this.send || (now - this.last < REPORT_EVERY_MS && p.done < p.total)) return;
    this.last = now;
    const update: TrainUpdate = { ...p, points: this.pending };
    this.pending = [];
    // Through comlink this returns a promise; a page that went away must not become an unhandled rejection.
    void Promise.resolve(this.send(update)).catch(() => undefined);
  }
}

function parseRequest(request: unknown): TrainRequest {
  const parsed = trainRequestSchema.safeParse(request);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  throw new Error(`invalid training settings: ${issues.join('; ')}`);
}

function modelParams(req: TrainRequest) {
  const { rounds, trees, maxDepth, learningRate, c, maxIterations } = req.params;
  const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  if (req.model === 'gbdt') return defined({ rounds, maxDepth, learningRate, seed: req.seed });
  if (req.model === 'rf') return defined({ trees, maxDepth, seed: req.seed });
  return defined({ c, maxIterations });
}

function primitives(params: object): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const [k, v] of Object.entries(params)) if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[k] = v;
  return out;
}
