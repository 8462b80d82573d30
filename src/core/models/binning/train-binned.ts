import type { Table } from 'apache-arrow';
import { encodeLabels } from '../labels.ts';
import { trainingRows, type TrainedOnTable } from '../training-rows.ts';
import { applyBinning, fitAndApplyBinning } from './apply-binning.ts';
import type { FeatureMatrix, FittedBinning } from './types.ts';

export interface BinnedTraining {
  matrix: FeatureMatrix;
  y: Int32Array;
  classes: string[];
  binning: FittedBinning;
  /** The validation table's labelled rows of a known class, binned with the training binning. */
  validation?: { matrix: FeatureMatrix; y: Int32Array };
}

/**
 * The default recipe for trees on a raw table: every column but the label is a feature (numbers
 * as they are, text as categories), binned on the labelled training rows only, then `fit`.
 */
export async function trainBinnedOnTable<M>(
  table: Table,
  options: { label: string; features?: string[]; maxBins?: number; validation?: Table },
  fit: (training: BinnedTraining) => M | Promise<M>,
): Promise<TrainedOnTable<M>> {
  const { features, classes, rows, y, unlabelledRows } = trainingRows(table, options.label, options.features);
  const t0 = performance.now();
  const { binning, matrix } = fitAndApplyBinning(table, { columns: features, maxBins: options.maxBins, rows });
  const validation = options.validation && validationRows(options.validation, options.label, classes, binning);
  const model = await fit({ matrix, y, classes, binning, validation });
  return { model, features, fitSeconds: (performance.now() - t0) / 1000, unlabelledRows };
}

function validationRows(table: Table, label: string, classes: string[], binning: FittedBinning): BinnedTraining['validation'] {
  const labels = table.getChild(label);
  if (!labels) throw new Error(`the validation data has no label column "${label}"`);
  const encoded = encodeLabels(labels, { classes });
  const rows: number[] = [];
  for (let i = 0; i < encoded.y.length; i++) if (encoded.y[i]! >= 0) rows.push(i);
  if (rows.length === 0) return undefined;
  return { matrix: applyBinning(table, binning, rows), y: Int32Array.from(rows, (i) => encoded.y[i]!) };
}
