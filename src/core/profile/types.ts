/** The profile of a loaded table: plain JSON, rendered by the UI, printed by the CLI, stored by notebooks. */

export type ColumnKind = 'int' | 'float' | 'bool' | 'timestamp' | 'string';

export interface NumericStats {
  min: number;
  max: number;
  mean: number;
  std: number;
  /** Quantiles of the finite values at p = 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99. */
  quantiles: { p: number; value: number }[];
  zeros: number;
  nan: number;
  posInf: number;
  negInf: number;
}

export interface Histogram {
  /** counts.length + 1 edges; bins are [edges[i], edges[i+1]), the last one closed. */
  edges: number[];
  counts: number[];
}

export interface ValueCount {
  value: string;
  count: number;
}

export interface DataWarning {
  column?: string;
  kind:
    | 'constant'
    | 'near-constant'
    | 'all-missing'
    | 'many-missing'
    | 'non-finite'
    | 'high-cardinality'
    | 'duplicates'
    | 'unique-id'
    | 'label-imbalance'
    | 'single-class'
    | 'too-many-columns';
  message: string;
}

export interface ColumnProfile {
  name: string;
  kind: ColumnKind;
  /** The Arrow type, as Arrow prints it. */
  arrowType: string;
  missing: number;
  distinct: number;
  /** Numeric and timestamp columns (timestamps in epoch milliseconds). */
  stats?: NumericStats;
  histogram?: Histogram;
  /** Most frequent values, most frequent first (strings, booleans, and numbers with few values). */
  top?: ValueCount[];
  constant: boolean;
  nearConstant: boolean;
}

export interface LabelBalance {
  column: string;
  classes: ValueCount[];
  missing: number;
  /** Count of the largest class over the smallest. */
  imbalanceRatio: number;
}

export interface Correlations {
  columns: string[];
  /** Pearson correlation, row-major, columns.length² values; NaN where a column is constant. */
  matrix: number[];
  /** True when only some numeric columns are included. */
  truncated: boolean;
}

export interface TableProfile {
  rows: number;
  columns: ColumnProfile[];
  label: LabelBalance | null;
  /** Columns that look like labels, best guess first. */
  labelCandidates: string[];
  correlations: Correlations;
  duplicateRows: number;
  warnings: DataWarning[];
  seconds: number;
}
