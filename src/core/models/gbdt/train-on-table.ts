import type { Table } from 'apache-arrow';
import { applyBinning } from '../binning/apply-binning.ts';
import { fitBinning } from '../binning/fit-binning.ts';
import { trainingRows } from '../training-rows.ts';
import { trainGbdt, type GbdtProgress } from './train-gbdt.ts';
import type { GbdtModel, GbdtParams } from './types.ts';

export interface TrainOnTableOptions {
  label: string;
  /** Feature columns; every other column when absent. */
  features?: string[];
  maxBins?: number;
  params?: Partial<GbdtParams>;
  onProgress?: (progress: GbdtProgress) => void;
  signal?: AbortSignal;
}

export interface TrainedOnTable {
  model: GbdtModel;
  features: string[];
  /** Binning and boosting: the whole fit, the data already in memory. */
  fitSeconds: number;
  /** Training rows left out because their label is missing. */
  unlabelledRows: number;
}

/**
 * The default recipe for trees on a raw table: every column but the label is a feature (numbers
 * as they are, text as categories, binned on these rows only); rows without a label are left out.
 */
export function trainGbdtOnTable(table: Table, options: TrainOnTableOptions): TrainedOnTable {
  const { features, classes, rows, y, unlabelledRows } = trainingRows(table, options.label, options.features);
  const t0 = performance.now();
  const binning = fitBinning(table, { columns: features, maxBins: options.maxBins, rows });
  const matrix = applyBinning(table, binning, rows);
  const model = trainGbdt({
    train: { matrix, y },
    classes,
    binning,
    params: options.params,
    onProgress: options.onProgress,
    signal: options.signal,
  });
  return { model, features, fitSeconds: (performance.now() - t0) / 1000, unlabelledRows };
}
