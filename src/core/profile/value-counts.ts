import { DataType, type Vector } from 'apache-arrow';
import type { ValueCount } from './types.ts';

/**
 * Counts of each distinct non-null value of a text column, most frequent first (ties by value).
 * Dictionary columns count codes per chunk and merge by text, so chunks with different
 * dictionaries agree.
 */
export function textValueCounts(vector: Vector): ValueCount[] {
  const counts = new Map<string, number>();
  let at = 0;
  for (const data of vector.data) {
    const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
    const off = data.offset;
    if (DataType.isDictionary(data.type) && data.dictionary) {
      const dict = data.dictionary;
      const perCode = new Float64Array(dict.length);
      const codes = data.values as ArrayLike<number>;
      for (let i = 0; i < data.length; i++) {
        const j = off + i;
        if (bitmap && !((bitmap[j >> 3]! >> (j & 7)) & 1)) continue;
        perCode[codes[j]!]!++;
      }
      perCode.forEach((c, k) => {
        if (c > 0) {
          const key = String(dict.get(k));
          counts.set(key, (counts.get(key) ?? 0) + c);
        }
      });
    } else {
      for (let i = 0; i < data.length; i++) {
        const j = off + i;
        if (bitmap && !((bitmap[j >> 3]! >> (j & 7)) & 1)) continue;
        const key = String(vector.get(at + i));
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    at += data.length;
  }
  return sortCounts(counts);
}

/** Counts of each distinct value among sorted finite numbers (runs of equal values). */
export function sortedValueCounts(sorted: Float64Array, format: (v: number) => string = String): ValueCount[] {
  const counts = new Map<string, number>();
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    counts.set(format(sorted[i]!), j - i);
    i = j;
  }
  return sortCounts(counts);
}

function sortCounts(counts: Map<string, number>): ValueCount[] {
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}
