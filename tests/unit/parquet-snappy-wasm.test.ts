import { describe, expect, it } from 'vitest';
import { snappyUncompress } from '../../src/core/io/parquet/snappy.ts';
import { snappyWasm } from '../../src/core/io/parquet/snappy-wasm.ts';
import { rand, varint } from './parquet-bytes.ts';

/**
 * A raw Snappy block of every element kind: literals (short, and 1–4 length bytes), copies with
 * 1-, 2- and 4-byte offsets, overlapping copies (patterns) and runs of one byte (offset 1).
 */
function block(r: () => number, elements: number): { bytes: Uint8Array; length: number } {
  const body: number[] = [];
  let length = 0;
  for (let e = 0; e < elements; e++) {
    const kind = length === 0 ? 0 : Math.floor(r() * 4);
    if (kind === 0) {
      const n = 1 + Math.floor(r() * (r() < 0.2 ? 3000 : 60));
      if (n <= 60) body.push((n - 1) << 2);
      else {
        const extra = Math.max(n - 1 < 256 ? 1 : 2, 1 + Math.floor(r() * 4));
        body.push((59 + extra) << 2);
        for (let k = 0; k < extra; k++) body.push(Math.floor((n - 1) / 2 ** (8 * k)) & 0xff);
      }
      for (let k = 0; k < n; k++) body.push(Math.floor(r() * 256));
      length += n;
    } else {
      const offset = r() < 0.3 ? 1 + Math.floor(r() * Math.min(length, 8)) : 1 + Math.floor(r() * Math.min(length, kind === 1 ? 2047 : 70000));
      if (kind === 1 && offset < 2048) {
        const n = 4 + Math.floor(r() * 8);
        body.push(1 | ((n - 4) << 2) | ((offset >> 8) << 5), offset & 0xff);
        length += n;
      } else if (kind === 2 && offset < 65536) {
        const n = 1 + Math.floor(r() * 64);
        body.push(2 | ((n - 1) << 2), offset & 0xff, offset >> 8);
        length += n;
      } else {
        const n = 1 + Math.floor(r() * 64);
        body.push(3 | ((n - 1) << 2), offset & 0xff, (offset >> 8) & 0xff, (offset >> 16) & 0xff, 0);
        length += n;
      }
    }
  }
  const out: number[] = [];
  varint(out, length);
  return { bytes: Uint8Array.from([...out, ...body]), length };
}

/** The decoded bytes or the error's message. */
function outcome(decode: () => Uint8Array): Uint8Array | string {
  try {
    return Uint8Array.from(decode());
  } catch (err) {
    return (err as Error).message;
  }
}

/** Both outcomes the same: the message, or the bytes (compared as Buffers: deep equality is slow on big arrays). */
function expectSame(trial: number, actual: Uint8Array | string, expected: Uint8Array | string): void {
  if (typeof expected === 'string' || typeof actual === 'string') expect([trial, actual]).toEqual([trial, expected]);
  else expect([trial, Buffer.from(actual).equals(Buffer.from(expected))]).toEqual([trial, true]);
}

const wasm = snappyWasm();
const js = (bytes: Uint8Array, length: number) => () => {
  const out = new Uint8Array(Math.max(0, length));
  snappyUncompress(bytes, 0, bytes.length, out, length);
  return out;
};

describe('Snappy: the WebAssembly decoder and its JS twin agree', () => {
  it('compiles here', () => expect(wasm).not.toBeNull());

  it('blocks of every element kind', () => {
    const r = rand(5);
    for (let trial = 0; trial < 200; trial++) {
      const { bytes, length } = block(r, 1 + Math.floor(r() * 200));
      const expected = outcome(js(bytes, length));
      expect(typeof expected).not.toBe('string');
      expectSame(trial, outcome(() => wasm!.uncompress(bytes, 0, bytes.length, length)), expected);
    }
  });

  it('damage — cut anywhere, bytes changed, a wrong length: the same error (or the same bytes)', () => {
    const r = rand(8);
    let errors = 0;
    for (let trial = 0; trial < 1000; trial++) {
      const { bytes: whole, length } = block(r, 1 + Math.floor(r() * 40));
      let bytes = whole;
      let expectLength = length;
      if (trial % 3 === 0) bytes = whole.subarray(0, Math.floor(r() * whole.length));
      if (trial % 3 === 1) for (let k = 0; k < 2; k++) bytes[Math.floor(r() * bytes.length)] = Math.floor(r() * 256);
      if (trial % 3 === 2) expectLength = length + Math.floor(r() * 5) - 2;
      const expected = outcome(js(bytes, expectLength));
      if (typeof expected === 'string') errors++;
      expectSame(trial, outcome(() => wasm!.uncompress(bytes, 0, bytes.length, expectLength)), expected);
    }
    expect(errors).toBeGreaterThan(300);
  });
});
