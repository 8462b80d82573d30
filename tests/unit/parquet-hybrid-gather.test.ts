import { describe, expect, it } from 'vitest';
import { HybridGatherJs, hybridGatherWasm, type HybridGather } from '../../src/core/io/parquet/hybrid-gather.ts';
import { rand, varint } from './parquet-bytes.ts';

/**
 * Hybrid runs of width w holding `count` indices below `size` (sometimes `bad` ones beyond):
 * RLE runs short and long, bit-packed groups, the last group cut short (its bytes too, sometimes).
 */
function encode(r: () => number, w: number, count: number, size: number, bad = false): Uint8Array {
  const out: number[] = [];
  const index = () => (bad && r() < 0.01 ? size + Math.floor(r() * 5) : Math.floor(r() * size)) % 2 ** w;
  let i = 0;
  while (i < count) {
    if (r() < 0.5) {
      const n = Math.min(count - i, 1 + Math.floor(r() * (r() < 0.5 ? 15 : 200)));
      varint(out, n * 2);
      const v = w === 0 ? 0 : index();
      for (let k = 0; k < (w + 7) >> 3; k++) out.push(Math.floor(v / 2 ** (8 * k)) & 0xff);
      i += n;
    } else {
      const groups = 1 + Math.floor(r() * 6);
      varint(out, groups * 2 + 1);
      const n = Math.min(groups * 8, count - i);
      const bits: number[] = [];
      for (let k = 0; k < groups * 8; k++) {
        const v = k < n && w > 0 ? index() : 0;
        for (let b = 0; b < w; b++) bits.push(Math.floor(v / 2 ** b) % 2);
      }
      // The last run's padding may be left out (writers cut the final group short).
      const bytes = i + n >= count && r() < 0.5 ? Math.ceil((n * w) / 8) : groups * w;
      for (let k = 0; k < bytes; k++) {
        let byte = 0;
        for (let b = 0; b < 8; b++) byte |= (bits[8 * k + b] ?? 0) << b;
        out.push(byte);
      }
      i += n;
    }
  }
  return Uint8Array.from(out);
}

/** The words written (after `at` guard words) or the error's message. */
function run(g: HybridGather, bytes: Uint8Array, w: number, n: number, dict: Int32Array, words: 1 | 2): Int32Array | string {
  const out = new Int32Array(words * (n + 3)).fill(-7);
  try {
    g.gather(bytes, 0, bytes.length, w, n, dict, words, out, 3);
    return out;
  } catch (err) {
    return (err as Error).message;
  }
}

const wasm = hybridGatherWasm();

describe('Dictionary index kernel: WebAssembly and its JS twin agree', () => {
  it('compiles here', () => expect(wasm).not.toBeNull());

  for (const words of [1, 2] as const) {
    it(`every bit width 0–32, runs and bit-packed groups, ${words} word(s) per value`, () => {
      const js = new HybridGatherJs();
      const r = rand(17 + words);
      for (let w = 0; w <= 32; w++) {
        for (let trial = 0; trial < 6; trial++) {
          const size = Math.max(1, Math.min(2 ** w, 1 + Math.floor(r() * 3000)));
          const dict = Int32Array.from({ length: size * words }, () => (r() * 2 ** 32) | 0);
          const n = 1 + Math.floor(r() * 2000);
          const bytes = encode(r, w, n, size);
          const expected = run(js, bytes, w, n, dict, words);
          expect(typeof expected).not.toBe('string');
          expect(run(wasm!, bytes, w, n, dict, words)).toEqual(expected);
        }
      }
    });
  }

  it('text coded at first use: the same entries handed over in the same order, the same codes', () => {
    const r = rand(31);
    for (let trial = 0; trial < 300; trial++) {
      const w = 1 + Math.floor(r() * 12);
      const size = Math.max(1, Math.min(2 ** w, 1 + Math.floor(r() * 300)));
      const n = 1 + Math.floor(r() * 1500);
      const bytes = trial % 4 === 3 ? encode(r, w, n, size, true).subarray(0, Math.floor(r() * 50)) : encode(r, w, n, size, trial % 4 === 2);
      // Some entries coded by earlier pages already.
      const start = Int32Array.from({ length: size }, (_, k) => (r() < 0.3 ? 1000 + k : -1));
      const outcomes = [new HybridGatherJs(), wasm!].map((g) => {
        const dict = start.slice();
        const handed: number[][] = [];
        const out = new Int32Array(n + 3).fill(-7);
        let next = 0;
        try {
          g.gatherText(bytes, 0, bytes.length, w, n, dict, out, 3, (entries) => {
            handed.push([...entries]);
            for (const k of entries) dict[k] = next++;
          });
          return { out, handed, dict };
        } catch (err) {
          return { error: (err as Error).message };
        }
      });
      expect([trial, outcomes[1]]).toEqual([trial, outcomes[0]]);
    }
  });

  it('damaged runs: the same error (or the same words) — cut anywhere, bytes changed, indices beyond the dictionary', () => {
    const js = new HybridGatherJs();
    const r = rand(99);
    let errors = 0;
    for (let trial = 0; trial < 600; trial++) {
      const w = Math.floor(r() * 33);
      const words = r() < 0.5 ? 1 : 2;
      const size = Math.max(1, Math.min(2 ** w, 1 + Math.floor(r() * 500)));
      const dict = Int32Array.from({ length: size * words }, (_, k) => k);
      const n = 1 + Math.floor(r() * 500);
      let bytes = encode(r, w, n, size, trial % 3 === 0);
      if (trial % 3 === 1) bytes = bytes.subarray(0, Math.floor(r() * bytes.length));
      if (trial % 3 === 2) for (let k = 0; k < 3; k++) bytes[Math.floor(r() * bytes.length)] = Math.floor(r() * 256);
      const expected = run(js, bytes, w, n, dict, words);
      if (typeof expected === 'string') errors++;
      expect([trial, run(wasm!, bytes, w, n, dict, words)]).toEqual([trial, expected]);
    }
    expect(errors).toBeGreaterThan(100);
  });

  it('run headers of six bytes (a run of 2^34) and seven (damage), an empty dictionary, a bit width beyond 32', () => {
    const js = new HybridGatherJs();
    const header = Uint8Array.of(0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0);
    const six = Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0);
    for (const [bytes, w, dict] of [
      [header, 1, Int32Array.of(5)],
      [six, 8, Int32Array.of(5)],
      [Uint8Array.of(8, 0), 8, new Int32Array(0)],
      [Uint8Array.of(8, 0), 33, Int32Array.of(5)],
    ] as const) {
      const expected = run(js, bytes, w, 4, dict, 1);
      expect(typeof expected).toBe(bytes === six ? 'object' : 'string');
      expect(run(wasm!, bytes, w, 4, dict, 1)).toEqual(expected);
    }
  });
});
