import type { FeatureMatrix } from '../binning/types.ts';
import { matrixMemory } from '../matrix-memory.ts';
import { block, br, brIf, emit, forLoop, loop } from '../wasm-control.ts';
import { compileOnce, I32, op, wasmModule, type WasmFunction } from '../wasm-module.ts';
import { goesLeft, i32At } from '../tree-walk-ops.ts';
import type { ForestTree } from './types.ts';

/*
 * predictForest's sums (each row's leaf class frequencies added up tree by tree) in WebAssembly:
 * the same walk as forestLeafOf, its left-or-right choice by selects (a coin toss to the branch
 * predictor in JS), and the same f64 adds in the same order, so the same probabilities bit for bit.
 */

const x = { i32LtS: [0x48] };

// addForestTree(bins, n, binCounts, feature, splitBin, defaultLeft, left, value, K, sum):
// sum[i·K + c] += value[leaf·K + c] for i < n, c < K; the tree's arrays i32 (defaultLeft too),
// bins column-major (a byte a cell), binCounts i32 per feature.
const ADD_FOREST_TREE: WasmFunction = (() => {
  const [bins, n, binCounts, feature, splitBin, defaultLeft, left, value, K, sum] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [i, node, f, b, goLeft, c, at, from] = [10, 11, 12, 13, 14, 15, 16, 17];
  const f64At = (base: number, index: number[][]): number[][] => [op.get(base), ...index, op.i32(3), op.i32Shl, op.i32Add];
  return {
    name: 'addForestTree',
    params: Array<number>(10).fill(I32),
    results: [],
    locals: Array<number>(8).fill(I32),
    body: [
      emit([
        ...forLoop('rows', i, [op.i32(0)], [op.get(n)], [
          [op.i32(0), op.set(node)],
          block(
            'leaf',
            loop(
              'walk',
              [...i32At(feature, [op.get(node)]), op.tee(f), op.i32(0), x.i32LtS],
              brIf('leaf'),
              [...goesLeft({ bins, n, i, node, f, b, defaultLeft, splitBin, binCounts }), op.set(goLeft)],
              [...i32At(left, [op.get(node)]), op.i32(1), op.i32Add, op.get(goLeft), op.i32Sub, op.set(node)],
              br('walk'),
            ),
          ),
          [op.get(node), op.get(K), op.i32Mul, op.set(from), op.get(i), op.get(K), op.i32Mul, op.set(at)],
          ...forLoop('classes', c, [op.i32(0)], [op.get(K)], [
            [...f64At(sum, [op.get(at), op.get(c), op.i32Add]), ...f64At(sum, [op.get(at), op.get(c), op.i32Add]), op.f64Load()],
            [...f64At(value, [op.get(from), op.get(c), op.i32Add]), op.f64Load(), op.f64Add, op.f64Store()],
          ]),
        ]),
      ]),
    ],
  };
})();

const forestModule = compileOnce(() => wasmModule([ADD_FOREST_TREE]), ['forest']);

/**
 * The class-frequency sums of a forest's trees over a matrix (rows × K, tree by tree) in
 * WebAssembly, or undefined where the host lacks it or the memory would be too large.
 */
export function forestSums(trees: ForestTree[], matrix: FeatureMatrix, K: number): Float64Array | undefined {
  const module = forestModule();
  if (!module) return undefined;
  const n = matrix.rows;
  const nodes = trees.reduce((m, t) => Math.max(m, t.feature.length), 0);
  const slot = Math.ceil((4 * nodes) / 16) * 16;
  const place = matrixMemory(module, matrix, 8 * n * K, 4 * slot + 8 * nodes * K);
  if (!place) return undefined;
  const { buffer, headAt: sumAt, binsAt, countsAt, tailAt: treeAt } = place;
  const kernel = place.exports.addForestTree!;
  const valueAt = treeAt + 4 * slot;
  const arrays = [0, 1, 2, 3].map((j) => new Int32Array(buffer, treeAt + j * slot, nodes));
  const value = new Float64Array(buffer, valueAt, nodes * K);
  for (const tree of trees) {
    [tree.feature, tree.splitBin, tree.defaultLeft, tree.left].forEach((a, j) => arrays[j]!.set(a));
    value.set(tree.value);
    kernel(binsAt, n, countsAt, treeAt, treeAt + slot, treeAt + 2 * slot, treeAt + 3 * slot, valueAt, K, sumAt);
  }
  return new Float64Array(buffer, sumAt, n * K).slice();
}
