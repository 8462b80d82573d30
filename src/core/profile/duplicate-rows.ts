import { DataType, type Table } from 'apache-arrow';
import { numericValues } from '../table/numeric-values.ts';

/**
 * Exact duplicate rows: rows whose every value equals an earlier row's. Each row is hashed to
 * 53 bits from two independent 32-bit hashes; a false match needs a 53-bit collision.
 */
export function duplicateRows(table: Table): number {
  const n = table.numRows;
  const h1 = new Uint32Array(n).fill(0x811c9dc5);
  const h2 = new Uint32Array(n).fill(0x9e3779b9);
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  table.schema.fields.forEach((field, c) => {
    const vector = table.getChildAt(c)!;
    if (DataType.isDictionary(field.type) || DataType.isUtf8(field.type) || DataType.isLargeUtf8(field.type)) {
      let at = 0;
      for (const data of vector.data) {
        const dict = data.dictionary;
        const keyHash = dict ? Array.from({ length: dict.length }, (_, k) => stringHash(String(dict.get(k)))) : null;
        const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
        for (let i = 0; i < data.length; i++) {
          const j = data.offset + i;
          const isNull = bitmap && !((bitmap[j >> 3]! >> (j & 7)) & 1);
          const h = isNull ? 0x5bd1e995 : keyHash ? keyHash[(data.values as Int32Array)[j]!]! : stringHash(String(vector.get(at + i)));
          mix(at + i, h, h ^ 0x27d4eb2d);
        }
        at += data.length;
      }
      return;
    }
    const { values, valid } = numericValues(vector);
    for (let i = 0; i < n; i++) {
      if (!valid[i]) mix(i, 0x5bd1e995, 0x7feb352d);
      else {
        f64[0] = values[i]!;
        mix(i, u32[0]!, u32[1]!);
      }
    }
  });
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) seen.add((h1[i]! >>> 0) * 2097152 + (h2[i]! & 0x1fffff));
  return n - seen.size;

  /** Folds one value (two 32-bit words) into row i's hashes, order-dependently. */
  function mix(i: number, a: number, b: number): void {
    const x = fmix32(a ^ Math.imul(b, 0x9e3779b1));
    const y = fmix32(b ^ Math.imul(a, 0x85ebca6b) ^ 0x27d4eb2d);
    h1[i] = Math.imul(((h1[i]! << 5) | (h1[i]! >>> 27)) ^ x, 0x01000193);
    h2[i] = fmix32(h2[i]! + y);
  }
}

/** MurmurHash3's finaliser: every input bit affects every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
