import type { Table } from 'apache-arrow';
import { trainingRows, type TrainedOnTable, type TrainOnTableOptions } from '../training-rows.ts';
import { fitLinearDesign } from './recipe.ts';
import { trainLogistic } from './train-logistic.ts';
import { DEFAULT_LOGISTIC_PARAMS, type LogisticModel, type LogisticParams, type LogisticProgress } from './types.ts';

/**
 * The default linear recipe on a raw table, as `trainForestOnTable`: every column but the label is
 * a feature (numbers imputed with the median and standardised, text as category codes treated
 * alike or one-hot over its top-K values plus "other", all fitted on these rows only); rows
 * without a label are left out.
 */
export function trainLogisticOnTable(table: Table, options: TrainOnTableOptions<LogisticParams, LogisticProgress>): TrainedOnTable<LogisticModel> {
  const { features, classes, rows, y, unlabelledRows } = trainingRows(table, options.label, options.features);
  const t0 = performance.now();
  const { textEncoding, topK } = { ...DEFAULT_LOGISTIC_PARAMS, ...options.params };
  const { recipe, design } = fitLinearDesign(table, features, rows, { textEncoding, topK });
  const model = trainLogistic({
    design,
    y,
    classes,
    recipe,
    params: options.params,
    onProgress: options.onProgress,
    signal: options.signal,
  });
  return { model, features, fitSeconds: (performance.now() - t0) / 1000, unlabelledRows };
}
