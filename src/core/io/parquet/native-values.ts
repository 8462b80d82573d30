import type { ByteDictionary } from '../../table/byte-dictionary.ts';
import type { NumberArray } from './column-assembler.ts';
import type { Convert } from './native-schema.ts';
import { int64ToFloat64 } from './numeric-convert.ts';
import { TextCoder } from './text-coder.ts';

/** What PLAIN decoding needs of its column: the conversion, a timestamp scale, the text dictionary. */
export interface PlainTarget {
  convert: Convert;
  scale: number;
  dict: ByteDictionary;
  /** Incremented per 64-bit integer beyond 2^53 (int64 / uint64 only). */
  inexact: number;
}

const BYTES_PER_VALUE: Record<Convert, number> = {
  bool: 0,
  int32: 4,
  uint32: 4,
  date: 4,
  int64: 8,
  uint64: 8,
  timestamp: 8,
  float: 4,
  double: 8,
  bytes: 4,
};

/**
 * Decodes n PLAIN values at bytes[pos, end) into out[at…] in the column's value type (0 / 1 bytes
 * for bool, dictionary codes for text) and returns the position after them.
 */
export function decodePlain(t: PlainTarget, bytes: Uint8Array, pos: number, end: number, n: number, out: NumberArray, at: number): number {
  const convert = t.convert;
  if (convert === 'bytes') return plainBytes(t.dict, bytes, pos, end, n, out as Int32Array, at);
  if (convert === 'bool') {
    if (pos + Math.ceil(n / 8) > end) throw new Error('the page ends before its values');
    for (let i = 0; i < n; i++) out[at + i] = (bytes[pos + (i >> 3)]! >> (i & 7)) & 1;
    return pos + Math.ceil(n / 8);
  }
  const size = BYTES_PER_VALUE[convert];
  if (pos + n * size > end) throw new Error('the page ends before its values');
  const buffer = aligned(bytes, pos, n * size, size);
  const offset = buffer === bytes.buffer ? bytes.byteOffset + pos : 0;
  switch (convert) {
    case 'int32':
      out.set(new Int32Array(buffer, offset, n), at);
      break;
    case 'uint32':
      out.set(new Uint32Array(buffer, offset, n), at);
      break;
    case 'date': {
      const days = new Int32Array(buffer, offset, n);
      for (let i = 0; i < n; i++) out[at + i] = days[i]! * 86_400_000;
      break;
    }
    case 'float':
      out.set(new Float32Array(buffer, offset, n), at);
      break;
    case 'double':
      out.set(new Float64Array(buffer, offset, n), at);
      break;
    default: {
      const inexact = int64ToFloat64(new BigInt64Array(buffer, offset, n), 0, n, convert !== 'uint64', out as Float64Array, at, t.scale);
      if (convert !== 'timestamp') t.inexact += inexact;
    }
  }
  return pos + n * size;
}

/** The buffer to view bytes[pos, pos+length) through with elements of `size` bytes: the same, or an aligned copy. */
function aligned(bytes: Uint8Array, pos: number, length: number, size: number): ArrayBuffer {
  if ((bytes.byteOffset + pos) % size === 0) return bytes.buffer as ArrayBuffer;
  return bytes.slice(pos, pos + length).buffer;
}

/** BYTE_ARRAY values (a 4-byte length, then the bytes) coded into the column's dictionary. */
function plainBytes(dict: ByteDictionary, bytes: Uint8Array, pos: number, end: number, n: number, codes: Int32Array, at: number): number {
  const coder = new TextCoder(dict);
  for (let i = 0; i < n; i++) {
    if (pos + 4 > end) throw new Error('the page ends before its values');
    const len = (bytes[pos]! | (bytes[pos + 1]! << 8) | (bytes[pos + 2]! << 16) | (bytes[pos + 3]! << 24)) >>> 0;
    if (len > end - pos - 4) throw new Error('a text value runs past its page');
    codes[at + i] = coder.code(bytes, pos + 4, pos + 4 + len);
    pos += 4 + len;
  }
  return pos;
}

/** A dictionary page's n entries in the column's value type, and which 64-bit ones are inexact. */
export function decodeDictionary(
  t: PlainTarget,
  Ctor: new (n: number) => NumberArray,
  bytes: Uint8Array,
  pos: number,
  end: number,
  n: number,
): { values: NumberArray; inexact: Uint8Array | null } {
  const values = new Ctor(n);
  const before = t.inexact;
  decodePlain(t, bytes, pos, end, n, values, 0);
  if (t.inexact === before) return { values, inexact: null };
  // Rows count as inexact, not entries: flag the entries, counted per row by gather.
  t.inexact = before;
  const flags = new Uint8Array(n);
  const one = new Float64Array(1);
  for (let k = 0; k < n; k++) {
    const probe = { ...t, inexact: 0 };
    decodePlain(probe, bytes, pos + 8 * k, end, 1, one, 0);
    flags[k] = probe.inexact;
  }
  return { values, inexact: flags };
}

/** A text dictionary page's entries: the page's bytes (a copy) and each entry's [start, end) in them. */
export function decodeTextEntries(bytes: Uint8Array, pos: number, end: number, n: number): { bytes: Uint8Array; bounds: Int32Array } {
  const bounds = new Int32Array(2 * n);
  const start = pos;
  for (let k = 0; k < n; k++) {
    if (pos + 4 > end) throw new Error('the dictionary page ends before its values');
    const len = (bytes[pos]! | (bytes[pos + 1]! << 8) | (bytes[pos + 2]! << 16) | (bytes[pos + 3]! << 24)) >>> 0;
    if (len > end - pos - 4) throw new Error('a text value runs past its page');
    bounds[2 * k] = pos + 4 - start;
    bounds[2 * k + 1] = pos + 4 + len - start;
    pos += 4 + len;
  }
  return { bytes: bytes.slice(start, pos), bounds };
}
