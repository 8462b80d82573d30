import type { FeatureMatrix } from './binning/types.ts';

/** Beyond this, the JS loops (a 32-bit memory; browsers refuse more in one piece). */
const WASM_LIMIT = 1 << 30;

/** A kernel's memory holding a binned matrix: `head` bytes at 16, the bins, the bin counts (i32), then `tail` bytes. */
export interface MatrixMemory {
  buffer: ArrayBuffer;
  exports: Record<string, (...args: number[]) => void>;
  headAt: number;
  binsAt: number;
  countsAt: number;
  tailAt: number;
}

/**
 * Instantiates `module` on a fresh memory laid out as MatrixMemory, with the matrix's bins and bin
 * counts copied in; undefined when it would be too large or the host refuses the memory.
 */
export function matrixMemory(module: WebAssembly.Module, matrix: FeatureMatrix, head: number, tail: number): MatrixMemory | undefined {
  const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;
  const n = matrix.rows;
  const F = matrix.features;
  const headAt = 16;
  const binsAt = headAt + align(head);
  const countsAt = binsAt + align(n * F);
  const tailAt = countsAt + align(4 * F);
  const bytes = tailAt + tail;
  if (bytes > WASM_LIMIT) return undefined;
  try {
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as MatrixMemory['exports'];
    const buffer = memory.buffer;
    new Uint8Array(buffer, binsAt, n * F).set(matrix.bins.subarray(0, n * F));
    new Int32Array(buffer, countsAt, F).set(matrix.binCounts);
    return { buffer, exports, headAt, binsAt, countsAt, tailAt };
  } catch {
    return undefined;
  }
}
