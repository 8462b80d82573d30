import { EXP_WASM, expInPlace, LOG1P_WASM, log1pInPlace } from '../wasm-math.ts';
import { compileOnce, wasmModule } from '../wasm-module.ts';

/**
 * exp and log1p over a scratch array, for the boosting rounds' probabilities and log loss: in
 * WebAssembly SIMD (about a tenth of Math.exp / Math.log's time here), or their JS twins where the
 * host has none; both give the same bits (wasm-math.ts).
 */
export interface ScratchMath {
  /** Room for the values (even-length: the kernels take two at a time). */
  values: Float64Array;
  /** values[offset + i] = exp(values[offset + i]) for i < m (arguments below −708 are taken as −708). */
  exp(offset: number, m: number): void;
  /** values[offset + i] = log1p(values[offset + i]) for i < m (values in [0, 1]: the series is for those). */
  log1p(offset: number, m: number): void;
}

const mathModule = compileOnce(() => wasmModule([EXP_WASM, LOG1P_WASM]));

export function scratchMath(length: number, allowWasm = true): ScratchMath {
  const even = length + (length % 2);
  const module = allowWasm ? mathModule() : null;
  if (module) {
    try {
      const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((even * 8) / 65536)) });
      const k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as { exp(p: number, m: number): void; log1p(p: number, m: number): void };
      return { values: new Float64Array(memory.buffer, 0, even), exp: (offset, m) => k.exp(offset * 8, m), log1p: (offset, m) => k.log1p(offset * 8, m) };
    } catch {
      // No memory for it: the JS twins below.
    }
  }
  const values = new Float64Array(even);
  return { values, exp: (offset, m) => expInPlace(values, offset, m), log1p: (offset, m) => log1pInPlace(values, offset, m) };
}
