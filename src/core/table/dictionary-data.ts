import { Dictionary, Int32, Utf8, makeData, makeVector, type Data } from 'apache-arrow';
import type { ByteDictionary } from './byte-dictionary.ts';
import { GrowableArray } from './growable.ts';

type Common = { length: number; nullCount: number; nullBitmap: Uint8Array | undefined };

/** A Dictionary<Utf8, Int32> column from a byte dictionary and per-row codes. */
export function dictionaryData(dict: ByteDictionary, codes: Int32Array, latin1: boolean, common: Common): Data {
  let bytes: Uint8Array = dict.bytes.take();
  let offsets: Int32Array = dict.offsets.take();
  if (latin1) [bytes, offsets] = latin1ToUtf8(bytes, offsets);
  return dictionaryDataOf(bytes, offsets, dict.size, codes, common);
}

/** The same from a dictionary's UTF-8 entries already taken out (bytes, offsets): e.g. sent from another thread. */
export function dictionaryDataOf(bytes: Uint8Array, offsets: Int32Array, size: number, codes: Int32Array, common: Common): Data {
  const values = makeData({ type: new Utf8(), length: size, nullCount: 0, valueOffsets: offsets, data: bytes });
  const type = new Dictionary(new Utf8(), new Int32());
  return makeData({ type, ...common, data: codes, dictionary: makeVector(values) });
}

export function latin1ToUtf8(bytes: Uint8Array, offsets: Int32Array): [Uint8Array, Int32Array] {
  const out = new GrowableArray(Uint8Array, bytes.length + 16);
  const next = new Int32Array(offsets.length);
  for (let k = 0; k + 1 < offsets.length; k++) {
    for (let i = offsets[k]!; i < offsets[k + 1]!; i++) {
      const c = bytes[i]!;
      if (c < 0x80) out.push(c);
      else {
        out.push(0xc0 | (c >> 6));
        out.push(0x80 | (c & 0x3f));
      }
    }
    next[k + 1] = out.length;
  }
  return [out.take(), next];
}
