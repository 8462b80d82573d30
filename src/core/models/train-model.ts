import type { Table } from 'apache-arrow';
import { predictForestTable } from './forest/predict-forest.ts';
import { trainForestOnTable } from './forest/train-forest-on-table.ts';
import { applyBinning } from './binning/apply-binning.ts';
import type { FeatureMatrix } from './binning/types.ts';
import type { ForestGrowerFactory } from './forest/forest-grower.ts';
import type { ForestModel, ForestParams } from './forest/types.ts';
import type { GrowerFactory } from './gbdt/grower.ts';
import { predictTable } from './gbdt/predict.ts';
import { trainGbdtOnTable } from './gbdt/train-on-table.ts';
import type { GbdtModel, GbdtParams } from './gbdt/types.ts';
import { predictLogisticTable } from './logistic/predict-logistic.ts';
import type { LogisticEngine } from './logistic/engine.ts';
import type { LogisticPartnerFactory } from './logistic/partner.ts';
import { trainLogisticOnTable, trainLogisticOnTableWith, trainLogisticOnTableWithPartner } from './logistic/train-logistic-on-table.ts';
import type { LogisticModel, LogisticParams, LogisticProgress } from './logistic/types.ts';
import type { TrainedOnTable } from './training-rows.ts';

export type ModelKind = 'gbdt' | 'rf' | 'logistic';
export type Model = GbdtModel | ForestModel | LogisticModel;

/** One progress report of any model: a boosting round, a forest tree or an optimiser iteration. */
export interface TrainProgress {
  unit: 'round' | 'tree' | 'iteration';
  done: number;
  total: number;
  /** Loss on the training rows (GBDT: log loss; logistic: the regularised objective). */
  trainLoss?: number;
  /** Log loss on the validation rows, when given (GBDT and forest). */
  validationLoss?: number;
}

/** The engines a model may train on; a GPU engine (src/gpu) grows GBDT and forest trees with WebGPU kernels. */
export interface TrainEngines {
  /** Grows boosting trees (the CPU reference when absent). */
  grower?: GrowerFactory;
  /** Predicts with a boosted model on a binned matrix (the CPU reference when absent). */
  predictGbdt?: (model: GbdtModel, matrix: FeatureMatrix) => Promise<Float32Array>;
  /** Grows random-forest trees (the CPU reference when absent). */
  forestGrower?: ForestGrowerFactory;
  /** Predicts with a random forest on a binned matrix (the CPU reference when absent). */
  predictForest?: (model: ForestModel, matrix: FeatureMatrix) => Promise<Float32Array>;
  /** Runs a logistic fit's first (f32) phase; the fit ends on the CPU either way (CPU only when absent). */
  logistic?: LogisticEngine;
  /** A CPU logistic fit's partner thread for half of the rows (the same model; one thread when absent). */
  logisticPartner?: LogisticPartnerFactory;
}

export interface TrainModelOptions {
  model: ModelKind;
  label: string;
  features?: string[];
  /** Trees: bins per feature (2 … 256). */
  maxBins?: number;
  params?: Partial<GbdtParams> | Partial<ForestParams> | Partial<LogisticParams>;
  validation?: Table;
  engines?: TrainEngines;
  onProgress?: (progress: TrainProgress) => void;
  signal?: AbortSignal;
}

export interface TrainedModel extends TrainedOnTable<Model> {
  /** "cpu", or the GPU adapter that grew the trees or ran the logistic fit's f32 phase. */
  device: string;
}

/** Trains any model on a raw table through its default recipe: the one entry the app, notebook and CLI use. */
export async function trainModel(table: Table, options: TrainModelOptions): Promise<TrainedModel> {
  const { label, features, maxBins, validation, signal, onProgress } = options;
  const common = { label, features, maxBins, validation, signal };
  if (options.model === 'gbdt') {
    const fitted = await trainGbdtOnTable(table, {
      ...common,
      params: options.params as Partial<GbdtParams>,
      grower: options.engines?.grower,
      onProgress: (p) => onProgress?.({ unit: 'round', done: p.round, total: p.rounds, trainLoss: p.trainLoss, validationLoss: p.validationLoss }),
    });
    return { ...fitted, device: fitted.model.device };
  }
  if (options.model === 'rf') {
    const fitted = await trainForestOnTable(table, {
      ...common,
      params: options.params as Partial<ForestParams>,
      grower: options.engines?.forestGrower,
      onProgress: (p) => onProgress?.({ unit: 'tree', done: p.tree, total: p.trees, validationLoss: p.validationLoss }),
    });
    return { ...fitted, device: fitted.model.device };
  }
  const logistic = {
    ...common,
    params: options.params as Partial<LogisticParams>,
    onProgress: (p: LogisticProgress) => onProgress?.({ unit: 'iteration', done: p.iteration, total: p.maxIterations, trainLoss: p.loss }),
  };
  const engine = options.engines?.logistic;
  if (engine) return trainLogisticOnTableWith(table, logistic, engine);
  if (options.engines?.logisticPartner) return trainLogisticOnTableWithPartner(table, logistic, options.engines.logisticPartner);
  return { ...trainLogisticOnTable(table, logistic), device: 'cpu' };
}

/** Class probabilities (rows × classes, in `model.classes` order) for rows of a table, all when absent. */
export function predictModel(model: Model, table: Table, rows?: ArrayLike<number>): Float32Array {
  if (model.kind === 'forest') return predictForestTable(model, table, rows);
  if (model.kind === 'logistic') return predictLogisticTable(model, table, rows);
  return predictTable(model, table, rows);
}

/** As `predictModel`, through the engines' GPU prediction where they have one for the model. */
export async function predictModelWith(model: Model, table: Table, engines: TrainEngines | undefined, rows?: ArrayLike<number>): Promise<Float32Array> {
  if (model.kind === 'gbdt' && engines?.predictGbdt) return engines.predictGbdt(model, applyBinning(table, model.binning, rows));
  if (model.kind === 'forest' && engines?.predictForest) return engines.predictForest(model, applyBinning(table, model.binning, rows));
  return predictModel(model, table, rows);
}
