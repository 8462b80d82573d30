import { compileOnce, I32, op, uleb, wasmModule, type WasmFunction } from '../../models/wasm-module.ts';

/*
 * Dictionary indices (Parquet's RLE / bit-packed hybrid) decoded and looked up in one WebAssembly
 * pass: gather32 / gather64(src, end, w, count, dict, size, out, runs, 0) write count values of
 * one / two 32-bit words (dict[index]) at out, from the runs at src[…, end), except that runs of one
 * index of LONG_RUN or more rows are listed at `runs` as (row, length, index) instead (their
 * number at address 4): the caller fills those straight into its column. Its JS twin is
 * decodeHybrid + gatherWords (hybrid-gather.ts); both give the same values and the same error, the
 * first in the same order: a damaged run (returned 1–3) before any index beyond the dictionary
 * (returned 4, the first such index in row order at address 0). gatherText(…, firsts) is
 * gather32 that also lists the text entries coded at first use (see `kernel`).
 */

const I64 = 0x7e;
/** Opcodes beyond wasm-module.ts's table. */
const x = {
  i64Load: (offset = 0) => [0x29, 0, ...uleb(offset)],
  i64Store: (offset = 0) => [0x37, 0, ...uleb(offset)],
  else: [0x05],
  return: [0x0f],
  i32WrapI64: [0xa7],
  i64ExtendI32U: [0xad],
  i64And: [0x83],
  i64Or: [0x84],
  i64Add: [0x7c],
  i64Sub: [0x7d],
  i64Mul: [0x7e],
  i64Shl: [0x86],
  i64ShrU: [0x88],
  i64LtU: [0x54],
  i64GtU: [0x56],
  i64GeU: [0x5a],
  i32GtU: [0x4b],
  i32Ne: [0x47],
};

export const RLE_ENDS_EARLY = 1;
export const BAD_RUN_HEADER = 2;
export const PACKED_ENDS_EARLY = 3;
export const BAD_INDEX = 4;
/** Runs this long are listed, not written (as RunList's). */
export const LONG_RUN = 16;

/**
 * words: 32-bit words per value. text: the dictionary maps indices to text codes, −1 for entries
 * not coded yet; each such entry the page uses is marked −2 (in this memory) and listed at
 * `firsts` in the order of first use (their number at address 8), for the caller to code and run
 * the page again.
 */
function kernel(words: 1 | 2, text: boolean): WasmFunction {
  const [src, end, w, count, dict, size, out, runs, firsts] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [i, n, b, bad, valueBytes, v, stop] = [9, 10, 11, 12, 13, 14, 15];
  const [header, scale, mask, bit, half, idx, listed, entry, found] = [16, 17, 18, 19, 20, 21, 22, 23, 24];
  const load = words === 1 ? op.i32Load() : x.i64Load();
  const store = words === 1 ? op.i32Store() : x.i64Store();
  const shift = words === 1 ? 2 : 3;
  const i64 = (k: number) => op.i64Const(k);
  /** Records index `k` (an i32 local) as the first beyond the dictionary, unless one was already. */
  const noteBad = (k: number): number[][] => [
    ...[op.get(k), op.get(size), op.i32GeU, op.get(bad), op.i32Eqz, op.i32And, op.if],
    ...[op.i32(0), op.get(k), op.i32Store(), op.i32(1), op.set(bad), op.end],
  ];
  /** Text: lists index `k` (an i32 local) at its first use if its entry is not coded yet. */
  const noteFirst = (k: number): number[][] =>
    !text
      ? []
      : [
          ...[op.get(k), op.get(size), op.i32LtU, op.if],
          ...[op.get(dict), op.get(k), op.i32(2), op.i32Shl, op.i32Add, op.tee(entry), op.i32Load(), op.i32(-1), op.i32Eq, op.if],
          ...[op.get(entry), op.i32(-2), op.i32Store(), op.get(firsts), op.get(found), op.i32(2), op.i32Shl, op.i32Add, op.get(k), op.i32Store()],
          ...[op.get(found), op.i32(1), op.i32Add, op.set(found), op.end, op.end],
        ];
  /** out[i] = dict[k] (k checked: a bad index reads entry 0, the page fails anyway). */
  const gatherOne = (k: number): number[][] => [
    ...[op.get(out), op.get(i), op.i32(shift), op.i32Shl, op.i32Add],
    ...[op.get(dict), op.get(k), op.i32(0), op.get(k), op.get(size), op.i32LtU, op.select, op.i32(shift), op.i32Shl, op.i32Add, load, store],
  ];
  return {
    name: text ? 'gatherText' : words === 1 ? 'gather32' : 'gather64',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32],
    results: [I32],
    locals: [I32, I32, I32, I32, I32, I32, I32, I64, I64, I64, I64, I64, I32, I32, I32, I32],
    body: [
      // valueBytes = ceil(w / 8); mask = 2^w − 1.
      ...[op.get(w), op.i32(7), op.i32Add, op.i32(3), op.i32ShrU, op.set(valueBytes)],
      ...[i64(1), op.get(w), x.i64ExtendI32U, x.i64Shl, i64(1), x.i64Sub, op.set(mask)],
      ...[op.block, op.loop, op.get(i), op.get(count), op.i32GeU, op.brIf(1)],
      // Run header: an unsigned varint of at most 6 bytes (as the JS twin: 7 is "a bad RLE run header").
      ...[i64(0), op.set(header), i64(0), op.set(scale)],
      ...[op.block, op.loop],
      ...[op.get(src), op.get(end), op.i32GeU, op.if, op.i32(RLE_ENDS_EARLY), x.return, op.end],
      ...[op.get(src), op.i32Load8U(), op.set(b), op.get(src), op.i32(1), op.i32Add, op.set(src)],
      ...[op.get(header), op.get(b), op.i32(0x7f), op.i32And, x.i64ExtendI32U, op.get(scale), x.i64Shl, x.i64Or, op.set(header)],
      ...[op.get(b), op.i32(0x80), op.i32LtU, op.brIf(1)],
      ...[op.get(scale), i64(7), x.i64Add, op.tee(scale), i64(35), x.i64GtU, op.if, op.i32(BAD_RUN_HEADER), x.return, op.end],
      ...[op.br(0), op.end, op.end],
      // n = min(header >> 1 (× 8 for bit-packed groups), count − i).
      ...[op.get(header), i64(1), x.i64ShrU, op.set(half)],
      ...[op.get(count), op.get(i), op.i32Sub, op.set(n)],
      ...[op.get(header), i64(1), x.i64And, op.i64Eqz, op.if],
      // A run of one value.
      ...[op.get(half), op.get(n), x.i64ExtendI32U, x.i64LtU, op.if, op.get(half), x.i32WrapI64, op.set(n), op.end],
      ...[op.get(src), op.get(valueBytes), op.i32Add, op.get(end), x.i32GtU, op.if, op.i32(RLE_ENDS_EARLY), x.return, op.end],
      ...[op.get(src), x.i64Load(), i64(1), op.get(valueBytes), op.i32(3), op.i32Shl, x.i64ExtendI32U, x.i64Shl, i64(1), x.i64Sub, x.i64And, x.i32WrapI64, op.set(v)],
      ...[op.get(src), op.get(valueBytes), op.i32Add, op.set(src)],
      ...[op.get(n), op.if, ...noteBad(v), ...noteFirst(v), op.end],
      ...[op.get(i), op.get(n), op.i32Add, op.set(stop)],
      ...[op.get(n), op.i32(LONG_RUN), op.i32GeU, op.if],
      ...[op.get(runs), op.get(listed), op.i32(12), op.i32Mul, op.i32Add, op.tee(b), op.get(i), op.i32Store()],
      ...[op.get(b), op.get(n), op.i32Store(4), op.get(b), op.get(v), op.i32Store(8), op.get(listed), op.i32(1), op.i32Add, op.set(listed), op.get(stop), op.set(i)],
      ...[x.else],
      ...[op.block, op.loop, op.get(i), op.get(stop), op.i32GeU, op.brIf(1), ...gatherOne(v), op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end],
      ...[op.end],
      ...[x.else],
      // Bit-packed groups of 8: half groups, n = min(8 · half, count − i); the bytes the n values need must be there.
      ...[op.get(half), i64(3), x.i64Shl, op.get(n), x.i64ExtendI32U, x.i64LtU, op.if, op.get(half), i64(3), x.i64Shl, x.i32WrapI64, op.set(n), op.end],
      ...[op.get(n), x.i64ExtendI32U, op.get(w), x.i64ExtendI32U, x.i64Mul, i64(7), x.i64Add, i64(3), x.i64ShrU],
      ...[op.get(end), op.get(src), op.i32Sub, x.i64ExtendI32U, x.i64GtU, op.if, op.i32(PACKED_ENDS_EARLY), x.return, op.end],
      // Value k: 8 bytes from bit k·w, shifted and masked (w + 7 ≤ 39 bits; the memory has slack beyond end).
      ...[op.get(src), x.i64ExtendI32U, i64(3), x.i64Shl, op.set(bit)],
      ...[op.get(i), op.get(n), op.i32Add, op.set(stop)],
      ...[op.block, op.loop, op.get(i), op.get(stop), op.i32GeU, op.brIf(1)],
      ...[op.get(bit), i64(3), x.i64ShrU, x.i32WrapI64, x.i64Load(), op.get(bit), i64(7), x.i64And, x.i64ShrU, op.get(mask), x.i64And, x.i32WrapI64, op.set(idx)],
      ...noteBad(idx),
      ...noteFirst(idx),
      ...gatherOne(idx),
      ...[op.get(bit), op.get(w), x.i64ExtendI32U, x.i64Add, op.set(bit)],
      ...[op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end],
      // src += min(half · w, end − src).
      ...[op.get(half), op.get(w), x.i64ExtendI32U, x.i64Mul, op.tee(header), op.get(end), op.get(src), op.i32Sub, x.i64ExtendI32U, op.tee(scale), x.i64LtU],
      ...[op.if, op.get(src), op.get(header), x.i32WrapI64, op.i32Add, op.set(src), x.else, op.get(end), op.set(src), op.end],
      ...[op.end],
      ...[op.br(0), op.end, op.end],
      ...[op.i32(4), op.get(listed), op.i32Store(), op.i32(8), op.get(found), op.i32Store()],
      ...[op.get(bad), op.if, op.i32(BAD_INDEX), x.return, op.end, op.i32(0)],
    ],
  };
}

export const hybridGatherModule = compileOnce(() => wasmModule([kernel(1, false), kernel(2, false), kernel(1, true)]));
