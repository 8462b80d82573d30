import { block, br, brIf, emit, forLoop, ifElse, loop, type Code } from '../wasm-control.ts';
import { compileOnce, F64, I32, op, wasmModule, type WasmFunction } from '../wasm-module.ts';
import { BIN_VALUES } from './bin-values.ts';
import { fewCuts, MANY_DISTINCT, quantileCuts, rankCuts, rankedCounts } from './quantile-cuts.ts';

/*
 * A numeric column's quantile cuts (quantileCuts' answer, exactly) with its per-value loops in
 * WebAssembly: the finite values of the rows picked out, then their distinct values counted in an
 * open-addressing table (up to 16,384 of them). JS then sorts only the distinct values (the native
 * typed-array sort) and cuts as quantileCuts does: a cut between neighbours when there are at most
 * maxReal of them, else at ranks from the counts; beyond 16,384 distinct values all values are
 * sorted. In JS the same loops cost 25–60 ns a value in a first training (cold code), as much as
 * the rest of a small training.
 */

const x = {
  return: [0x0f],
  i32Xor: [0x73],
  i64ShrU: [0x88],
  i32WrapI64: [0xa7],
  i64ReinterpretF64: [0xbd],
};

// finite(values, valid, rows, n, out) → m: for k < n, i = rows[k] (k when rows is 0); the values
// with valid[i] set and finite, in row order, −0 written as 0, into out[0, m).
const FINITE: WasmFunction = (() => {
  const [values, valid, rows, n, out, k, i, m, v] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  return {
    name: 'finite',
    params: [I32, I32, I32, I32, I32],
    results: [I32],
    locals: [I32, I32, I32, F64],
    body: [
      emit([
        [op.i32(0), op.set(m)],
        ...forLoop('rows', k, [op.i32(0)], [op.get(n)], [
          [op.get(k), op.get(rows), op.get(k), op.i32(2), op.i32Shl, op.i32Add, op.i32Load(), op.get(rows), op.i32Eqz, op.select, op.set(i)],
          [op.get(values), op.get(i), op.i32(3), op.i32Shl, op.i32Add, op.f64Load(), op.set(v)],
          // Written whatever it is; m moves only past a kept value. v − v is 0 for finite v.
          [op.get(out), op.get(m), op.i32(3), op.i32Shl, op.i32Add, op.f64Const(0), op.get(v), op.get(v), op.f64Const(0), op.f64Eq, op.select, op.f64Store()],
          [op.get(m), op.get(valid), op.get(i), op.i32Add, op.i32Load8U(), op.get(v), op.get(v), op.f64Sub, op.f64Const(0), op.f64Eq, op.i32And, op.i32Add, op.set(m)],
        ]),
        [op.get(m)],
      ]),
    ],
  };
})();

/** h = the table slot of v's bits (a multiplicative hash of both halves, then h ^ h >>> 15), masked. */
const hashInto = (v: number, h: number, mask: number): Code[] => [
  [op.get(v), x.i64ReinterpretF64, x.i32WrapI64],
  [op.get(v), x.i64ReinterpretF64, op.i64Const(32), x.i64ShrU, x.i32WrapI64, op.i32(0x9e3779b1 | 0), op.i32Mul, x.i32Xor],
  [op.i32(0x85ebca6b | 0), op.i32Mul, op.tee(h), op.get(h), op.i32(15), op.i32ShrU, x.i32Xor, op.get(mask), op.i32And, op.set(h)],
];
const at = (base: number, index: number[][], shift: number): number[][] => [op.get(base), ...index, op.i32(shift), op.i32Shl, op.i32Add];

/**
 * A kernel over values[0, m) (params: values, m, table, mask, found, counts, and one more): for
 * each value v, the probe finds its table slot h, e = table[h] (0: free, else 1 + v's index in
 * found), and then `then` runs. Locals: k, v, h, e, then one i32 of the kernel's own.
 */
function tableKernel(name: string, results: number[], then: Code[], start: Code[] = [], finish: Code[] = []): WasmFunction {
  const [values, m, table, mask, found, k, v, h, e] = [0, 1, 2, 3, 4, 7, 8, 9, 10];
  return {
    name,
    params: [I32, I32, I32, I32, I32, I32, I32],
    results,
    locals: [I32, F64, I32, I32, I32],
    body: [
      emit([
        ...start,
        ...forLoop('values', k, [op.i32(0)], [op.get(m)], [
          [...at(values, [op.get(k)], 3), op.f64Load(), op.set(v)],
          ...hashInto(v, h, mask),
          block(
            'slot',
            loop(
              'probe',
              [...at(table, [op.get(h)], 2), op.i32Load(), op.tee(e), op.i32Eqz],
              brIf('slot'),
              [...at(found, [op.get(e), op.i32(1), op.i32Sub], 3), op.f64Load(), op.get(v), op.f64Eq],
              brIf('slot'),
              [op.get(h), op.i32(1), op.i32Add, op.get(mask), op.i32And, op.set(h)],
              br('probe'),
            ),
          ),
          ...then,
        ]),
        ...finish,
      ]),
    ],
  };
}

const [TABLE, FOUND, COUNTS, LAST, K, V, H, E, D] = [2, 4, 5, 6, 7, 8, 9, 10, 11];
const countAt = (index: number[][]): number[][] => at(COUNTS, index, 2);

// distinct(values, m, table, mask, found, counts, limit) → d: the distinct values of values[0, m)
// in first-seen order into found (f64), with their counts (i32); table: mask + 1 i32 slots, zeroed
// by the caller, each 0 (free) or 1 + an index into found. −1 as soon as there are over `limit`.
const DISTINCT = tableKernel(
  'distinct',
  [I32],
  [
    [op.get(E), op.i32Eqz],
    ifElse(
      'new',
      [
        [op.get(D), op.get(LAST), op.i32GeU],
        ifElse('over', [[op.i32(-1), x.return]]),
        [...at(FOUND, [op.get(D)], 3), op.get(V), op.f64Store()],
        [...countAt([op.get(D)]), op.i32(1), op.i32Store()],
        [...at(TABLE, [op.get(H)], 2), op.get(D), op.i32(1), op.i32Add, op.i32Store()],
        [op.get(D), op.i32(1), op.i32Add, op.set(D)],
      ],
      [[...countAt([op.get(E), op.i32(1), op.i32Sub]), ...countAt([op.get(E), op.i32(1), op.i32Sub]), op.i32Load(), op.i32(1), op.i32Add, op.i32Store()]],
    ),
  ],
  [[op.i32(0), op.set(D)]],
  [[op.get(D)]],
);

// locate(values, m, table, mask, found, counts, out): out[j] = the count of values[j] (i32), each
// of them one that `distinct` counted into this table (one it did not would read 0).
const LOCATE = tableKernel('locate', [], [[...at(LAST, [op.get(K)], 2), op.i32(0), ...countAt([op.get(E), op.i32(1), op.i32Sub]), op.i32Load(), op.get(E), op.i32Eqz, op.select, op.i32Store()]]);

const fitModule = compileOnce(() => wasmModule([FINITE, DISTINCT, LOCATE, BIN_VALUES]), ['binning']);

interface FitKernels {
  finite(values: number, valid: number, rows: number, n: number, out: number): number;
  distinct(values: number, m: number, table: number, mask: number, found: number, counts: number, limit: number): number;
  locate(values: number, m: number, table: number, mask: number, found: number, counts: number, out: number): void;
  binValues(values: number, valid: number, rows: number, n: number, cuts: number, P: number, missing: number, out: number): void;
}

/** Fits numeric columns' cuts one after another (its memory kept and grown between them). */
export interface ValueFitter {
  /** quantileCuts of the finite, valid values of the rows (all rows when absent), for maxReal real bins. */
  cuts(values: Float64Array, valid: Uint8Array, rows: ArrayLike<number> | undefined, maxReal: number): Float64Array;
  /**
   * Bins the rows of the last `cuts` call under these cuts (as ValueBinner.bin), from the values
   * already in its memory; absent on the JS fitter (use a ValueBinner).
   */
  binLast?(cuts: Float64Array, missing: number, out: Uint8Array): void;
}

/** The WebAssembly fitter, or the JS one (filter then quantileCuts) where the host has no WebAssembly or refuses the memory. */
export function valueFitter(allowWasm = true): ValueFitter {
  const module = allowWasm ? fitModule() : null;
  if (!module) return jsFitter;
  let memory: WebAssembly.Memory | undefined;
  let k: FitKernels | undefined;
  let last: { rows: number; n: number; cutsAt: number; binsAt: number; values: number; valid: number } | undefined;
  return {
    binLast(cuts, missing, out) {
      if (!last || !memory || out.length !== last.n) throw new Error('binLast needs the cuts call of the same rows first');
      if (cuts.length > 255) throw new Error(`${cuts.length} cuts: a bin is a byte`);
      const P = 2 ** Math.ceil(Math.log2(cuts.length + 1));
      const padded = new Float64Array(memory.buffer, last.cutsAt, P);
      padded.fill(Infinity);
      padded.set(cuts);
      k!.binValues(last.values, last.valid, last.rows, last.n, last.cutsAt, P, missing, last.binsAt);
      out.set(new Uint8Array(memory.buffer, last.binsAt, last.n));
    },
    cuts(values, valid, rows, maxReal) {
      const N = values.length;
      const n = rows ? rows.length : N;
      const limit = Math.max(MANY_DISTINCT, maxReal);
      const room = Math.min(limit, n);
      const size = 2 ** Math.ceil(Math.log2(2 * room + 2));
      // values (8N) | finite (8n) | found (8 room) | valid (N) | rows (4n) | table (4 size) | counts (4 room) | located (4 room)
      const at = (start: number) => Math.ceil(start / 16) * 16;
      const valuesAt = 16;
      const finiteAt = at(valuesAt + 8 * N);
      const foundAt = at(finiteAt + 8 * n);
      const validAt = at(foundAt + 8 * room);
      const rowsAt = at(validAt + N);
      const tableAt = at(rowsAt + 4 * (rows ? n : 0));
      const countsAt = at(tableAt + 4 * size);
      const locatedAt = at(countsAt + 4 * room);
      // Then the bins' padded cuts (at most 256, f64) and the bins (a byte a row), for binLast.
      const cutsAt = at(locatedAt + 4 * room);
      const binsAt = cutsAt + 8 * 256;
      const place = { values: valuesAt, finite: finiteAt, found: foundAt, valid: validAt, rows: rowsAt, table: tableAt, counts: countsAt, located: locatedAt };
      const bytes = binsAt + n + 16;
      last = { rows: rows ? rowsAt : 0, n, cutsAt, binsAt, values: valuesAt, valid: validAt };
      if (!memory || memory.buffer.byteLength < bytes) {
        try {
          memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
          k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as FitKernels;
        } catch {
          memory = undefined;
          last = undefined;
          return jsFitter.cuts(values, valid, rows, maxReal);
        }
      }
      const buffer = memory.buffer;
      new Float64Array(buffer, place.values, N).set(values);
      new Uint8Array(buffer, place.valid, N).set(valid);
      if (rows) new Int32Array(buffer, place.rows, n).set(rows);
      const m = k!.finite(place.values, place.valid, rows ? place.rows : 0, n, place.finite);
      if (m === 0 || maxReal < 2) return new Float64Array(0);
      new Int32Array(buffer, place.table, size).fill(0);
      const d = k!.distinct(place.finite, m, place.table, size - 1, place.found, place.counts, limit);
      if (d < 0) return rankCuts(new Float64Array(buffer, place.finite, m).slice().sort(), maxReal, undefined);
      const sorted = new Float64Array(buffer, place.found, d).slice().sort();
      if (d <= maxReal) return fewCuts(sorted);
      // Each sorted value's count, looked up in the table (the finite values are no longer needed).
      new Float64Array(buffer, place.finite, d).set(sorted);
      k!.locate(place.finite, d, place.table, size - 1, place.found, place.counts, place.located);
      return rankCuts(sorted, maxReal, rankedCounts(sorted, new Int32Array(buffer, place.located, d)));
    },
  };
}

const jsFitter: ValueFitter = {
  cuts(values, valid, rows, maxReal) {
    const n = rows ? rows.length : values.length;
    const finite = new Float64Array(n);
    let m = 0;
    for (let k = 0; k < n; k++) {
      const i = rows ? rows[k]! : k;
      const v = values[i]!;
      if (valid[i] && Number.isFinite(v)) finite[m++] = v;
    }
    return quantileCuts(finite.subarray(0, m), maxReal);
  },
};
