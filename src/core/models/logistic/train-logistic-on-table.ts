import type { Table } from 'apache-arrow';
import { encodeLabels } from '../labels.ts';
import { applyLinearRecipe, fitLinearRecipe } from './recipe.ts';
import { trainLogistic } from './train-logistic.ts';
import { DEFAULT_LOGISTIC_PARAMS, type LogisticModel, type LogisticParams, type LogisticProgress } from './types.ts';

export interface TrainLogisticOnTableOptions {
  label: string;
  /** Feature columns; every other column when absent. */
  features?: string[];
  params?: Partial<LogisticParams>;
  onProgress?: (progress: LogisticProgress) => void;
  signal?: AbortSignal;
}

export interface TrainedLogisticOnTable {
  model: LogisticModel;
  features: string[];
  /** The recipe (imputation, scaling, one-hot) and L-BFGS: the whole fit, the data already in memory. */
  fitSeconds: number;
  /** Training rows left out because their label is missing. */
  unlabelledRows: number;
}

/**
 * The default linear recipe on a raw table, as `trainForestOnTable`: every column but the label is
 * a feature (numbers imputed and standardised, text one-hot over its top-K values plus "other",
 * all fitted on these rows only); rows without a label are left out.
 */
export function trainLogisticOnTable(table: Table, options: TrainLogisticOnTableOptions): TrainedLogisticOnTable {
  const { label } = options;
  const labels = table.getChild(label);
  if (!labels) throw new Error(`no label column "${label}" (columns: ${table.schema.fields.map((f) => f.name).slice(0, 12).join(', ')})`);
  const features = options.features ?? table.schema.fields.map((f) => f.name).filter((name) => name !== label);
  if (features.length === 0) throw new Error('there are no feature columns besides the label');
  const { y, classes } = encodeLabels(labels);
  const rows: number[] = [];
  for (let i = 0; i < y.length; i++) if (y[i]! >= 0) rows.push(i);
  if (rows.length === 0) throw new Error(`the label "${label}" is missing on every training row`);
  if (classes.length < 2) {
    throw new Error(`the label "${label}" has a single class ("${classes[0]}") in the training rows; a classifier needs at least two`);
  }
  const t0 = performance.now();
  const topK = options.params?.topK ?? DEFAULT_LOGISTIC_PARAMS.topK;
  const recipe = fitLinearRecipe(table, features, rows, topK);
  const design = applyLinearRecipe(table, recipe, rows);
  const model = trainLogistic({
    design,
    y: Int32Array.from(rows, (i) => y[i]!),
    classes,
    recipe,
    params: options.params,
    onProgress: options.onProgress,
    signal: options.signal,
  });
  return { model, features, fitSeconds: (performance.now() - t0) / 1000, unlabelledRows: y.length - rows.length };
}
