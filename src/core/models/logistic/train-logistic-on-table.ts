import type { Table } from 'apache-arrow';
import { trainingRows, type TrainedOnTable, type TrainOnTableOptions } from '../training-rows.ts';
import type { LogisticEngine } from './engine.ts';
import { fitLinearDesign } from './recipe.ts';
import { trainLogisticOnDevice } from './train-logistic-on-device.ts';
import type { LogisticPartnerFactory } from './partner.ts';
import { trainLogistic, trainLogisticWith, type TrainLogisticOptions } from './train-logistic.ts';
import { DEFAULT_LOGISTIC_PARAMS, type LogisticModel, type LogisticParams, type LogisticProgress } from './types.ts';

type Options = TrainOnTableOptions<LogisticParams, LogisticProgress>;

/**
 * The default linear recipe on a raw table, as `trainForestOnTable`: every column but the label is
 * a feature (numbers imputed with the median and standardised, text as category codes treated
 * alike or one-hot over its top-K values plus "other", all fitted on these rows only); rows
 * without a label are left out.
 */
export function trainLogisticOnTable(table: Table, options: Options): TrainedOnTable<LogisticModel> {
  const t0 = performance.now();
  const { fit, features, unlabelledRows } = prepare(table, options);
  return { model: trainLogistic(fit), features, fitSeconds: (performance.now() - t0) / 1000, unlabelledRows };
}

/** As `trainLogisticOnTable`, with a partner thread for half of the rows where `partners` gives one (the same model); device `cpu ×2` then. */
export async function trainLogisticOnTableWithPartner(table: Table, options: Options, partners: LogisticPartnerFactory): Promise<TrainedOnTable<LogisticModel> & { device: string }> {
  const t0 = performance.now();
  const { fit, features, unlabelledRows } = prepare(table, options);
  const { model, threads } = await trainLogisticWith(fit, partners);
  return { model, device: threads > 1 ? `cpu ×${threads}` : 'cpu', features, fitSeconds: (performance.now() - t0) / 1000, unlabelledRows };
}

/** As `trainLogisticOnTable`, with the fit's first phase on a device engine (see `trainLogisticOnDevice`). */
export async function trainLogisticOnTableWith(table: Table, options: Options, engine: LogisticEngine): Promise<TrainedOnTable<LogisticModel> & { device: string }> {
  const t0 = performance.now();
  const { fit, features, unlabelledRows } = prepare(table, options);
  const { model, device } = await trainLogisticOnDevice(fit, engine);
  return { model, device, features, fitSeconds: (performance.now() - t0) / 1000, unlabelledRows };
}

function prepare(table: Table, options: Options): { fit: TrainLogisticOptions; features: string[]; unlabelledRows: number } {
  const { features, classes, rows, y, unlabelledRows } = trainingRows(table, options.label, options.features);
  const { textEncoding, topK } = { ...DEFAULT_LOGISTIC_PARAMS, ...options.params };
  const { recipe, design } = fitLinearDesign(table, features, rows, { textEncoding, topK });
  return { fit: { design, y, classes, recipe, params: options.params, onProgress: options.onProgress, signal: options.signal }, features, unlabelledRows };
}
