import { compileOnce, F64, I32, op, wasmModule, type WasmFunction } from '../wasm-module.ts';
import { binOf } from './quantile-cuts.ts';

/*
 * Numeric values to bins: the number of cuts ≤ v, or the missing bin for a null or non-finite
 * value. A binary search's branches go each way at random, about 10 ns lost a step here, so the
 * WebAssembly kernel searches without branching: the cuts padded with +Infinity to a power of two
 * P, and lo += h where cuts[lo + h − 1] ≤ v (an i32 select), for h = P/2 … 1, then one last
 * comparison. The JS loop (binOf) is the reference and the fallback; both give the same bins.
 */

// binValues(values, valid, rows, n, cuts, P, missing, out): for k < n, i = rows[k] (k when rows is
// 0); out[k] = the bin of values[i] (f64), or `missing` where valid[i] is 0 or the value not finite.
// Four rows a pass, their searches interleaved (each is a chain of dependent loads), then one at a time.
const LANES = 4;
export const BIN_VALUES: WasmFunction = (() => {
  const [values, valid, rows, n, cuts, P, missing, out, k, h, end] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const i = (lane: number): number => 11 + lane;
  const lo = (lane: number): number => 11 + LANES + lane;
  const v = (lane: number): number => 11 + 2 * LANES + lane;
  const cutAt = (index: number[][]): number[][] => [op.get(cuts), ...index, op.i32(3), op.i32Shl, op.i32Add, op.f64Load()];
  const fetch = (lane: number): number[][] => [
    ...[op.get(k), op.i32(lane), op.i32Add, op.tee(i(lane)), op.get(rows), op.get(i(lane)), op.i32(2), op.i32Shl, op.i32Add, op.i32Load(), op.get(rows), op.i32Eqz, op.select, op.set(i(lane))],
    ...[op.get(values), op.get(i(lane)), op.i32(3), op.i32Shl, op.i32Add, op.f64Load(), op.set(v(lane)), op.i32(0), op.set(lo(lane))],
  ];
  const step = (lane: number): number[][] => [
    op.get(lo(lane)), op.get(h), op.i32(0), ...cutAt([op.get(lo(lane)), op.get(h), op.i32Add, op.i32(1), op.i32Sub]), op.get(v(lane)), op.f64Le, op.select, op.i32Add, op.set(lo(lane)),
  ];
  const finish = (lane: number): number[][] => [
    ...[op.get(lo(lane)), ...cutAt([op.get(lo(lane))]), op.get(v(lane)), op.f64Le, op.i32Add, op.set(lo(lane))],
    // Finite: v − v is 0 (NaN for ±Infinity and NaN).
    ...[op.get(out), op.get(k), op.i32Add, op.get(lo(lane)), op.get(missing)],
    ...[op.get(valid), op.get(i(lane)), op.i32Add, op.i32Load8U(), op.get(v(lane)), op.get(v(lane)), op.f64Sub, op.f64Const(0), op.f64Eq, op.i32And, op.select, op.i32Store8(lane)],
  ];
  const pass = (lanes: number, limit: number[][]): number[][] => {
    const all = Array.from({ length: lanes }, (_, lane) => lane);
    return [
      ...[op.block, op.loop, op.get(k), ...limit, op.i32GeU, op.brIf(1)],
      ...all.flatMap(fetch),
      ...[op.get(P), op.i32(1), op.i32ShrU, op.set(h)],
      ...[op.block, op.loop, op.get(h), op.i32Eqz, op.brIf(1), ...all.flatMap(step), op.get(h), op.i32(1), op.i32ShrU, op.set(h), op.br(0), op.end, op.end],
      ...all.flatMap(finish),
      ...[op.get(k), op.i32(lanes), op.i32Add, op.set(k), op.br(0), op.end, op.end],
    ];
  };
  return {
    name: 'binValues',
    params: [I32, I32, I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32, ...Array<number>(2 * LANES).fill(I32), ...Array<number>(LANES).fill(F64)],
    body: [
      // end = n rounded down to the lanes: whole passes, then the rest one by one.
      ...[op.get(n), op.i32(-LANES), op.i32And, op.set(end)],
      ...pass(LANES, [op.get(end)]),
      ...pass(1, [op.get(n)]),
    ],
  };
})();

const binModule = compileOnce(() => wasmModule([BIN_VALUES]), ['binning']);

/** Bins columns of values one after another (its memory kept and grown between them). */
export interface ValueBinner {
  /**
   * out[k] = the bin of values[rows[k]] (k when rows is absent) under `cuts`, or `missing` where
   * valid is 0 or the value is not finite.
   */
  bin(values: Float64Array, valid: Uint8Array, rows: ArrayLike<number> | undefined, cuts: Float64Array, missing: number, out: Uint8Array): void;
}

export function valueBinner(allowWasm = true): ValueBinner {
  const module = allowWasm ? binModule() : null;
  if (!module) return jsBinner;
  let memory: WebAssembly.Memory | undefined;
  let kernel: ((...args: number[]) => void) | undefined;
  return {
    bin(values, valid, rows, cuts, missing, out) {
      const N = values.length;
      const n = out.length;
      const P = 2 ** Math.ceil(Math.log2(cuts.length + 1));
      // values (8N) | cuts (8P) | valid (N) | rows (4n) | out (n); address 0 is never an array's (rows 0 = none).
      const at = { values: 16, cuts: 16 + 8 * N };
      const validAt = at.cuts + 8 * P;
      const rowsAt = validAt + N + ((4 - ((validAt + N) % 4)) % 4);
      const outAt = rowsAt + 4 * (rows ? n : 0);
      const bytes = outAt + n + 16;
      if (!memory || memory.buffer.byteLength < bytes) {
        try {
          memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
          kernel = (new WebAssembly.Instance(module, { env: { memory } }).exports as { binValues: (...args: number[]) => void }).binValues;
        } catch {
          memory = undefined;
          return jsBinner.bin(values, valid, rows, cuts, missing, out);
        }
      }
      const buffer = memory.buffer;
      new Float64Array(buffer, at.values, N).set(values);
      const padded = new Float64Array(buffer, at.cuts, P);
      padded.fill(Infinity);
      padded.set(cuts);
      new Uint8Array(buffer, validAt, N).set(valid);
      if (rows) new Int32Array(buffer, rowsAt, n).set(rows);
      kernel!(at.values, validAt, rows ? rowsAt : 0, n, at.cuts, P, missing, outAt);
      out.set(new Uint8Array(buffer, outAt, n));
    },
  };
}

const jsBinner: ValueBinner = {
  bin(values, valid, rows, cuts, missing, out) {
    for (let k = 0; k < out.length; k++) {
      const i = rows ? rows[k]! : k;
      const v = values[i]!;
      out[k] = valid[i] && Number.isFinite(v) ? binOf(cuts, v) : missing;
    }
  },
};
