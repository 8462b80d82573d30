/**
 * Parquet's RLE / bit-packed hybrid encoding (definition levels, dictionary indices, RLE booleans):
 * runs of one repeated value, and groups of 8 values packed LSB first at a fixed bit width.
 */

/** Long runs of one value, as (start, length, value) triples, so a caller can fill rather than look up. */
export class RunList {
  data = new Int32Array(3 * 64);
  count = 0;

  add(start: number, length: number, value: number): void {
    const at = 3 * this.count++;
    if (at + 3 > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[at] = start;
    this.data[at + 1] = length;
    this.data[at + 2] = value;
  }
}

/** Runs shorter than this are not worth listing. */
const LONG_RUN = 16;

/**
 * Decodes `count` values of `bitWidth` bits from bytes[pos, end) into out[0, count) and returns the
 * position after the last run read; runs of LONG_RUN or more go into `runs` too, when given. The
 * last bit-packed run may hold padding beyond count.
 */
export function decodeHybrid(
  bytes: Uint8Array,
  pos: number,
  end: number,
  bitWidth: number,
  count: number,
  out: Int32Array,
  runs: RunList | null = null,
): number {
  if (bitWidth > 32) throw new Error(`a bit width of ${bitWidth}`);
  const valueBytes = (bitWidth + 7) >> 3;
  let i = 0;
  while (i < count) {
    // Run header: an unsigned varint.
    let header = 0;
    let scale = 1;
    for (;;) {
      if (pos >= end) throw new Error('RLE data ends early');
      const b = bytes[pos++]!;
      header += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 128;
      if (scale > 2 ** 35) throw new Error('a bad RLE run header');
    }
    if (header % 2 === 0) {
      const n = Math.min(header / 2, count - i);
      if (pos + valueBytes > end) throw new Error('RLE data ends early');
      let v = 0;
      for (let k = 0; k < valueBytes; k++) v += bytes[pos + k]! * 2 ** (8 * k);
      pos += valueBytes;
      out.fill(v, i, i + n);
      if (runs && n >= LONG_RUN) runs.add(i, n, v);
      i += n;
    } else {
      const groups = (header - 1) / 2;
      const n = Math.min(groups * 8, count - i);
      const size = groups * bitWidth;
      // Writers may cut the final group short: read only the bytes that hold the values needed.
      const need = Math.ceil((n * bitWidth) / 8);
      if (pos + need > end) throw new Error('bit-packed data ends early');
      unpack(bytes, pos, bitWidth, n, out, i);
      pos += Math.min(size, end - pos);
      i += n;
    }
  }
  return pos;
}

/** n values of width w packed LSB first from bytes[pos…] into out[at…]. */
export function unpack(bytes: Uint8Array, pos: number, w: number, n: number, out: Int32Array, at: number): void {
  if (w === 0) {
    out.fill(0, at, at + n);
    return;
  }
  if (w === 1) {
    let i = 0;
    for (; i + 8 <= n; i += 8) {
      const b = bytes[pos++]!;
      out[at + i] = b & 1;
      out[at + i + 1] = (b >> 1) & 1;
      out[at + i + 2] = (b >> 2) & 1;
      out[at + i + 3] = (b >> 3) & 1;
      out[at + i + 4] = (b >> 4) & 1;
      out[at + i + 5] = (b >> 5) & 1;
      out[at + i + 6] = (b >> 6) & 1;
      out[at + i + 7] = b >> 7;
    }
    for (let k = 0; i < n; i++, k++) out[at + i] = (bytes[pos]! >> k) & 1;
    return;
  }
  if (w === 8) {
    for (let i = 0; i < n; i++) out[at + i] = bytes[pos + i]!;
    return;
  }
  if (w <= 24) {
    const mask = (1 << w) - 1;
    let i = 0;
    if (w < 8) {
      // Eight values fill w bytes: read them as two 32-bit words and cut (2–3× the bit loop below).
      for (; i + 8 <= n; i += 8, pos += w) {
        const lo = bytes[pos]! | (bytes[pos + 1]! << 8) | (bytes[pos + 2]! << 16) | (bytes[pos + 3]! << 24);
        const hi = bytes[pos + 4]! | (bytes[pos + 5]! << 8) | (bytes[pos + 6]! << 16);
        for (let k = 0, s = 0; k < 8; k++, s += w) {
          out[at + i + k] = (s + w <= 32 ? lo >>> s : s >= 32 ? hi >>> (s - 32) : (lo >>> s) | (hi << (32 - s))) & mask;
        }
      }
    }
    // A bit buffer of at most w + 7 ≤ 31 bits stays a small integer.
    let buf = 0;
    let bits = 0;
    for (; i < n; i++) {
      while (bits < w) {
        buf |= bytes[pos++]! << bits;
        bits += 8;
      }
      out[at + i] = buf & mask;
      buf >>>= w;
      bits -= w;
    }
    return;
  }
  // Wide indices (dictionaries beyond 2^24 entries): bit by bit through numbers.
  let bit = pos * 8;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let k = 0; k < w; k++, bit++) if ((bytes[bit >> 3]! >> (bit & 7)) & 1) v += 2 ** k;
    out[at + i] = v;
  }
}
