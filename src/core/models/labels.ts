import { DataType, type Data, type Vector } from 'apache-arrow';

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
  if (DataType.isDictionary(vector.type)) return encodeDictionaryLabels(vector, options);
  if (plainNumbers(vector.type)) return encodeNumberLabels(vector, options);
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

/** Ints up to 32 bits and Float32/64: `get` gives the typed array's number, whose text is the label's. */
function plainNumbers(type: DataType): boolean {
  return (DataType.isInt(type) && type.bitWidth <= 32) || (DataType.isFloat(type) && type.precision > 0);
}

/**
 * encodeLabels for a column of plain numbers (phishing's −1 / 1): each distinct number's text is
 * made once, rows read from the typed arrays, instead of `get` and a string per row. The same
 * classes and indices (a Map keys −0 as 0 and NaN as NaN, as their text does).
 */
function encodeNumberLabels(vector: Vector, options: { classes?: readonly string[]; map?: (value: string) => string }): EncodedLabels {
  const chunks = vector.data as Data[];
  // Each distinct number's text, made once.
  const texts = new Map<number, string>();
  for (const data of chunks) {
    forEachCode(data, (_, v) => {
      if (!texts.has(v)) texts.set(v, options.map ? options.map(String(v)) : String(v));
    });
  }
  const classes = options.classes ? [...options.classes] : [...new Set(texts.values())].sort();
  const index = new Map(classes.map((c, k) => [c, k]));
  const classOf = new Map([...texts].map(([v, s]) => [v, index.get(s) ?? -1]));
  const y = new Int32Array(vector.length).fill(-1);
  let at = 0;
  for (const data of chunks) {
    forEachCode(data, (i, v) => (y[at + i] = classOf.get(v)!));
    at += data.length;
  }
  return { y, classes };
}

/**
 * encodeLabels for a dictionary-coded column (text labels as loaded): each chunk's dictionary
 * entries are read once and its codes mapped through them, instead of a string per row. The same
 * classes (the entries some row uses, after `map`, sorted) and indices.
 */
function encodeDictionaryLabels(vector: Vector, options: { classes?: readonly string[]; map?: (value: string) => string }): EncodedLabels {
  const chunks = vector.data as Data[];
  // Per chunk: its entries' text, and which of them some valid row uses.
  const entries = chunks.map((data) => {
    const dict = data.dictionary!;
    const texts = Array.from({ length: dict.length }, (_, k) => {
      const v: unknown = dict.get(k);
      if (v === null || v === undefined) return undefined;
      const s = String(v);
      return options.map ? options.map(s) : s;
    });
    const used = new Uint8Array(dict.length);
    forEachCode(data, (_, code) => (used[code] = 1));
    return { texts, used };
  });
  const classes = options.classes
    ? [...options.classes]
    : [...new Set(entries.flatMap(({ texts, used }) => texts.filter((t, k): t is string => t !== undefined && used[k] === 1)))].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  const y = new Int32Array(vector.length).fill(-1);
  let at = 0;
  chunks.forEach((data, j) => {
    const of = Int32Array.from(entries[j]!.texts, (t) => (t === undefined ? -1 : (index.get(t) ?? -1)));
    forEachCode(data, (i, code) => (y[at + i] = of[code]!));
    at += data.length;
  });
  return { y, classes };
}

/** Calls visit(row, value) for the chunk's valid rows: a dictionary's codes, or plain numbers. */
function forEachCode(data: Data, visit: (row: number, code: number) => void): void {
  const codes = data.values as ArrayLike<number | bigint>;
  const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
  const off = data.offset;
  for (let i = 0; i < data.length; i++) {
    const j = off + i;
    if (bitmap && !((bitmap[j >> 3]! >> (j & 7)) & 1)) continue;
    visit(i, Number(codes[j]!));
  }
}
