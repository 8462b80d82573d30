import type { FeatureMatrix } from '../binning/types.ts';
import { block, brIf, emit, forLoop, ifElse, type Code } from '../wasm-control.ts';
import { compileOnce, F64, I32, op, wasmModule, type WasmFunction } from '../wasm-module.ts';

/*
 * The random forest's class-count histograms (class-counts.ts, addBatchClassCounts) in
 * WebAssembly: for each row of a node, its draws into its class's cell and 1 into the distinct-row
 * cell of its bin, for four features a pass (or one). Integer adds, so the counts are the JS
 * loop's exactly. Arguments are byte addresses into the memory of a `ClassCountMemory`.
 */

// countsW(c0 … c[W−1], o0 … o[W−1], rows, end, y, draws, binBytes, distinct), W = 1 … 4: columns at c*,
// one byte per row; feature s's histogram at o* (binBytes a bin, the distinct-row cell at byte
// `distinct` of a bin); the rows listed (i32) from rows to end.
function countsKernel(name: string, features: number): WasmFunction {
  const [rows, end, y, draws, binBytes, distinct] = Array.from({ length: 6 }, (_, j) => 2 * features + j) as [number, number, number, number, number, number];
  const [i, cls, d, a] = [distinct + 1, distinct + 2, distinct + 3, distinct + 4];
  const add = (address: number[][], amount: number[][]): number[][] => [...address, ...address, op.i32Load(), ...amount, op.i32Add, op.i32Store()];
  const cells = Array.from({ length: features }, (_, f) => [
    ...[op.get(f), op.get(i), op.i32Add, op.i32Load8U(), op.get(binBytes), op.i32Mul, op.get(features + f), op.i32Add, op.set(a)],
    ...add([op.get(a), op.get(cls), op.i32Add], [op.get(d)]),
    ...add([op.get(a), op.get(distinct), op.i32Add], [op.i32(1)]),
  ]).flat();
  const word = (base: number): number[][] => [op.get(base), op.get(i), op.i32(2), op.i32Shl, op.i32Add, op.i32Load()];
  return {
    name,
    params: Array<number>(2 * features + 6).fill(I32),
    results: [],
    locals: [I32, I32, I32, I32],
    body: [
      ...[op.block, op.get(rows), op.get(end), op.i32GeU, op.brIf(0), op.loop],
      ...[op.get(rows), op.i32Load(), op.set(i), ...word(y), op.i32(2), op.i32Shl, op.set(cls), ...word(draws), op.set(d), ...cells],
      ...[op.get(rows), op.i32(4), op.i32Add, op.tee(rows), op.get(end), op.i32LtU, op.brIf(0), op.end, op.end],
    ],
  };
}

const x = { i32LeU: [0x4d], f64Lt: [0x63] };

// inBag(draws, n, rows) → count: the rows i < n with draws[i] > 0 listed at rows (i32), in order.
// Branch-free (about a third of the rows are out of bag, at random).
const IN_BAG: WasmFunction = (() => {
  const [draws, n, rows, i, count] = [0, 1, 2, 3, 4];
  return {
    name: 'inBag',
    params: [I32, I32, I32],
    results: [I32],
    locals: [I32, I32],
    body: [
      emit([
        ...forLoop('rows', i, [op.i32(0)], [op.get(n)], [
          [op.get(rows), op.get(count), op.i32(2), op.i32Shl, op.i32Add, op.get(i), op.i32Store()],
          [op.get(count), op.i32(0), op.get(draws), op.get(i), op.i32(2), op.i32Shl, op.i32Add, op.i32Load(), op.i32Sub, op.i32(31), op.i32ShrU, op.i32Add, op.set(count)],
        ]),
        [op.get(count)],
      ]),
    ],
  };
})();

// partition(rows, end, spill, column, bin, miss, missLeft) → left: the rows listed (i32) from rows
// to end split stably: those whose bin (column: a byte per row) is ≤ bin, or is `miss` when
// missLeft is 1, written back from rows on; the others to spill. Each row is written to both and
// only one position moves on (which way a row goes is a coin toss to the branch predictor).
const PARTITION: WasmFunction = (() => {
  const [rows, end, spill, column, bin, miss, missLeft, k, l, r, i, b, left] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  return {
    name: 'partition',
    params: [I32, I32, I32, I32, I32, I32, I32],
    results: [I32],
    locals: [I32, I32, I32, I32, I32, I32],
    body: [
      emit([
        [op.get(rows), op.set(l), op.get(spill), op.set(r)],
        ...forLoop(
          'rows',
          k,
          [op.get(rows)],
          [op.get(end)],
          [
            [op.get(k), op.i32Load(), op.set(i), op.get(column), op.get(i), op.i32Add, op.i32Load8U(), op.set(b)],
            [op.get(b), op.get(bin), x.i32LeU, op.get(missLeft), op.get(b), op.get(miss), op.i32Eq, op.i32And, op.i32Or, op.set(left)],
            [op.get(l), op.get(i), op.i32Store(), op.get(r), op.get(i), op.i32Store()],
            [op.get(l), op.get(left), op.i32(2), op.i32Shl, op.i32Add, op.set(l)],
            [op.get(r), op.i32(4), op.get(left), op.i32(2), op.i32Shl, op.i32Sub, op.i32Add, op.set(r)],
          ],
          4,
        ),
        [op.get(l), op.get(rows), op.i32Sub, op.i32(2), op.i32ShrU],
      ]),
    ],
  };
})();


// scan(hist, lo, hi, miss, K, node, cw, minLeaf, left, out) → found: Candidates.scan (gini-split.ts)
// over one class-count histogram (i32 cells, K + 1 a bin, at hist), the node's K class draws and
// distinct rows at node (f64), class weights at cw (f64); `left` is K f64 of scratch. The same f64
// operations in the same order as the JS loop, so the same best split: out gets the best score
// (f64), its bin (i32 at +8), missing-left (i32 at +12) and the left child's K draws and distinct
// rows (f64 from +16). Returns 1 when some split is valid.
const SCAN: WasmFunction = (() => {
  const [hist, lo, hi, miss, K, node, cw, minLeaf, left, out] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [b, c, side, found, mAt, bAt] = [10, 11, 12, 13, 14, 15];
  const [nodeCount, missCount, realCount, leftCount, lc, rc, sl, sr, lw, rw, ln, l, rr, best, score, missLeft] = [16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31];
  const f64At = (base: number, index: number[][]): number[][] => [op.get(base), ...index, op.i32(3), op.i32Shl, op.i32Add];
  const cell = (base: number, index: number[][]): number[][] => [op.get(base), ...index, op.i32(2), op.i32Shl, op.i32Add, op.i32Load(), op.f64ConvertI32S];
  /** The missing bin's class-c draws when missLeft (an f64 0 / 1 flag), else +0. */
  const missPart = (): number[][] => [...cell(mAt, [op.get(c)]), op.f64Const(0), op.get(missLeft), op.f64Const(0), op.f64Ne, op.select];
  const forClasses = (label: string, body: Code[]): Code[] => forLoop(label, c, [op.i32(0)], [op.get(K)], body);
  const sideBody: Code[] = [
    // side 0: missing left (only with missing rows, and not at the last bin); side 1: right.
    [op.f64Const(1), op.f64Const(0), op.get(side), op.i32Eqz, op.select, op.set(missLeft)],
    [op.get(side), op.i32Eqz, op.get(missCount), op.f64Const(0), op.f64Eq, op.get(b), op.get(hi), op.i32Eq, op.i32Or, op.i32And],
    brIf('next-side'),
    [op.get(leftCount), op.get(missCount), op.f64Const(0), op.get(missLeft), op.f64Const(0), op.f64Ne, op.select, op.f64Add, op.set(lc)],
    [op.get(nodeCount), op.get(lc), op.f64Sub, op.set(rc)],
    [op.get(lc), op.get(minLeaf), x.f64Lt, op.get(rc), op.get(minLeaf), x.f64Lt, op.i32Or, op.get(b), op.get(hi), op.i32Eq, op.get(realCount), op.get(nodeCount), op.f64Eq, op.i32And, op.i32Or],
    brIf('next-side'),
    [op.f64Const(0), op.set(sl), op.f64Const(0), op.set(sr), op.f64Const(0), op.set(lw), op.f64Const(0), op.set(rw)],
    ...forClasses('sums', [
      [...f64At(left, [op.get(c)]), op.f64Load(), ...missPart(), op.f64Add, op.set(ln)],
      [...f64At(cw, [op.get(c)]), op.f64Load(), op.get(ln), op.f64Mul, op.set(l)],
      [...f64At(cw, [op.get(c)]), op.f64Load(), ...f64At(node, [op.get(c)]), op.f64Load(), op.get(ln), op.f64Sub, op.f64Mul, op.set(rr)],
      [op.get(lw), op.get(l), op.f64Add, op.set(lw), op.get(rw), op.get(rr), op.f64Add, op.set(rw)],
      [op.get(sl), op.get(l), op.get(l), op.f64Mul, op.f64Add, op.set(sl), op.get(sr), op.get(rr), op.get(rr), op.f64Mul, op.f64Add, op.set(sr)],
    ]),
    [op.get(lw), op.f64Const(0), op.f64Gt, op.get(rw), op.f64Const(0), op.f64Gt, op.i32And, op.i32Eqz],
    brIf('next-side'),
    [op.i32(1), op.set(found)],
    [op.get(sl), op.get(lw), op.f64Div, op.get(sr), op.get(rw), op.f64Div, op.f64Add, op.tee(score), op.get(best), op.f64Gt],
    ifElse('better', [
      [op.get(score), op.set(best)],
      [op.get(out), op.get(b), op.i32Store(8), op.get(out), op.get(side), op.i32Eqz, op.i32Store(12)],
      ...forClasses('keep', [[...f64At(out, [op.get(c)]), ...f64At(left, [op.get(c)]), op.f64Load(), ...missPart(), op.f64Add, op.f64Store(16)]]),
      [...f64At(out, [op.get(K)]), op.get(lc), op.f64Store(16)],
    ]),
  ];
  return {
    name: 'scan',
    params: [I32, I32, I32, I32, I32, I32, I32, F64, I32, I32],
    results: [I32],
    locals: [I32, I32, I32, I32, I32, I32, ...Array<number>(16).fill(F64)],
    body: [
      emit([
        [op.f64Const(-Infinity), op.set(best)],
        [op.get(hist), op.get(miss), op.get(K), op.i32(1), op.i32Add, op.i32Mul, op.i32(2), op.i32Shl, op.i32Add, op.set(mAt)],
        [...f64At(node, [op.get(K)]), op.f64Load(), op.set(nodeCount)],
        [...cell(mAt, [op.get(K)]), op.set(missCount)],
        [op.get(nodeCount), op.get(missCount), op.f64Sub, op.set(realCount)],
        ...forClasses('clear', [[...f64At(left, [op.get(c)]), op.f64Const(0), op.f64Store()]]),
        // Bins lo … hi (hi + 1 = 0 when no bin is occupied, so none then).
        ...forLoop('bins', b, [op.get(lo)], [op.get(hi), op.i32(1), op.i32Add], [
          [op.get(hist), op.get(b), op.get(K), op.i32(1), op.i32Add, op.i32Mul, op.i32(2), op.i32Shl, op.i32Add, op.set(bAt)],
          block(
            'next-bin',
            [...cell(bAt, [op.get(K)]), op.f64Const(0), op.f64Eq],
            brIf('next-bin'),
            [op.get(leftCount), ...cell(bAt, [op.get(K)]), op.f64Add, op.set(leftCount)],
            ...forClasses('add', [[...f64At(left, [op.get(c)]), ...f64At(left, [op.get(c)]), op.f64Load(), ...cell(bAt, [op.get(c)]), op.f64Add, op.f64Store()]]),
            ...forLoop('sides', side, [op.i32(0)], [op.i32(2)], [block('next-side', ...sideBody)]),
          ),
        ]),
        [op.get(out), op.get(best), op.f64Store()],
        [op.get(found)],
      ]),
    ],
  };
})();

/** counts1 … counts4 (a batch of six features is one pass of four and one of two), inBag, partition, scan. */
const countsModule = compileOnce(() => wasmModule([...[1, 2, 3, 4].map((w) => countsKernel(`counts${w}`, w)), IN_BAG, PARTITION, SCAN]), ['forest']);

/** Beyond this, the JS loops (a 32-bit memory; each thread would hold its own copy of the matrix). */
const WASM_LIMIT = 1 << 30;

/**
 * A forest tree's per-row arrays in one WebAssembly memory with the matrix's bins and the labels,
 * and the kernels over them; the arrays are views, which the JS code of CpuClassCounts uses as it
 * would its own.
 */
export interface ClassCountMemory {
  rows: Int32Array;
  spill: Int32Array;
  draws: Int32Array;
  hist: Int32Array;
  /** As addBatchClassCounts: features[from … to) of one node, histogram s of the batch at s · slot. */
  addBatch(rowsStart: number, rowsEnd: number, features: Int32Array, from: number, to: number, K1: number, slot: number): void;
  /** The in-bag rows (draws > 0) listed in `rows`, in order; returns their count. */
  inBag(n: number): number;
  /**
   * Splits rows[start, end) stably by feature f's bins (left: bin ≤ `bin`, or the missing bin
   * `miss` when missLeft is 1); the right rows land in `spill` from 0. Returns how many went left.
   */
  partition(start: number, end: number, f: number, bin: number, miss: number, missLeft: number): number;
  /** Candidates.scan's loop over the histogram at cell `offset` of `hist` (see SCAN), or undefined with more classes than it was sized for. */
  scan: ScanKernel['scan'] | undefined;
  /** The scan's answer: best score, then the left child's K draws and distinct rows; bin and missing-left in `scanInts` (2, 3). */
  scanOut: Float64Array;
  scanInts: Int32Array;
}

/** The arguments of the scan kernel, bound to a ClassCountMemory. */
export interface ScanKernel {
  scan(offset: number, lo: number, hi: number, miss: number, K: number, node: Float64Array, at: number, cw: Float64Array, minLeaf: number): number;
}

/** The memory for a matrix, or undefined where the host lacks WebAssembly or the memory would be too large. */
export function classCountMemory(matrix: FeatureMatrix, y: Int32Array, histCells: number, classes = 0): ClassCountMemory | undefined {
  const module = countsModule();
  if (!module) return undefined;
  const n = matrix.rows;
  const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;
  const at = { bins: 0, y: align(n * matrix.features) };
  const drawsAt = at.y + align(4 * n);
  const rowsAt = drawsAt + align(4 * n);
  const spillAt = rowsAt + align(4 * n);
  const histAt = spillAt + align(4 * n);
  // The scan's node counts (K + 1), class weights (K), running left sums (K) and answer (2 + K + 1), f64.
  const scanAt = histAt + align(4 * histCells);
  const K1 = classes + 1;
  const [nodeAt, cwAt, leftAt, outAt] = [scanAt, scanAt + 8 * K1, scanAt + 16 * K1, scanAt + 24 * K1];
  const bytes = outAt + 8 * (K1 + 2);
  if (bytes > WASM_LIMIT) return undefined;
  let memory: WebAssembly.Memory;
  let k: Record<string, (...args: number[]) => void>;
  try {
    memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) || 1 });
    k = new WebAssembly.Instance(module, { env: { memory } }).exports as typeof k;
  } catch {
    return undefined;
  }
  const buffer = memory.buffer;
  new Uint8Array(buffer, at.bins, n * matrix.features).set(matrix.bins);
  new Int32Array(buffer, at.y, n).set(y);
  const column = (f: number): number => at.bins + f * n;
  // The scan's inputs, written in place (a scan runs per node and feature: no views made per call).
  const nodeIn = new Float64Array(buffer, nodeAt, K1);
  const cwIn = new Float64Array(buffer, cwAt, classes);
  return {
    rows: new Int32Array(buffer, rowsAt, n),
    spill: new Int32Array(buffer, spillAt, n),
    draws: new Int32Array(buffer, drawsAt, n),
    hist: new Int32Array(buffer, histAt, histCells),
    scanOut: new Float64Array(buffer, outAt, K1 + 2),
    scanInts: new Int32Array(buffer, outAt, 4),
    scan:
      classes > 0
        ? (offset, lo, hi, miss, K, node, at, cw, minLeaf) => {
            if (K !== classes) throw new Error(`the scan was sized for ${classes} classes, not ${K}`);
            for (let c = 0; c < K1; c++) nodeIn[c] = node[at + c]!;
            for (let c = 0; c < K; c++) cwIn[c] = cw[c]!;
            return (k.scan as unknown as (...a: number[]) => number)(histAt + 4 * offset, lo, hi, miss, K, nodeAt, cwAt, minLeaf, leftAt, outAt);
          }
        : undefined,
    inBag: (count) => (k.inBag as unknown as (...a: number[]) => number)(drawsAt, count, rowsAt),
    partition: (start, end, f, bin, miss, missLeft) => (k.partition as unknown as (...a: number[]) => number)(rowsAt + 4 * start, rowsAt + 4 * end, spillAt, column(f), bin, miss, missLeft),
    addBatch(start, end, features, from, to, K1, slot) {
      const rows = rowsAt + 4 * start;
      const rowsEnd = rowsAt + 4 * end;
      const bin = 4 * K1;
      const distinct = 4 * (K1 - 1);
      const c = (r: number): number => column(features[r]!);
      const o = (r: number): number => histAt + 4 * (r - from) * slot;
      // Explicit calls (no arrays, no spread): a deep node's rows are few, and this runs per node.
      let r = from;
      for (; r + 4 <= to; r += 4) k.counts4!(c(r), c(r + 1), c(r + 2), c(r + 3), o(r), o(r + 1), o(r + 2), o(r + 3), rows, rowsEnd, at.y, drawsAt, bin, distinct);
      if (to - r === 3) k.counts3!(c(r), c(r + 1), c(r + 2), o(r), o(r + 1), o(r + 2), rows, rowsEnd, at.y, drawsAt, bin, distinct);
      else if (to - r === 2) k.counts2!(c(r), c(r + 1), o(r), o(r + 1), rows, rowsEnd, at.y, drawsAt, bin, distinct);
      else if (to - r === 1) k.counts1!(c(r), o(r), rows, rowsEnd, at.y, drawsAt, bin, distinct);
    },
  };
}
