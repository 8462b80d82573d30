import type { Table } from 'apache-arrow';
import { trainingRows, type TrainedOnTable } from '../training-rows.ts';
import { applyBinning } from './apply-binning.ts';
import { fitBinning } from './fit-binning.ts';
import type { FeatureMatrix, FittedBinning } from './types.ts';

export interface BinnedTraining {
  matrix: FeatureMatrix;
  y: Int32Array;
  classes: string[];
  binning: FittedBinning;
}

/**
 * The default recipe for trees on a raw table: every column but the label is a feature (numbers
 * as they are, text as categories), binned on the labelled training rows only, then `fit`.
 */
export function trainBinnedOnTable<M>(
  table: Table,
  options: { label: string; features?: string[]; maxBins?: number },
  fit: (training: BinnedTraining) => M,
): TrainedOnTable<M> {
  const { features, classes, rows, y, unlabelledRows } = trainingRows(table, options.label, options.features);
  const t0 = performance.now();
  const binning = fitBinning(table, { columns: features, maxBins: options.maxBins, rows });
  const model = fit({ matrix: applyBinning(table, binning, rows), y, classes, binning });
  return { model, features, fitSeconds: (performance.now() - t0) / 1000, unlabelledRows };
}
