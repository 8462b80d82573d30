/**
 * Raw Snappy (the block format Parquet pages use, no framing) into a caller's buffer. Every read
 * and copy is bounds-checked, so damaged input throws "snappy: corrupt input" instead of reading or
 * writing out of range.
 */
export function snappyUncompress(src: Uint8Array, start: number, end: number, out: Uint8Array, outLength: number): void {
  let pos = snappyLength(src, start, end, outLength);
  if (out.length < outLength) corrupt('output buffer too small');
  let op = 0;
  while (pos < end) {
    const tag = src[pos++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >>> 2;
      if (n >= 60) {
        const extra = n - 59;
        if (pos + extra > end) corrupt('a literal length runs past the end');
        n = 0;
        for (let k = 0; k < extra; k++) n += src[pos + k]! * 2 ** (8 * k);
        pos += extra;
      }
      n += 1;
      if (n > end - pos || n > outLength - op) corrupt('a literal runs past the end');
      if (n < 64) for (let k = 0; k < n; k++) out[op + k] = src[pos + k]!;
      else out.set(src.subarray(pos, pos + n), op);
      pos += n;
      op += n;
      continue;
    }
    let n: number;
    let offset: number;
    if (kind === 1) {
      if (pos >= end) corrupt('a copy runs past the end');
      n = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | src[pos++]!;
    } else if (kind === 2) {
      if (pos + 2 > end) corrupt('a copy runs past the end');
      n = (tag >>> 2) + 1;
      offset = src[pos]! | (src[pos + 1]! << 8);
      pos += 2;
    } else {
      if (pos + 4 > end) corrupt('a copy runs past the end');
      n = (tag >>> 2) + 1;
      offset = (src[pos]! | (src[pos + 1]! << 8) | (src[pos + 2]! << 16) | (src[pos + 3]! << 24)) >>> 0;
      pos += 4;
    }
    if (offset === 0 || offset > op || n > outLength - op) corrupt('a copy reaches outside the output');
    // An overlapping copy (offset < n) repeats a pattern, so it goes byte by byte (a run of one
    // byte, offset 1, is a fill).
    const from = op - offset;
    if (offset === 1) out.fill(out[from]!, op, op + n);
    else if (n >= 64 && offset >= n) out.copyWithin(op, from, from + n);
    else for (let k = 0; k < n; k++) out[op + k] = out[from + k]!;
    op += n;
  }
  if (op !== outLength) corrupt(`${op} bytes decoded, ${outLength} expected`);
}

/** Checks the block's length preamble against outLength; returns where its elements start. */
export function snappyLength(src: Uint8Array, start: number, end: number, outLength: number): number {
  let pos = start;
  let length = 0;
  let scale = 1;
  for (;;) {
    if (pos >= end || scale > 2 ** 28) corrupt('a bad length');
    const b = src[pos++]!;
    length += (b & 0x7f) * scale;
    if (b < 0x80) break;
    scale *= 128;
  }
  if (length !== outLength) corrupt(`${length} bytes, not the ${outLength} the page header says`);
  return pos;
}

export function corrupt(why: string): never {
  throw new Error(`snappy: corrupt input (${why})`);
}
