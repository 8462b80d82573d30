import type { Vector } from 'apache-arrow';

export interface EncodedLabels {
  /** Class index per row, into `classes`; -1 where the label is missing or not in `classes`. */
  y: Int32Array;
  classes: string[];
}

/**
 * A label column as class indices. Values are compared as text (`String(value)`), so numeric labels
 * work too. Without `classes` given, the classes are the distinct values sorted (as scikit-learn's
 * `LabelEncoder`); `map` renames values first (e.g. every attack name to `attack`).
 */
export function encodeLabels(
  vector: Vector,
  options: { classes?: readonly string[]; map?: (value: string) => string } = {},
): EncodedLabels {
  const n = vector.length;
  const text: (string | undefined)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v: unknown = vector.get(i);
    if (v === null || v === undefined) continue;
    const s = String(v);
    text[i] = options.map ? options.map(s) : s;
  }
  const classes = options.classes
    ? [...options.classes]
    : [...new Set(text.filter((s): s is string => s !== undefined))].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = text[i];
    y[i] = s === undefined ? -1 : (index.get(s) ?? -1);
  }
  return { y, classes };
}
