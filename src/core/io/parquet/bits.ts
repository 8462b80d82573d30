/** Bit helpers for Arrow validity and boolean bitmaps (LSB first), at arbitrary bit offsets. */

/** A bitmap of `length` bits, all set, padded to 8 bytes as Arrow likes. */
export function allSetBitmap(length: number): Uint8Array {
  const bits = new Uint8Array(((length + 63) >> 6) << 3);
  setBitRange(bits, 0, length);
  return bits;
}

/** Sets bits [from, to). */
export function setBitRange(bits: Uint8Array, from: number, to: number): void {
  let i = from;
  for (; i < to && i & 7; i++) bits[i >> 3]! |= 1 << (i & 7);
  const fullEnd = to & ~7;
  if (i < fullEnd) {
    bits.fill(0xff, i >> 3, fullEnd >> 3);
    i = fullEnd;
  }
  for (; i < to; i++) bits[i >> 3]! |= 1 << (i & 7);
}

/**
 * Copies n bits from src (starting at bit srcAt) into dst (starting at bit dstAt, whose bits are
 * zero) and returns how many of them were clear.
 */
export function copyBits(src: Uint8Array, srcAt: number, dst: Uint8Array, dstAt: number, n: number): number {
  let clear = 0;
  for (let i = 0; i < n; i++) {
    const s = srcAt + i;
    if ((src[s >> 3]! >> (s & 7)) & 1) {
      const d = dstAt + i;
      dst[d >> 3]! |= 1 << (d & 7);
    } else clear++;
  }
  return clear;
}
