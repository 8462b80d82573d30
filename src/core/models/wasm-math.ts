import { I32, op, V128, type WasmFunction } from './wasm-module.ts';

/*
 * exp (for x ≤ 0) and log1p (for x ≥ 0), in place over f64 arrays, with the same bits in
 * WebAssembly SIMD and in JS: the same IEEE operations in the same order (neither side fuses a
 * multiply-add). Math.exp / Math.log1p are not used: their last bits are the engine's choice, and
 * these run two lanes at a time. Polynomials are evaluated by Estrin's scheme (P = P_low +
 * x^h · P_high, recursively), which is shorter in latency than Horner's.
 *
 * exp: x clamped at −708 (e^−708 ≈ 3e−308; every use here adds it to a term ≥ 1),
 * k = ⌊x·log₂e + ½⌋, r = x − k·ln2 (ln2 in two parts, k·LN2_HI exact), e^r by its Taylor
 * polynomial to r¹³/13! (|r| ≤ ln2 / 2: truncation below 1e−17 relative), times 2^k.
 * log1p: u = 1 + x, c = (x − (u − 1)) / u the rounding of u, u halved above √2 (k = 1),
 * s = (u − 1) / (u + 1), log u = 2·atanh(s) = s·Σ 2 s^2j / (2j + 1) to j = 10 (|s| ≤ 0.172:
 * truncation below 1e−18), result s·L + c + k·ln2.
 */

const LOG2E = 1.4426950408889634;
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const LN2 = Math.LN2;
const SQRT2 = Math.SQRT2;
const FLOOR = -708;
/** 1 / k!, k = 0 … 13. */
const EXP_C = Array.from({ length: 14 }, (_, k) => 1 / Array.from({ length: k }, (_, j) => j + 1).reduce((a, b) => a * b, 1));
/** 2 / (2j + 1), j = 0 … 10. */
const LOG_C = Array.from({ length: 11 }, (_, j) => 2 / (2 * j + 1));
/** 2^k for k = −1022 … 1023, by exact halvings and doublings. */
const POW2 = (() => {
  const t = new Float64Array(2046);
  t[1022] = 1;
  for (let k = 1021; k >= 0; k--) t[k] = t[k + 1]! / 2;
  for (let k = 1023; k < 2046; k++) t[k] = t[k - 1]! * 2;
  return t;
})();

/** The split of n coefficients: the low part has the largest power of two below n. */
const half = (n: number): number => 2 ** (Math.ceil(Math.log2(n)) - 1);

/** Estrin's scheme over c[lo … lo + n) with powers[j] = x^(2^j). */
function estrin(c: readonly number[], lo: number, n: number, powers: Float64Array): number {
  if (n === 1) return c[lo]!;
  const h = half(n);
  return estrin(c, lo, h, powers) + estrin(c, lo + h, n - h, powers) * powers[Math.log2(h)]!;
}

/** Fills powers[j] = x^(2^j) by repeated squaring, as many as c needs. */
function powersOf(x: number, count: number, powers: Float64Array): void {
  powers[0] = x;
  for (let j = 1; j < count; j++) powers[j] = powers[j - 1]! * powers[j - 1]!;
}

const powerCount = (n: number): number => Math.ceil(Math.log2(n));

/** buffer[offset + i] = exp(buffer[offset + i] [− buffer[shift + i]]) for i < m. */
export function expInPlace(buffer: Float64Array, offset: number, m: number, shift = -1): void {
  const powers = new Float64Array(4);
  const count = powerCount(EXP_C.length);
  for (let i = offset; i < offset + m; i++) {
    const x = Math.max(shift < 0 ? buffer[i]! : buffer[i]! - buffer[shift + i - offset]!, FLOOR);
    const k = Math.floor(x * LOG2E + 0.5);
    const r = x - k * LN2_HI - k * LN2_LO;
    powersOf(r, count, powers);
    buffer[i] = estrin(EXP_C, 0, EXP_C.length, powers) * POW2[k + 1022]!;
  }
}

/** buffer[offset + i] = log1p(buffer[offset + i]) for i < m (values ≥ 0). */
export function log1pInPlace(buffer: Float64Array, offset: number, m: number): void {
  const powers = new Float64Array(4);
  const count = powerCount(LOG_C.length);
  for (let i = offset; i < offset + m; i++) {
    const x = buffer[i]!;
    const u = 1 + x;
    const c = (x - (u - 1)) / u;
    const big = u > SQRT2;
    const f = big ? u * 0.5 : u;
    const s = (f - 1) / (f + 1);
    powersOf(s * s, count, powers);
    buffer[i] = s * estrin(LOG_C, 0, LOG_C.length, powers) + c + (big ? LN2 : 0);
  }
}

/** A splatted f64 constant, read from a local that the function fills once before its loop. */
type Splat = (v: number) => number[][];

/** The same Estrin tree in WebAssembly, leaving the value on the stack; powers in locals. */
function estrinOps(c: readonly number[], lo: number, n: number, powers: number[], splat: Splat): number[][] {
  if (n === 1) return splat(c[lo]!);
  const h = half(n);
  return [...estrinOps(c, lo, h, powers, splat), ...estrinOps(c, lo + h, n - h, powers, splat), op.get(powers[Math.log2(h)]!), op.f64x2Mul, op.f64x2Add];
}

function powerOps(x: number[][], powers: number[], count: number): number[][] {
  const out: number[][] = [...x, op.set(powers[0]!)];
  for (let j = 1; j < count; j++) out.push(op.get(powers[j - 1]!), op.get(powers[j - 1]!), op.f64x2Mul, op.set(powers[j]!));
  return out;
}

/**
 * (p, m[, q]): in place over m f64 at byte address p, two at a time (m rounded up to even); with
 * `shifted`, the input is p[i] − q[i]. The body gets the input on the stack and locals numbered
 * from `local(0)`; the constants it splats live in locals set before the loop (V8 does not hoist
 * them).
 */
function inPlace(name: string, shifted: boolean, locals: number, body: (local: (j: number) => number, splat: Splat) => number[][]): WasmFunction {
  const [p, m, q] = [0, 1, 2];
  const i = shifted ? 3 : 2;
  const local = (j: number): number => i + 1 + j;
  const at = (base: number) => [op.get(base), op.get(i), op.i32(3), op.i32Shl, op.i32Add];
  const pool = new Map<number, number>();
  const splat: Splat = (v) => {
    let index = pool.get(v);
    if (index === undefined) pool.set(v, (index = local(locals + pool.size)));
    return [op.get(index)];
  };
  const loopBody = body(local, splat);
  return {
    name,
    params: shifted ? [I32, I32, I32] : [I32, I32],
    results: [],
    locals: [I32, ...Array.from({ length: locals + pool.size }, () => V128)],
    body: [
      ...[...pool].flatMap(([v, index]) => [op.f64Const(v), op.f64x2Splat, op.set(index)]),
      op.block, op.loop,
      op.get(i), op.get(m), op.i32GeU, op.brIf(1),
      ...at(p),
      ...at(p), op.v128Load(), ...(shifted ? [...at(q), op.v128Load(), op.f64x2Sub] : []),
      ...loopBody, op.v128Store(),
      op.get(i), op.i32(2), op.i32Add, op.set(i),
      op.br(0), op.end, op.end,
    ],
  };
}

const expBody = (local: (j: number) => number, splat: Splat): number[][] => {
  const [x, k] = [local(0), local(1)];
  const powers = [local(2), local(3), local(4), local(5)];
  return [
    ...splat(FLOOR), op.f64x2Pmax, op.set(x),
    op.get(x), ...splat(LOG2E), op.f64x2Mul, ...splat(0.5), op.f64x2Add, op.f64x2Floor, op.set(k),
    ...powerOps([op.get(x), op.get(k), ...splat(LN2_HI), op.f64x2Mul, op.f64x2Sub, op.get(k), ...splat(LN2_LO), op.f64x2Mul, op.f64x2Sub], powers, powerCount(EXP_C.length)),
    ...estrinOps(EXP_C, 0, EXP_C.length, powers, splat),
    // 2^k from its bits: (k + 1023) << 52.
    op.get(k), op.i32x4TruncSatF64x2SZero, op.i64x2ExtendLowI32x4S, op.i64Const(1023), op.i64x2Splat, op.i64x2Add, op.i32(52), op.i64x2Shl,
    op.f64x2Mul,
  ];
};

/** exp(p, m): p[i] = exp(p[i]). */
export const EXP_WASM: WasmFunction = inPlace('exp', false, 6, expBody);
/** expShift(p, m, q): p[i] = exp(p[i] − q[i]). */
export const EXP_SHIFT_WASM: WasmFunction = inPlace('expShift', true, 6, expBody);

/** log1p(p, m): p[i] = log1p(p[i]). */
export const LOG1P_WASM: WasmFunction = inPlace('log1p', false, 10, (local, splat) => {
  const [x, u, c, big, f, s] = [0, 1, 2, 3, 4, 5].map(local) as [number, number, number, number, number, number];
  const powers = [6, 7, 8, 9].map(local);
  return [
    op.set(x),
    ...splat(1), op.get(x), op.f64x2Add, op.set(u),
    op.get(x), op.get(u), ...splat(1), op.f64x2Sub, op.f64x2Sub, op.get(u), op.f64x2Div, op.set(c),
    op.get(u), ...splat(SQRT2), op.f64x2Gt, op.set(big),
    op.get(u), ...splat(0.5), op.f64x2Mul, op.get(u), op.get(big), op.v128Bitselect, op.set(f),
    op.get(f), ...splat(1), op.f64x2Sub, op.get(f), ...splat(1), op.f64x2Add, op.f64x2Div, op.set(s),
    ...powerOps([op.get(s), op.get(s), op.f64x2Mul], powers, powerCount(LOG_C.length)),
    op.get(s), ...estrinOps(LOG_C, 0, LOG_C.length, powers, splat), op.f64x2Mul,
    op.get(c), op.f64x2Add,
    ...splat(LN2), ...splat(0), op.get(big), op.v128Bitselect, op.f64x2Add,
  ];
});
