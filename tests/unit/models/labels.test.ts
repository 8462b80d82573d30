import { describe, expect, it } from 'vitest';
import { makeVector, vectorFromArray, Dictionary, Float64, Int32, Utf8, makeData } from 'apache-arrow';
import { encodeLabels } from '../../../src/core/models/labels.ts';

/** A dictionary column with the given codes (−1 = null) over `entries`, some of which no row uses. */
function dictionaryColumn(entries: string[], codes: number[]) {
  const dictionary = vectorFromArray(entries, new Utf8());
  const valid = codes.map((c) => c >= 0);
  const bitmap = new Uint8Array(Math.ceil(codes.length / 8));
  valid.forEach((v, i) => v && (bitmap[i >> 3]! |= 1 << (i & 7)));
  const type = new Dictionary(new Utf8(), new Int32());
  return makeVector(makeData({ type, length: codes.length, nullCount: valid.filter((v) => !v).length, nullBitmap: bitmap, data: Int32Array.from(codes, (c) => Math.max(0, c)), dictionary }));
}

describe('labels from a dictionary column equal labels from the same text', () => {
  const entries = ['normal', 'smurf', 'neptune', 'unused', 'back'];
  const codes = Array.from({ length: 500 }, (_, i) => (i % 37 === 0 ? -1 : [0, 1, 2, 4][(i * 7) % 4]!));
  const dict = dictionaryColumn(entries, codes);
  const plain = vectorFromArray(codes.map((c) => (c < 0 ? null : entries[c]!)), new Utf8());

  it('classes (only the used entries, sorted), indices and missing labels', () => {
    const fast = encodeLabels(dict);
    expect(fast).toEqual(encodeLabels(plain));
    expect(fast.classes).toEqual(['back', 'neptune', 'normal', 'smurf']);
    expect(fast.y[0]).toBe(-1);
  });

  it('with a rename and with classes given (a label outside them is −1)', () => {
    const map = (s: string) => (s === 'normal' ? 'normal' : 'attack');
    expect(encodeLabels(dict, { map })).toEqual(encodeLabels(plain, { map }));
    const classes = ['normal', 'smurf'];
    expect(encodeLabels(dict, { classes })).toEqual(encodeLabels(plain, { classes }));
    expect(encodeLabels(dict, { classes }).y.filter((v) => v === -1).length).toBeGreaterThan(100);
  });
});

describe('labels from a column of numbers equal labels from the same text', () => {
  const numbers = Array.from({ length: 700 }, (_, i) => (i % 41 === 0 ? null : [-1, 1, 0, 3][(i * 5) % 4]!));
  const text = (xs: (number | null)[]) => vectorFromArray(xs.map((v) => (v === null ? null : String(v))), new Utf8());

  it('Int32 in two chunks, with missing labels; a rename; classes given', () => {
    const ints = vectorFromArray(numbers.slice(0, 300), new Int32()).concat(vectorFromArray(numbers.slice(300), new Int32()));
    expect(ints.data.length).toBe(2);
    const plain = text(numbers);
    const fast = encodeLabels(ints);
    expect(fast).toEqual(encodeLabels(plain));
    expect(fast.classes).toEqual(['-1', '0', '1', '3']);
    expect(fast.y[0]).toBe(-1);
    const map = (s: string) => (s === '-1' ? 'benign' : 'attack');
    expect(encodeLabels(ints, { map })).toEqual(encodeLabels(plain, { map }));
    expect(encodeLabels(ints, { classes: ['1', '-1'] })).toEqual(encodeLabels(plain, { classes: ['1', '-1'] }));
  });

  it('Float64 with fractions, −0 and NaN', () => {
    const floats = [0.5, -0, 0, NaN, 2.25, null, 0.5, NaN, -1e-7];
    expect(encodeLabels(vectorFromArray(floats, new Float64()))).toEqual(encodeLabels(text(floats)));
  });
});
