import type { Table } from 'apache-arrow';
import { trainBinnedOnTable } from '../binning/train-binned.ts';
import type { TrainedOnTable, TrainOnTableOptions } from '../training-rows.ts';
import type { ForestGrowerFactory } from './forest-grower.ts';
import { trainForest } from './train-forest.ts';
import type { ForestModel, ForestParams, ForestProgress } from './types.ts';

/** A random forest on a raw table, through the default tree recipe (as `trainGbdtOnTable`). */
export function trainForestOnTable(
  table: Table,
  options: TrainOnTableOptions<ForestParams, ForestProgress> & { grower?: ForestGrowerFactory },
): Promise<TrainedOnTable<ForestModel>> {
  return trainBinnedOnTable(table, options, ({ matrix, y, classes, binning, validation }) =>
    trainForest({ train: { matrix, y }, validation, classes, binning, params: options.params, onProgress: options.onProgress, signal: options.signal, grower: options.grower }),
  );
}
