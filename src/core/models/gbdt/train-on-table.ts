import type { Table } from 'apache-arrow';
import { trainBinnedOnTable } from '../binning/train-binned.ts';
import type { TrainedOnTable, TrainOnTableOptions } from '../training-rows.ts';
import { trainGbdt, type GbdtProgress } from './train-gbdt.ts';
import type { GbdtModel, GbdtParams } from './types.ts';

/** Gradient-boosted trees on a raw table, through the default tree recipe. */
export function trainGbdtOnTable(table: Table, options: TrainOnTableOptions<GbdtParams, GbdtProgress>): TrainedOnTable<GbdtModel> {
  return trainBinnedOnTable(table, options, ({ matrix, y, classes, binning }) =>
    trainGbdt({ train: { matrix, y }, classes, binning, params: options.params, onProgress: options.onProgress, signal: options.signal }),
  );
}
