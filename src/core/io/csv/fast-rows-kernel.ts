import { FLOAT, INT, TEXT } from './fast-rows.ts';
import { block, br, brIf, emit, ifElse, loop, type Code, type Instr } from '../../models/wasm-control.ts';
import { compileOnce, F64, I32, op, uleb, V128, wasmModule, type WasmFunction } from '../../models/wasm-module.ts';

/*
 * FastRows' row loop (fast-rows.ts) as a WebAssembly kernel: the same rows taken, the same values,
 * the same places where a row is given back to the general tokenizer. The JS loop spends ~18 ns a
 * field on KDD99; most of it is the per-byte work of a JIT-compiled loop over a Uint8Array.
 *
 * parseRows(p, end, k, B, delim, kinds, out, miss, rowEnds, prev, anyNull, pow10, cap) → rows
 * reads rows from memory[p, end) (end just past a line break), at most cap ≤ B of them, each of k
 * fields:
 * - kinds[c] (bytes): 1 int, 2 float, 3 text;
 * - column c's values at out + 8·B·c: an int's i32 at +4r, a float's f64 at +8r, a text field's
 *   start and end (addresses) at +8r and +8r + 4, or start −1 when its bytes equal the column's
 *   last text field with its own start (prev + 8c holds that field's start and end);
 * - an empty field sets miss[B·c + r] and anyNull[c] (both zeroed by the caller) and stores 0;
 * - rowEnds[r] = the address just past row r's line break;
 * - pow10 holds 10^0…10^15 as f64.
 * It reads up to 16 bytes past `end` (the caller leaves them in memory).
 * It stops at the first row with anything the fast path does not take (see fast-rows.ts) and
 * returns how many rows it finished; the caller checks null tokens and nulls in columns without
 * validity, which may end the run earlier still.
 */

const I64 = 0x7e;

/** Instructions the shared table lacks. */
const x = {
  i32Ne: [0x47],
  i32GtU: [0x4b],
  i32GtS: [0x4a],
  i32LeU: [0x4d],
  i32Ctz: [0x68],
  i64Const0: [0x42, 0],
  i64Mul: [0x7e],
  i64Add: [0x7c],
  i64Xor: [0x85],
  i64Shl: [0x86],
  i64Eqz: [0x50],
  i64ExtendI32U: [0xad],
  i32WrapI64: [0xa7],
  f64ConvertI64S: [0xb9],
  /** Loads with alignment hint 0: these addresses are byte-aligned. */
  i64Load: (offset = 0) => [0x29, 0, ...uleb(offset)],
  i64Store: (offset = 0) => [0x37, 3, ...uleb(offset)],
  v128Load: (offset = 0) => [0xfd, 0x00, 0, ...uleb(offset)],
  i8x16Splat: [0xfd, 0x0f],
  i8x16Eq: [0xfd, 0x23],
  i8x16Bitmask: [0xfd, 0x64],
};

const PARSE_ROWS: WasmFunction = (() => {
  const [p0, end, k, B, delim, kinds, out, miss, rowEnds, prev, anyNull, pow10, cap] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const [row, p, c, kind, ch, s, neg, digits, slot, len, j, ps, same, dot, n] = [13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27];
  const m = 28; // i64
  const v = 29; // f64
  const [delims, lfs, crs, vec] = [30, 31, 32, 33]; // v128
  const get = op.get;
  const load8 = (addr: number[][]): number[] => [...addr.flat(), ...op.i32Load8U()];
  const next: Instr = [get(p), op.i32(1), op.i32Add, op.set(p), ...load8([get(p)]), op.set(ch)];
  // while ch is a digit: m = 10 m + digit. (A SIMD count of the digits with an eight-digit SWAR
  // multiply measured slower on KDD99, whose fields are mostly one digit: this branch predicts well.)
  const digitsLoop = (label: string): Code =>
    block(
      `${label}-end`,
      loop(
        label,
        [get(ch), op.i32(0x30), op.i32Sub, op.i32(10), op.i32GeU],
        brIf(`${label}-end`),
        [get(m), op.i64Const(10), x.i64Mul, get(ch), op.i32(0x30), op.i32Sub, x.i64ExtendI32U, x.i64Add, op.set(m)],
        next,
        br(label),
      ),
    );
  // miss[B·c + row] = 1, anyNull[c] = 1
  const markMissing: Code[] = [
    [get(miss), get(B), get(c), op.i32Mul, op.i32Add, get(row), op.i32Add, op.i32(1), op.i32Store8()],
    [get(anyNull), get(c), op.i32Add, op.i32(1), op.i32Store8()],
  ];
  const at8 = [get(slot), get(row), op.i32(3), op.i32Shl, op.i32Add];
  const at4 = [get(slot), get(row), op.i32(2), op.i32Shl, op.i32Add];
  const prevAt = [get(prev), get(c), op.i32(3), op.i32Shl, op.i32Add];

  const text: Code[] = [
    block(
      'scanned',
      loop(
        'scan',
        [get(p), x.v128Load(), op.tee(vec), get(delims), x.i8x16Eq, get(vec), get(lfs), x.i8x16Eq, op.v128Or, get(vec), get(crs), x.i8x16Eq, op.v128Or, x.i8x16Bitmask, op.tee(n)],
        ifElse('found', [[get(p), get(n), x.i32Ctz, op.i32Add, op.set(p)], br('scanned')]),
        [get(p), op.i32(16), op.i32Add, op.set(p)],
        br('scan'),
      ),
    ),
    [...load8([get(p)]), op.set(ch)],
    // A quoted field goes to the general path.
    [...load8([get(s)]), op.i32(0x22), op.i32Eq],
    brIf('done'),
    [get(p), get(s), op.i32Eq],
    ifElse('empty', [...markMissing, [...at8, x.i64Const0, x.i64Store()]], [
      [get(p), get(s), op.i32Sub, op.set(len)],
      [...prevAt, op.i32Load(), op.set(ps)],
      // same = the last text field has this length and these bytes
      [...prevAt, op.i32Load(4), get(ps), op.i32Sub, get(len), op.i32Eq, op.set(same)],
      [get(same)],
      ifElse('compare', [
        [get(len), op.i32(8), x.i32LeU],
        ifElse(
          'short',
          // The first len bytes of both, compared as one word.
          [[get(s), x.i64Load(), get(ps), x.i64Load(), x.i64Xor, op.i32(64), get(len), op.i32(3), op.i32Shl, op.i32Sub, x.i64ExtendI32U, x.i64Shl, x.i64Eqz, op.set(same)]],
          [
            [op.i32(0), op.set(j)],
            block(
              'compared',
              loop(
                'bytes',
                [get(j), get(len), op.i32GeU],
                brIf('compared'),
                [...load8([get(s), get(j), op.i32Add]), ...load8([get(ps), get(j), op.i32Add]), x.i32Ne],
                ifElse('differ', [[op.i32(0), op.set(same)], br('compared')]),
                [get(j), op.i32(1), op.i32Add, op.set(j)],
                br('bytes'),
              ),
            ),
          ],
        ),
      ]),
      [get(same)],
      ifElse(
        'store',
        [[...at8, op.i32(-1), op.i32Store()]],
        [[...at8, get(s), op.i32Store()], [...at8, get(p), op.i32Store(4)], [...prevAt, get(s), op.i32Store()], [...prevAt, get(p), op.i32Store(4)]],
      ),
    ]),
  ];

  const number: Code[] = [
    [get(ch), op.i32(0x2d), op.i32Eq, op.tee(neg)],
    ifElse('minus', [next]),
    [get(p), op.set(digits), ...x.i64Const0, op.set(m)],
    digitsLoop('int-digits'),
    [get(kind), op.i32(FLOAT), op.i32Eq, get(ch), op.i32(0x2e), op.i32Eq, op.i32And],
    ifElse(
      'fraction',
      [
        next,
        [get(p), op.set(dot)],
        digitsLoop('frac-digits'),
        // No digit after the dot, or more than 15 digits: the general path.
        [get(p), get(dot), op.i32Eq],
        brIf('done'),
        [get(p), get(digits), op.i32Sub, op.i32(1), op.i32Sub, op.i32(15), x.i32GtS],
        brIf('done'),
        [get(m), x.f64ConvertI64S, get(pow10), get(p), get(dot), op.i32Sub, op.i32(3), op.i32Shl, op.i32Add, op.f64Load(), op.f64Div, op.set(v)],
        [...at8, get(v), op.f64Neg, get(v), get(neg), op.select, op.f64Store()],
      ],
      [
        [get(p), get(digits), op.i32Sub, op.set(len)],
        [get(len), op.i32Eqz],
        ifElse(
          'no-digits',
          [
            [get(neg)],
            brIf('done'),
            ...markMissing,
            [get(kind), op.i32(INT), op.i32Eq],
            ifElse('int-zero', [[...at4, op.i32(0), op.i32Store()]], [[...at8, x.i64Const0, x.i64Store()]]),
          ],
          [
            [get(kind), op.i32(INT), op.i32Eq],
            ifElse(
              'int',
              [[get(len), op.i32(9), x.i32GtU], brIf('done'), [...at4, op.i32(0), get(m), x.i32WrapI64, op.i32Sub, get(m), x.i32WrapI64, get(neg), op.select, op.i32Store()]],
              [[get(len), op.i32(15), x.i32GtU], brIf('done'), [get(m), x.f64ConvertI64S, op.set(v)], [...at8, get(v), op.f64Neg, get(v), get(neg), op.select, op.f64Store()]],
            ),
          ],
        ),
      ],
    ),
  ];

  const fieldEnd: Code[] = [
    [get(c), op.i32(1), op.i32Add, get(k), op.i32LtU],
    ifElse(
      'more',
      [[get(ch), get(delim), x.i32Ne], brIf('done'), [get(p), op.i32(1), op.i32Add, op.set(p)]],
      [
        [get(ch), op.i32(0x0a), op.i32Eq],
        ifElse(
          'lf',
          [[get(p), op.i32(1), op.i32Add, op.set(p)]],
          [
            [get(ch), op.i32(0x0d), x.i32Ne],
            brIf('done'),
            [get(p), op.i32(1), op.i32Add, get(end), op.i32GeU],
            brIf('done'),
            [get(p), op.i32(1), op.i32Add, ...load8([get(p), op.i32(1), op.i32Add]), op.i32(0x0a), op.i32Eq, op.i32Add, op.set(p)],
          ],
        ),
      ],
    ),
  ];

  const body = emit([
    [op.i32(0), op.set(row), get(p0), op.set(p)],
    [get(delim), x.i8x16Splat, op.set(delims), op.i32(0x0a), x.i8x16Splat, op.set(lfs), op.i32(0x0d), x.i8x16Splat, op.set(crs)],
    block(
      'done',
      loop(
        'rows',
        [get(p), get(end), op.i32GeU],
        brIf('done'),
        [get(row), get(cap), op.i32GeU],
        brIf('done'),
        [op.i32(0), op.set(c)],
        loop(
          'fields',
          [...load8([get(kinds), get(c), op.i32Add]), op.set(kind)],
          [get(p), op.set(s), ...load8([get(p)]), op.set(ch)],
          [get(out), get(c), get(B), op.i32Mul, op.i32(3), op.i32Shl, op.i32Add, op.set(slot)],
          [get(kind), op.i32(TEXT), op.i32Eq],
          ifElse('text', text, number),
          ...fieldEnd,
          [get(c), op.i32(1), op.i32Add, op.tee(c), get(k), op.i32LtU],
          brIf('fields'),
        ),
        [get(rowEnds), get(row), op.i32(2), op.i32Shl, op.i32Add, get(p), op.i32Store()],
        [get(row), op.i32(1), op.i32Add, op.set(row)],
        br('rows'),
      ),
    ),
    [get(row)],
  ]);
  return {
    name: 'parseRows',
    params: Array<number>(13).fill(I32),
    results: [I32],
    locals: [...Array<number>(15).fill(I32), I64, F64, ...Array<number>(4).fill(V128)],
    body: [body],
  };
})();

export const fastRowsModule = compileOnce(() => wasmModule([PARSE_ROWS]));
