import type { RunList } from './hybrid.ts';

/**
 * Looks dictionary indices up into a column, in 32-bit words: `words` words per value (1 for
 * Int32 / Float32 / codes, 2 for Float64), so one monomorphic loop serves every value type and
 * copies bit patterns exactly. Runs listed in `runs` are filled with their one value.
 */
export function gatherWords(indices: Int32Array, n: number, runs: RunList, dict: Int32Array, words: 1 | 2, out: Int32Array, at: number): void {
  const size = dict.length / words;
  const r = runs.data;
  let i = 0;
  for (let k = 0; k < runs.count; k++) {
    const start = r[3 * k]!;
    const length = r[3 * k + 1]!;
    gatherRange(indices, i, start, dict, size, words, out, at);
    const v = r[3 * k + 2]!;
    if (v >>> 0 >= size) throw new Error(`dictionary index ${v >>> 0} of ${size} entries`);
    if (words === 1) out.fill(dict[v]!, at + start, at + start + length);
    else {
      // A Float64Array fill: a native loop, several times faster than storing word pairs.
      const value = new Float64Array(dict.buffer, dict.byteOffset + 8 * v, 1)[0]!;
      new Float64Array(out.buffer, out.byteOffset + 8 * (at + start), length).fill(value);
    }
    i = start + length;
  }
  gatherRange(indices, i, n, dict, size, words, out, at);
}

function gatherRange(indices: Int32Array, from: number, to: number, dict: Int32Array, size: number, words: 1 | 2, out: Int32Array, at: number): void {
  if (words === 1) {
    for (let i = from; i < to; i++) {
      const k = indices[i]!;
      if (k >>> 0 >= size) throw new Error(`dictionary index ${k >>> 0} of ${size} entries`);
      out[at + i] = dict[k]!;
    }
  } else {
    for (let i = from; i < to; i++) {
      const k = indices[i]!;
      if (k >>> 0 >= size) throw new Error(`dictionary index ${k >>> 0} of ${size} entries`);
      out[2 * (at + i)] = dict[2 * k]!;
      out[2 * (at + i) + 1] = dict[2 * k + 1]!;
    }
  }
}
