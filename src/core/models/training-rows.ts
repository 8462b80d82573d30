import type { Table } from 'apache-arrow';
import { encodeLabels } from './labels.ts';

export interface TrainingRows {
  /** Feature columns: those asked for, or every column but the label. */
  features: string[];
  classes: string[];
  /** The labelled rows (indices into the table) and their class indices. */
  rows: number[];
  y: Int32Array;
  /** Rows left out because their label is missing. */
  unlabelledRows: number;
}

/**
 * What every model's default recipe starts from: the label checked and encoded, rows without a
 * label left out, and clear refusals for a missing label column, no features or a single class.
 */
export function trainingRows(table: Table, label: string, features?: string[]): TrainingRows {
  const labels = table.getChild(label);
  if (!labels) throw new Error(`no label column "${label}" (columns: ${table.schema.fields.map((f) => f.name).slice(0, 12).join(', ')})`);
  const chosen = features ?? table.schema.fields.map((f) => f.name).filter((name) => name !== label);
  if (chosen.length === 0) throw new Error('there are no feature columns besides the label');
  const encoded = encodeLabels(labels);
  const rows: number[] = [];
  for (let i = 0; i < encoded.y.length; i++) if (encoded.y[i]! >= 0) rows.push(i);
  if (rows.length === 0) throw new Error(`the label "${label}" is missing on every training row`);
  const { classes } = encoded;
  if (classes.length < 2) {
    throw new Error(`the label "${label}" has a single class ("${classes[0]}") in the training rows; a classifier needs at least two`);
  }
  return { features: chosen, classes, rows, y: Int32Array.from(rows, (i) => encoded.y[i]!), unlabelledRows: encoded.y.length - rows.length };
}

/** Options every model's table-level training takes; P its parameters, G its progress report. */
export interface TrainOnTableOptions<P, G> {
  label: string;
  /** Feature columns; every other column when absent. */
  features?: string[];
  /** Trees only: bins per feature (2 … 256). */
  maxBins?: number;
  params?: Partial<P>;
  /** Rows to report a validation loss on while training (GBDT also stops early on it). */
  validation?: Table;
  onProgress?: (progress: G) => void;
  signal?: AbortSignal;
}

export interface TrainedOnTable<M> {
  model: M;
  features: string[];
  /** The recipe's fit and the model's: the whole fit, the data already in memory. */
  fitSeconds: number;
  /** Training rows left out because their label is missing. */
  unlabelledRows: number;
}
