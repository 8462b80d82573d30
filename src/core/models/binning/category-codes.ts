import { DataType, type Vector } from 'apache-arrow';

/**
 * A text column as one code per row (-1 for null) into `labels`. Dictionary columns are read from
 * their integer keys (one string per dictionary entry, not per row); each chunk may carry its own
 * dictionary, so entries are merged by their text.
 */
export function categoryCodes(vector: Vector): { codes: Int32Array; labels: string[] } {
  const codes = new Int32Array(vector.length).fill(-1);
  const labels: string[] = [];
  const index = new Map<string, number>();
  const codeOf = (s: string): number => {
    let c = index.get(s);
    if (c === undefined) {
      c = labels.length;
      index.set(s, c);
      labels.push(s);
    }
    return c;
  };
  let at = 0;
  for (const data of vector.data) {
    const n = data.length;
    const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
    const isNull = (i: number): boolean => {
      if (!bitmap) return false;
      const j = data.offset + i;
      return !((bitmap[j >> 3]! >> (j & 7)) & 1);
    };
    if (DataType.isDictionary(data.type) && data.dictionary) {
      const dict = data.dictionary;
      const remap = new Int32Array(dict.length).fill(-2);
      const keys = data.values as ArrayLike<number>;
      for (let i = 0; i < n; i++) {
        if (isNull(i)) continue;
        const k = Number(keys[data.offset + i]);
        if (remap[k] === -2) {
          const v: unknown = dict.get(k);
          remap[k] = v === null || v === undefined ? -1 : codeOf(String(v));
        }
        codes[at + i] = remap[k]!;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v: unknown = vector.get(at + i);
        if (v !== null && v !== undefined) codes[at + i] = codeOf(String(v));
      }
    }
    at += n;
  }
  return { codes, labels };
}

/**
 * A text column's values seen in the given rows, most frequent first, ties by text: independent
 * of the order the loader met the values in.
 */
export function categoriesByFrequency(vector: Vector, rows: ArrayLike<number>): string[] {
  return byFrequency(categoryCodes(vector), rows);
}

/** As `categoriesByFrequency`, from a column's `categoryCodes`. */
export function byFrequency({ codes, labels }: { codes: Int32Array; labels: string[] }, rows: ArrayLike<number>): string[] {
  const counts = new Float64Array(labels.length);
  for (let k = 0; k < rows.length; k++) {
    const c = codes[rows[k]!]!;
    if (c >= 0) counts[c]!++;
  }
  const seen = labels.map((_, c) => c).filter((c) => counts[c]! > 0);
  seen.sort((a, b) => counts[b]! - counts[a]! || (labels[a]! < labels[b]! ? -1 : labels[a]! > labels[b]! ? 1 : 0));
  return seen.map((c) => labels[c]!);
}
