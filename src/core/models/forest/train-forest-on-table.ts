import type { Table } from 'apache-arrow';
import { applyBinning } from '../binning/apply-binning.ts';
import { fitBinning } from '../binning/fit-binning.ts';
import { encodeLabels } from '../labels.ts';
import { trainForest } from './train-forest.ts';
import type { ForestModel, ForestParams, ForestProgress } from './types.ts';

export interface TrainForestOnTableOptions {
  label: string;
  /** Feature columns; every other column when absent. */
  features?: string[];
  maxBins?: number;
  params?: Partial<ForestParams>;
  onProgress?: (progress: ForestProgress) => void;
  signal?: AbortSignal;
}

export interface TrainedForestOnTable {
  model: ForestModel;
  features: string[];
  /** Binning and the forest: the whole fit, the data already in memory. */
  fitSeconds: number;
  /** Training rows left out because their label is missing. */
  unlabelledRows: number;
}

/**
 * The default recipe for a forest on a raw table, as `trainGbdtOnTable`: every column but the label
 * is a feature (numbers as they are, text as categories, binned on these rows only); rows without
 * a label are left out.
 */
export function trainForestOnTable(table: Table, options: TrainForestOnTableOptions): TrainedForestOnTable {
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
  const binning = fitBinning(table, { columns: features, maxBins: options.maxBins, rows });
  const matrix = applyBinning(table, binning, rows);
  const model = trainForest({
    train: { matrix, y: Int32Array.from(rows, (i) => y[i]!) },
    classes,
    binning,
    params: options.params,
    onProgress: options.onProgress,
    signal: options.signal,
  });
  return { model, features, fitSeconds: (performance.now() - t0) / 1000, unlabelledRows: y.length - rows.length };
}
