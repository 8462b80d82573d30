import type { Table } from 'apache-arrow';
import { trainBinnedOnTable } from '../binning/train-binned.ts';
import type { TrainedOnTable, TrainOnTableOptions } from '../training-rows.ts';
import type { GrowerFactory } from './grower.ts';
import { trainGbdt, type GbdtProgress } from './train-gbdt.ts';
import type { GbdtModel, GbdtParams } from './types.ts';

/** Gradient-boosted trees on a raw table, through the default tree recipe. */
export function trainGbdtOnTable(
  table: Table,
  options: TrainOnTableOptions<GbdtParams, GbdtProgress> & { grower?: GrowerFactory },
): Promise<TrainedOnTable<GbdtModel>> {
  return trainBinnedOnTable(table, options, ({ matrix, y, classes, binning, validation }) =>
    trainGbdt({
      train: { matrix, y },
      validation,
      classes,
      binning,
      params: options.params,
      onProgress: options.onProgress,
      signal: options.signal,
      grower: options.grower,
    }),
  );
}
