import type { ColumnProfile, DataWarning, LabelBalance } from './types.ts';

/** Share of missing values above which a column is flagged. */
const MANY_MISSING = 0.5;
/** Largest-over-smallest class ratio above which the label is flagged as imbalanced. */
const IMBALANCE = 10;

export function columnWarnings(c: ColumnProfile, rows: number): DataWarning[] {
  const out: DataWarning[] = [];
  const at = (kind: DataWarning['kind'], message: string) => out.push({ column: c.name, kind, message: `${c.name}: ${message}` });
  if (rows > 0 && c.missing === rows) at('all-missing', 'every value is missing');
  else if (c.missing > MANY_MISSING * rows) at('many-missing', `${pct(c.missing / rows)} of values are missing`);
  if (c.constant && c.missing < rows) at('constant', 'has a single value; it carries no information');
  else if (c.nearConstant) at('near-constant', `one value covers ≥ 99% of rows`);
  const nonFinite = c.stats ? c.stats.nan + c.stats.posInf + c.stats.negInf : 0;
  if (nonFinite > 0) at('non-finite', `${nonFinite} NaN or infinite value(s)`);
  if (c.kind === 'string' && rows > 100 && c.distinct === rows - c.missing) at('unique-id', 'every value is different (an identifier?)');
  else if (c.kind === 'string' && c.distinct > 1000 && c.distinct > 0.5 * rows) at('high-cardinality', `${c.distinct} distinct values`);
  return out;
}

export function labelWarnings(label: LabelBalance): DataWarning[] {
  const out: DataWarning[] = [];
  const column = label.column;
  if (label.classes.length === 1) {
    out.push({ column, kind: 'single-class', message: `${column}: the label has a single class; a classifier needs at least two` });
  } else if (label.imbalanceRatio > IMBALANCE) {
    const rare = label.classes[label.classes.length - 1]!;
    out.push({
      column,
      kind: 'label-imbalance',
      message: `${column}: classes are imbalanced ${Math.round(label.imbalanceRatio)}:1 (rarest "${rare.value}": ${rare.count} rows); weight rare classes and judge by recall`,
    });
  }
  return out;
}

export function pct(x: number): string {
  return `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;
}
