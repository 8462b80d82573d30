import { emit, forLoop } from './wasm-control.ts';
import { compileOnce, I32, op, wasmModule, type WasmFunction } from './wasm-module.ts';

/**
 * A small seeded generator (mulberry32): 32 bits of state, fast, and the same sequence on every
 * engine, so a seed reproduces a model bit for bit. Never `Math.random` in model code.
 */
export interface Random {
  /** A float in [0, 1) with 32 random bits. */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** Adds 1 at `n = counts.length` indices drawn with replacement: the draws of n calls of `int(n)`, faster. */
  drawCounts(counts: Int32Array): void;
}

export function createRandom(seed: number, options: { allowWasm?: boolean } = {}): Random {
  const wasmDraws = options.allowWasm === false ? () => undefined : drawsKernel;
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + STEP) >>> 0;
    return output(state);
  };
  // On a local copy of the state: a bootstrap sample draws n times, and a captured variable is slower.
  const drawCounts = (counts: Int32Array): void => {
    const wasm = wasmDraws(counts.length);
    if (wasm) {
      state = wasm(state, counts);
      return;
    }
    const n = counts.length;
    let s = state;
    for (let d = 0; d < n; d++) {
      s = (s + STEP) >>> 0;
      counts[Math.floor(output(s) * n)]!++;
    }
    state = s;
  };
  return { next, int: (n) => Math.floor(next() * n), drawCounts };
}

const STEP = 0x6d2b79f5;

const x = { i32Xor: [0x73], f64ConvertI32U: [0xb8], i32TruncF64U: [0xab] };

// draws(state, n, counts) → state: n draws of mulberry32 from `state`, each adding 1 at
// ⌊output · n⌋ of the i32 counts; the same integer and f64 operations as drawCounts' JS loop
// (≈10 ns a draw there, most of a bootstrap sample's cost at 200k rows).
const DRAWS: WasmFunction = (() => {
  const [state, n, counts, d, t, at] = [0, 1, 2, 3, 4, 5];
  const imul = (a: number[][], b: number[][]): number[][] => [...a, ...b, op.i32Mul];
  const xorShr = (v: number, by: number): number[][] => [op.get(v), op.get(v), op.i32(by), op.i32ShrU, x.i32Xor];
  return {
    name: 'draws',
    params: [I32, I32, I32],
    results: [I32],
    locals: [I32, I32, I32],
    body: [
      emit([
        ...forLoop('draws', d, [op.i32(0)], [op.get(n)], [
          [op.get(state), op.i32(STEP | 0), op.i32Add, op.set(state)],
          // t = imul(s ^ s >>> 15, s | 1); t ^= t + imul(t ^ t >>> 7, t | 61); u = t ^ t >>> 14.
          [...imul(xorShr(state, 15), [op.get(state), op.i32(1), op.i32Or]), op.set(t)],
          [op.get(t), op.get(t), ...imul(xorShr(t, 7), [op.get(t), op.i32(61), op.i32Or]), op.i32Add, x.i32Xor, op.set(t)],
          // counts[⌊(u / 2^32) · n⌋] += 1 (u · 2^−32 is that quotient exactly: a power of two)
          [...xorShr(t, 14), x.f64ConvertI32U, op.f64Const(2 ** -32), op.f64Mul, op.get(n), x.f64ConvertI32U, op.f64Mul, op.f64Floor, x.i32TruncF64U],
          [op.i32(2), op.i32Shl, op.get(counts), op.i32Add, op.tee(at), op.get(at), op.i32Load(), op.i32(1), op.i32Add, op.i32Store()],
        ]),
        [op.get(state)],
      ]),
    ],
  };
})();
const drawsModule = compileOnce(() => wasmModule([DRAWS]), ['forest']);
let drawsMemory: { memory: WebAssembly.Memory; draws: (state: number, n: number, counts: number) => number } | undefined;

/** The WebAssembly draws for n counts (a memory kept and grown between calls), or undefined where the host lacks them. */
export function drawsKernel(n: number): ((state: number, counts: Int32Array) => number) | undefined {
  const module = drawsModule();
  if (!module) return undefined;
  const bytes = 16 + 4 * n;
  if (!drawsMemory || drawsMemory.memory.buffer.byteLength < bytes) {
    try {
      const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
      const draws = (new WebAssembly.Instance(module, { env: { memory } }).exports as { draws: (state: number, n: number, counts: number) => number }).draws;
      drawsMemory = { memory, draws };
    } catch {
      return undefined;
    }
  }
  const { memory, draws } = drawsMemory;
  return (state, counts) => {
    const view = new Int32Array(memory.buffer, 16, counts.length);
    view.set(counts);
    const next = draws(state | 0, counts.length, 16) >>> 0;
    counts.set(view);
    return next;
  };
}

/** mulberry32's output for a state: a float in [0, 1) with 32 random bits. */
function output(state: number): number {
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** `count` distinct indices of [0, n) chosen uniformly, in ascending order (partial Fisher–Yates). */
export function sampleIndices(n: number, count: number, random: Random): Int32Array {
  const k = Math.max(0, Math.min(n, count));
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + random.int(n - i);
    const t = all[i]!;
    all[i] = all[j]!;
    all[j] = t;
  }
  return all.slice(0, k).sort();
}
