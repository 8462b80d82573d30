import { describe, expect, it } from 'vitest';
import { valueFitter } from '../../../src/core/models/binning/fit-values-wasm.ts';
import { createRandom } from '../../../src/core/models/random.ts';

/** A column: values with nulls (valid 0), NaN, ±Infinity and −0 sprinkled in. */
function column(n: number, value: (i: number) => number, seed: number) {
  const random = createRandom(seed);
  const values = Float64Array.from({ length: n }, (_, i) => {
    const r = random.next();
    return r < 0.01 ? NaN : r < 0.015 ? Infinity : r < 0.02 ? -Infinity : r < 0.03 ? -0 : value(i);
  });
  const valid = Uint8Array.from({ length: n }, () => (random.next() < 0.05 ? 0 : 1));
  return { values, valid };
}

describe('numeric cuts with the WebAssembly fitter equal the JS ones (quantileCuts)', () => {
  const wasm = valueFitter(true);
  const js = valueFitter(false);
  const random = createRandom(11);
  const cases: [string, number, (i: number) => number][] = [
    ['few distinct values (flags, rates)', 50_000, (i) => [0, 1, 0.25, 0.5, -3, 7][i % 6]!],
    ['fewer than 16,384 distinct (byte counts)', 60_000, () => Math.floor(Math.exp(random.next() * 8))],
    ['more than 16,384 distinct', 40_000, () => random.next() * 1e6 - 5e5],
    ['short column', 3_000, () => Math.floor(random.next() * 40)],
    ['one value', 1_000, () => 42],
  ];

  it('runs WebAssembly here', () => {
    expect(wasm).not.toBe(js);
  });

  it.each(cases)('%s', (_name, n, value) => {
    const { values, valid } = column(n, value, n);
    const rows = Int32Array.from({ length: Math.floor(n / 3) }, (_, k) => (k * 7) % n);
    for (const maxReal of [1, 7, 63, 255]) {
      for (const picked of [undefined, rows]) {
        const cuts = wasm.cuts(values, valid, picked, maxReal);
        expect(Array.from(cuts)).toEqual(Array.from(js.cuts(values, valid, picked, maxReal)));
        expect(cuts.length).toBeLessThan(Math.max(1, maxReal));
        expect(Array.from(cuts).some((c) => Object.is(c, -0))).toBe(false);
      }
    }
  });

  it('no usable value (all null or non-finite): no cuts', () => {
    const values = Float64Array.of(NaN, Infinity, 3, -Infinity);
    const valid = Uint8Array.of(1, 1, 0, 1);
    expect(wasm.cuts(values, valid, undefined, 255)).toEqual(new Float64Array(0));
    expect(js.cuts(values, valid, undefined, 255)).toEqual(new Float64Array(0));
  });
});
