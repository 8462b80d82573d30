import type { FeatureMatrix } from '../binning/types.ts';
import { matrixMemory } from '../matrix-memory.ts';
import { block, brIf, emit, forLoop, type Code } from '../wasm-control.ts';
import { compileOnce, I32, op, wasmModule, type WasmFunction } from '../wasm-module.ts';
import type { Tree } from './types.ts';
import { goesLeft, i32At, type WalkLocals } from '../tree-walk-ops.ts';

/*
 * Adding trees' leaf values to a binned matrix's margins (predict.ts's addTree) in WebAssembly. A
 * row's walk down a tree goes left or right at random to the branch predictor, so the kernel walks
 * without branching: a fixed number of steps (the tree's depth), a leaf staying where it is
 * (feature < 0: node unchanged), the child chosen by selects. Margins get the same f64 adds in
 * the same order (tree by tree), so predictions are addTree's bit for bit.
 */

const x = { i32LtS: [0x48] };

/**
 * Walks row i down the tree from the root for `steps` steps, leaving its leaf in `node`: a leaf
 * (feature < 0) stays put; elsewhere the missing bin follows defaultLeft and any other bin goes
 * left when b ≤ splitBin, as leafOf (predict.ts). The tree's arrays are i32, bins a byte a cell
 * (column-major), binCounts i32 per feature.
 */
export function walkOps(w: WalkLocals): Code[] {
  return [
    [op.i32(0), op.set(w.node)],
    ...forLoop('walk', w.step, [op.i32(0)], [op.get(w.steps)], [
      // f: the node's feature (< 0 at a leaf, which then reads feature 0's bin harmlessly).
      [...i32At(w.feature, [op.get(w.node)]), op.set(w.f), op.i32(0), op.get(w.f), op.get(w.f), op.i32(0), x.i32LtS, op.select, op.set(w.fi)],
      [...goesLeft({ ...w, f: w.fi }), op.set(w.left)],
      // node = leaf ? node : 2·node + 2 − left
      [op.get(w.node), op.get(w.node), op.i32(1), op.i32Shl, op.i32(2), op.i32Add, op.get(w.left), op.i32Sub, op.get(w.f), op.i32(0), x.i32LtS, op.select, op.set(w.node)],
    ]),
  ];
}

/**
 * A kernel over rows i < n whose first seven parameters are the walk's (bins, n, feature, splitBin,
 * defaultLeft, binCounts, steps) and `extra` more follow: each row not skipped (`skip` leaves an
 * i32 on the stack, 1 to skip, with the locals in reach) is walked, then `then` runs with its leaf
 * in `node`. Locals come after the parameters: i, step, node, f, fi, b, left.
 */
export function rowWalkKernel(name: string, extra: number, then: (l: WalkLocals) => Code[], skip?: (l: WalkLocals) => Code[]): WasmFunction {
  const p = 7 + extra;
  const l: WalkLocals = { bins: 0, n: 1, feature: 2, splitBin: 3, defaultLeft: 4, binCounts: 5, steps: 6, i: p, step: p + 1, node: p + 2, f: p + 3, fi: p + 4, b: p + 5, left: p + 6 };
  const row: Code[] = [...walkOps(l), ...then(l)];
  return {
    name,
    params: Array<number>(p).fill(I32),
    results: [],
    locals: Array<number>(7).fill(I32),
    body: [
      emit([
        ...forLoop('rows', l.i, [op.i32(0)], [op.get(l.n)], skip ? [block('next', ...skip(l), brIf('next'), ...row)] : row),
      ]),
    ],
  };
}

// addTree(bins, n, feature, splitBin, defaultLeft, binCounts, steps, value, margins, outputs, k):
// margins[i·outputs + k] += value[leaf of row i] for i < n (defaultLeft as i32 too).
const [VALUE, MARGINS, OUTPUTS, K] = [7, 8, 9, 10];
const ADD_TREE = rowWalkKernel('addTree', 4, (l) => [
  [op.get(MARGINS), op.get(l.i), op.get(OUTPUTS), op.i32Mul, op.get(K), op.i32Add, op.i32(3), op.i32Shl, op.i32Add, op.tee(l.left)],
  [op.get(l.left), op.f64Load(), op.get(VALUE), op.get(l.node), op.i32(3), op.i32Shl, op.i32Add, op.f64Load(), op.f64Add, op.f64Store()],
]);

const treeModule = compileOnce(() => wasmModule([ADD_TREE]), ['boosting']);

/**
 * Margins for a matrix from trees added one by one (base margins first), in WebAssembly; undefined
 * where the host lacks it or the memory would be too large (callers then use addTree).
 */
export function treeMargins(matrix: FeatureMatrix, outputs: number, treeSize: number): { add(tree: Tree, k: number): void; margins: Float64Array } | undefined {
  const module = treeModule();
  if (!module) return undefined;
  const n = matrix.rows;
  const slot = Math.ceil((4 * treeSize) / 16) * 16;
  const place = matrixMemory(module, matrix, 8 * n * outputs, 3 * slot + 8 * treeSize);
  if (!place) return undefined;
  const { buffer, headAt: marginsAt, binsAt, countsAt, tailAt: featureAt } = place;
  const kernel = place.exports.addTree!;
  const [splitAt, leftAt, valueAt] = [featureAt + slot, featureAt + 2 * slot, featureAt + 3 * slot];
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
