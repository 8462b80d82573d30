import type { FeatureMatrix } from '../binning/types.ts';
import { block, br, brIf, emit, loop } from '../wasm-control.ts';
import { compileOnce, I32, op, wasmModule, type WasmFunction } from '../wasm-module.ts';
import type { Tree } from './types.ts';

/*
 * Adding trees' leaf values to a binned matrix's margins (predict.ts's addTree) in WebAssembly. A
 * row's walk down a tree goes left or right at random to the branch predictor, so the kernel walks
 * without branching: a fixed number of steps (the tree's depth), a leaf staying where it is
 * (feature < 0: node unchanged), the child chosen by selects. Margins get the same f64 adds in
 * the same order (tree by tree), so predictions are addTree's bit for bit.
 */

const x = { i32LtS: [0x48], i32LeU: [0x4d] };

// addTree(bins, n, feature, splitBin, defaultLeft, binCounts, steps, value, margins, outputs, k):
// margins[i·outputs + k] += value[leaf of row i] for i < n; the tree's arrays as i32 (defaultLeft
// too), the matrix's bins column-major (a byte per cell), binCounts i32 per feature.
const ADD_TREE: WasmFunction = (() => {
  const [bins, n, feature, splitBin, defaultLeft, binCounts, steps, value, margins, outputs, k] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const [i, step, node, f, fi, b, at] = [11, 12, 13, 14, 15, 16, 17];
  const i32At = (base: number, index: number[][]): number[][] => [op.get(base), ...index, op.i32(2), op.i32Shl, op.i32Add, op.i32Load()];
  return {
    name: 'addTree',
    params: Array<number>(11).fill(I32),
    results: [],
    locals: Array<number>(7).fill(I32),
    body: [
      emit([
        block(
          'rows-end',
          loop(
            'rows',
            [op.get(i), op.get(n), op.i32GeU],
            brIf('rows-end'),
            [op.i32(0), op.set(node), op.i32(0), op.set(step)],
            block(
              'walk-end',
              loop(
                'walk',
                [op.get(step), op.get(steps), op.i32GeU],
                brIf('walk-end'),
                // f: the node's feature (< 0 at a leaf, which then reads feature 0's bin harmlessly).
                [...i32At(feature, [op.get(node)]), op.set(f), op.i32(0), op.get(f), op.get(f), op.i32(0), x.i32LtS, op.select, op.set(fi)],
                [op.get(bins), op.get(fi), op.get(n), op.i32Mul, op.i32Add, op.get(i), op.i32Add, op.i32Load8U(), op.set(b)],
                // left: the missing bin follows defaultLeft, any other goes left when b ≤ splitBin.
                [...i32At(defaultLeft, [op.get(node)]), op.get(b), ...i32At(splitBin, [op.get(node)]), x.i32LeU, op.get(b), ...i32At(binCounts, [op.get(fi)]), op.i32(1), op.i32Sub, op.i32Eq, op.select, op.set(at)],
                // node = leaf ? node : 2·node + 2 − left
                [op.get(node), op.get(node), op.i32(1), op.i32Shl, op.i32(2), op.i32Add, op.get(at), op.i32Sub, op.get(f), op.i32(0), x.i32LtS, op.select, op.set(node)],
                [op.get(step), op.i32(1), op.i32Add, op.set(step)],
                br('walk'),
              ),
            ),
            [op.get(margins), op.get(i), op.get(outputs), op.i32Mul, op.get(k), op.i32Add, op.i32(3), op.i32Shl, op.i32Add, op.tee(at)],
            [op.get(at), op.f64Load(), op.get(value), op.get(node), op.i32(3), op.i32Shl, op.i32Add, op.f64Load(), op.f64Add, op.f64Store()],
            [op.get(i), op.i32(1), op.i32Add, op.set(i)],
            br('rows'),
          ),
        ),
      ]),
    ],
  };
})();

const treeModule = compileOnce(() => wasmModule([ADD_TREE]));

/** Beyond this, the JS loop (a 32-bit memory; browsers refuse more in one piece). */
const WASM_LIMIT = 1 << 30;

/**
 * Margins for a matrix from trees added one by one (base margins first), in WebAssembly; undefined
 * where the host lacks it or the memory would be too large (callers then use addTree).
 */
export function treeMargins(matrix: FeatureMatrix, outputs: number, treeSize: number): { add(tree: Tree, k: number): void; margins: Float64Array } | undefined {
  const module = treeModule();
  if (!module) return undefined;
  const n = matrix.rows;
  const F = matrix.features;
  const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;
  const marginsAt = 16;
  const binsAt = marginsAt + align(8 * n * outputs);
  const countsAt = binsAt + align(n * F);
  const treeAt = countsAt + align(4 * F);
  const [featureAt, splitAt, leftAt, valueAt] = [treeAt, treeAt + align(4 * treeSize), treeAt + 2 * align(4 * treeSize), treeAt + 3 * align(4 * treeSize)];
  const bytes = valueAt + 8 * treeSize;
  if (bytes > WASM_LIMIT) return undefined;
  let kernel: (...args: number[]) => void;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
    kernel = (new WebAssembly.Instance(module, { env: { memory } }).exports as { addTree: (...args: number[]) => void }).addTree;
  } catch {
    return undefined;
  }
  const buffer = memory.buffer;
  new Uint8Array(buffer, binsAt, n * F).set(matrix.bins.subarray(0, n * F));
  new Int32Array(buffer, countsAt, F).set(matrix.binCounts);
  const feature = new Int32Array(buffer, featureAt, treeSize);
  const split = new Int32Array(buffer, splitAt, treeSize);
  const left = new Int32Array(buffer, leftAt, treeSize);
  const value = new Float64Array(buffer, valueAt, treeSize);
  // A heap-layout tree of this size has at most log2(treeSize + 1) − 1 levels of splits.
  const steps = Math.max(0, Math.ceil(Math.log2(treeSize + 1)) - 1);
  return {
    margins: new Float64Array(buffer, marginsAt, n * outputs),
    add(tree, k) {
      if (tree.feature.length !== treeSize) throw new Error(`a tree of ${tree.feature.length} nodes where ${treeSize} were expected`);
      feature.set(tree.feature);
      split.set(tree.splitBin);
      left.set(tree.defaultLeft);
      value.set(tree.value);
      kernel(binsAt, n, featureAt, splitAt, leftAt, countsAt, steps, valueAt, marginsAt, outputs, k);
    },
  };
}
