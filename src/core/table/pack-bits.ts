/** Packs one byte per row (non-zero = set) into an Arrow bitmap, padded to 8 bytes. */
export function packBits(bytes: Uint8Array, length: number): Uint8Array {
  const bits = new Uint8Array(((length + 63) >> 6) << 3);
  for (let i = 0; i < length; i++) if (bytes[i]) bits[i >> 3]! |= 1 << (i & 7);
  return bits;
}
