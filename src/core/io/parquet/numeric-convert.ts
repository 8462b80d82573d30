/**
 * 64-bit integers without a BigInt per value: a BigInt64Array is read and written as pairs of
 * 32-bit words (little-endian), which is an order of magnitude faster than Number(bigint).
 */

const TWO_32 = 4294967296;

/**
 * Writes n 64-bit integers (signed or not), scaled, into out[at…] as float64 and returns how many
 * lay beyond 2^53, where float64 no longer holds every integer.
 */
export function int64ToFloat64(
  src: BigInt64Array | BigUint64Array,
  from: number,
  n: number,
  signed: boolean,
  out: Float64Array,
  at: number,
  scale = 1,
): number {
  const lo = new Uint32Array(src.buffer, src.byteOffset + from * 8, n * 2);
  const hiWords = signed ? new Int32Array(src.buffer, src.byteOffset + from * 8, n * 2) : lo;
  let inexact = 0;
  for (let i = 0; i < n; i++) {
    const hi = hiWords[2 * i + 1]!;
    // |hi| ≥ 2^21 ⇔ |value| ≥ 2^53 (up to the last few values below it, which are rare and harmless).
    if (hi >= 0x200000 || hi < -0x200000) inexact++;
    out[at + i] = (hi * TWO_32 + lo[2 * i]!) * scale;
  }
  return inexact;
}

/** Whole milliseconds (float64, |ms| < 2^53) into a BigInt64Array's storage, as pairs of words. */
export function float64ToInt64(ms: Float64Array, length: number): BigInt64Array {
  const out = new BigInt64Array(length);
  const words = new Int32Array(out.buffer);
  for (let i = 0; i < length; i++) {
    const v = Math.floor(ms[i]!);
    const hi = Math.floor(v / TWO_32);
    words[2 * i] = v - hi * TWO_32;
    words[2 * i + 1] = hi;
  }
  return out;
}

/**
 * Decimals of any width (32…256 bits, two's complement, little-endian words) as float64 values:
 * exact up to 15 significant digits, which is what profiles and models need.
 */
export function decimalToFloat64(words: Uint32Array, stride: number, from: number, n: number, scale: number, out: Float64Array, at: number): void {
  const div = 10 ** scale;
  for (let i = 0; i < n; i++) {
    const base = (from + i) * stride;
    let v = words[base + stride - 1]! | 0;
    for (let k = stride - 2; k >= 0; k--) v = v * TWO_32 + words[base + k]!;
    out[at + i] = v / div;
  }
}

/** IEEE half-precision floats (as their 16-bit patterns) to float64. */
export function float16ToFloat64(halves: Uint16Array, from: number, n: number, out: Float64Array, at: number): void {
  for (let i = 0; i < n; i++) {
    const h = halves[from + i]!;
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    out[at + i] = exp === 0 ? sign * frac * 2 ** -24 : exp === 31 ? (frac ? NaN : sign * Infinity) : sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
}
