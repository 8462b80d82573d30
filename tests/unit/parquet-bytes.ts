/** A deterministic pseudo-random sequence in [0, 1), so generated inputs are the same on every run. */
export const rand = (seed: number) => (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);

/** Appends v as an unsigned LEB128 varint (Snappy's length, hybrid run headers). */
export function varint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}
