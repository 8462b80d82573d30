import { describe, expect, it } from 'vitest';
import { decodeHybrid, unpack } from '../../src/core/io/parquet/hybrid.ts';
import { snappyUncompress } from '../../src/core/io/parquet/snappy.ts';
import { ThriftReader } from '../../src/core/io/parquet/thrift.ts';

let seed = 12345;
const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => next() >>> 24);

/** The value of bits [at, at + w) of bytes, LSB first: the definition the decoders must meet. */
function bitsAt(bytes: Uint8Array, at: number, w: number): number {
  let v = 0;
  for (let k = 0; k < w; k++) v += ((bytes[(at + k) >> 3]! >> ((at + k) & 7)) & 1) * 2 ** k;
  return v;
}

describe('Native Parquet pieces', () => {
  it('bit-unpacks every width from 0 to 32, whole groups and cut ones', () => {
    const bytes = randomBytes(600);
    for (let w = 0; w <= 32; w++) {
      for (const n of [1, 7, 8, 9, 64, 101]) {
        const out = new Int32Array(n + 3).fill(-7);
        unpack(bytes, 5, w, n, out, 3);
        const want = Array.from({ length: n }, (_, i) => bitsAt(bytes, 40 + i * w, w) | 0);
        expect([w, n, [...out.subarray(3)]]).toEqual([w, n, want]);
      }
    }
  });

  it('decodes RLE and bit-packed runs, and stops at damaged ones', () => {
    // Run 1: 10 × value 3 (RLE, width 2: one value byte); run 2: 8 values bit-packed (one group, 2 bytes).
    const bytes = Uint8Array.of(10 << 1, 3, (1 << 1) | 1, 0b11100100, 0b00011011);
    const out = new Int32Array(18);
    expect(decodeHybrid(bytes, 0, bytes.length, 2, 18, out)).toBe(bytes.length);
    expect([...out]).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 1, 2, 3, 3, 2, 1, 0]);
    expect(() => decodeHybrid(bytes, 0, 3, 2, 18, out)).toThrow(/ends early/);
    expect(() => decodeHybrid(Uint8Array.of(0, 0, 0), 0, 3, 1, 5, out)).toThrow(/ends early/); // empty runs, no hang
  });

  it('snappy: literals, copies (overlapping too), and damage', () => {
    // "abcd" literal, then copy offset 4 length 8 (kind 1), then copy offset 1 length 5 (kind 2).
    const ok = Uint8Array.of(17, 3 << 2, 97, 98, 99, 100, 1 | ((8 - 4) << 2), 4, 2 | ((5 - 1) << 2), 1, 0);
    const out = new Uint8Array(17);
    snappyUncompress(ok, 0, ok.length, out, 17);
    expect(new TextDecoder().decode(out)).toBe('abcdabcdabcddddddd'.slice(0, 17));
    expect(() => snappyUncompress(ok, 0, ok.length, out, 16)).toThrow(/snappy: corrupt input/);
    const far = Uint8Array.of(8, 3 << 2, 97, 98, 99, 100, 1 | ((4 - 4) << 2), 9);
    expect(() => snappyUncompress(far, 0, far.length, new Uint8Array(8), 8)).toThrow(/snappy: corrupt input/);
    expect(() => snappyUncompress(ok, 0, 5, out, 17)).toThrow(/snappy: corrupt input/);
  });

  it('Thrift: random bytes end in a struct or an error, never a hang or a stack overflow', () => {
    let errors = 0;
    for (let k = 0; k < 2000; k++) {
      const bytes = randomBytes(1 + (next() % 200));
      try {
        new ThriftReader(bytes).struct();
      } catch (err) {
        expect((err as Error).message).toMatch(/^thrift: /);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(1000);
  });
});
