import { describe, expect, it } from 'vitest';
import { BLOCK, columnValues, designColumn, type DesignColumn, type DesignMatrix } from '../../../src/core/models/logistic/design-matrix.ts';
import { fitKernels, fitVectors } from '../../../src/core/models/logistic/fit-kernels.ts';
import { jsVectors, minimiseLbfgs } from '../../../src/core/models/logistic/lbfgs.ts';
import { median } from '../../../src/core/models/logistic/median.ts';
import { logisticObjective } from '../../../src/core/models/logistic/objective.ts';
import { createRandom } from '../../../src/core/models/random.ts';

const bits = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

/** n rows: dense columns, a mostly-zero column (stored sparse), one one-hot block of 3 + other. */
function design(n: number, seed: number): DesignMatrix {
  const random = createRandom(seed);
  const columns: DesignColumn[] = [];
  for (let j = 0; j < 6; j++) {
    const v = Float64Array.from({ length: n }, () => random.next() * 4 - 1 + j);
    columns.push(designColumn(v, j + 1, 1.2));
  }
  const spiky = Float64Array.from({ length: n }, () => (random.next() < 0.1 ? random.next() * 50 : 0));
  columns.push(designColumn(spiky, 2.5, 8));
  const hot = Int32Array.from({ length: n }, () => 7 + random.int(4));
  return { rows: n, width: 11, columns, groups: 1, hot };
}

describe('logistic fit kernels', () => {
  it('WebAssembly SIMD and plain JS give the same bits (axpy, axpy4, dot, dot4, sparse, exp, log1p)', () => {
    const d = design(5003, 1);
    expect(d.columns[6]!.kind).toBe('sparse');
    const wasm = fitKernels(d.columns, 3, true);
    const js = fitKernels(d.columns, 3, false);
    expect(js.engine).toBe('js');
    if (wasm.engine !== 'wasm-simd') console.warn('no WebAssembly SIMD here: only the JS kernels are checked');
    for (const k of [wasm, js]) for (let i = 0; i < k.buffer.length; i++) k.buffer[i] = Math.sin(i) * 3;
    const sparse = d.columns[6] as Extract<DesignColumn, { kind: 'sparse' }>;
    for (const [start, m] of [[0, BLOCK], [BLOCK, BLOCK], [2 * BLOCK, 5003 - 2 * BLOCK], [1, 5], [3, 7]] as const) {
      for (const k of [wasm, js]) {
        k.axpy(5, 0.37, 2, start, m);
        k.axpy4(BLOCK + 1, 0.1, -0.2, 0.3, 1.7, 0, 1, 3, 5, start, m);
      }
      expect(bits(wasm.buffer)).toBe(bits(js.buffer));
      expect(wasm.dot(7, 4, start, m)).toBe(js.dot(7, 4, start, m));
      expect(Array.from(wasm.dot4(3, 0, 1, 2, 5, start, m))).toEqual(Array.from(js.dot4(3, 0, 1, 2, 5, start, m)));
    }
    const block = 1;
    const [from, to] = [sparse.blockStarts[block]!, sparse.blockStarts[block + 1]!];
    for (const k of [wasm, js]) k.sparseAxpy(2 * BLOCK - BLOCK, 0.77, 6, from, to);
    expect(bits(wasm.buffer)).toBe(bits(js.buffer));
    expect(wasm.sparseDot(-BLOCK, 6, from, to)).toBe(js.sparseDot(-BLOCK, 6, from, to));

    const x = Float64Array.from({ length: BLOCK }, (_, i) => -i * 0.4 + (i % 3) * 1e-3);
    x.set([0, -1e-300, -708, -709, -800, -Number.MIN_VALUE], 0);
    for (const k of [wasm, js]) {
      k.buffer.set(x, k.e);
      k.exp(k.e, BLOCK - 1);
    }
    // (WebAssembly rounds the count up to even: the value after the last is scratch.)
    expect(bits(wasm.buffer.subarray(wasm.e, wasm.e + BLOCK - 1))).toBe(bits(js.buffer.subarray(js.e, js.e + BLOCK - 1)));
    for (let i = 0; i < BLOCK - 1; i++) {
      const want = Math.exp(x[i]!);
      if (want > 1e-300) expect(Math.abs(js.buffer[js.e + i]! - want)).toBeLessThanOrEqual(4.5e-16 * want);
    }
    // Below −708 the floor: e^−708.
    expect(js.buffer[js.e + 4]).toBe(js.buffer[js.e + 2]);
    // exp(z − shift), the shift read from E.
    for (const k of [wasm, js]) {
      k.buffer.set(x.map((v) => v / 3 + 1), 0);
      k.buffer.set(x.map((v, i) => (i % 5) - 1), k.e);
      k.exp(0, BLOCK - 1, k.e);
    }
    expect(bits(wasm.buffer.subarray(0, BLOCK - 1))).toBe(bits(js.buffer.subarray(0, BLOCK - 1)));
    for (let i = 0; i < BLOCK - 1; i += 17) expect(js.buffer[i]).toBeCloseTo(Math.exp(x[i]! / 3 + 1 - ((i % 5) - 1)), 12);

    const u = Float64Array.from({ length: BLOCK }, (_, i) => Math.exp(-i * 0.02) * (1 + (i % 7) * 1e-3));
    u.set([0, 1e-300, 1, Math.SQRT2 - 1, 1e-17, 0.5], 0);
    for (const k of [wasm, js]) {
      k.buffer.set(u, k.f);
      k.log1p(k.f, BLOCK - 1);
    }
    expect(bits(wasm.buffer.subarray(wasm.f, wasm.f + BLOCK - 1))).toBe(bits(js.buffer.subarray(js.f, js.f + BLOCK - 1)));
    for (let i = 0; i < BLOCK - 1; i++) {
      const want = Math.log1p(u[i]!);
      expect(Math.abs(js.buffer[js.f + i]! - want)).toBeLessThanOrEqual(4.5e-16 * want);
    }
  });

  it('the objective\'s row loops: WebAssembly and JS give the same bits (−|z|, binary loss and residuals, softmax pick and subtract, sums)', () => {
    const d = design(3001, 7);
    const n = 3001;
    const random = createRandom(8);
    for (const K of [2, 4]) {
      const free = K === 2 ? 1 : K;
      const y = Int32Array.from({ length: n }, () => random.int(K));
      const sampleWeight = Float64Array.from({ length: n }, () => 0.25 + random.next() * 2);
      const wasm = fitKernels(d.columns, free, true, { y, sampleWeight });
      const js = fitKernels(d.columns, free, false, { y, sampleWeight });
      const fill = (k: typeof wasm) => {
        for (let i = 0; i < k.buffer.length; i++) k.buffer[i] = (Math.sin(i * 0.7) * 30) / (1 + (i % 5));
        // Scores at and around 0 (the branches of max(s, 0) and σ), and far out.
        k.buffer.set([0, -0, 1e-300, -1e-300, 800, -800, 36, -36], 0);
      };
      for (const [start, m] of [[0, BLOCK], [BLOCK, 953], [5, 7]] as const) {
        fill(wasm);
        fill(js);
        expect(wasm.sum(3, m)).toBe(js.sum(3, m));
        if (K === 2) {
          for (const k of [wasm, js]) {
            k.negAbs(m);
            k.exp(k.e, m);
            k.buffer.copyWithin(k.f, k.e, k.e + m);
            k.log1p(k.f, m);
          }
          expect(wasm.binaryTail(start, m)).toBe(js.binaryTail(start, m));
        } else {
          for (const k of [wasm, js]) {
            k.rowMax(K, m);
            k.pickShift(start, m);
            k.subtractWeights(start, m);
          }
        }
        // The block's m values of Z's rows, E and F (WebAssembly's exp also writes the value after an odd m: scratch).
        const used = (k: typeof wasm) => [...Array.from({ length: free }, (_, r) => r * BLOCK), k.e, k.f].map((o) => bits(k.buffer.subarray(o, o + m))).join();
        expect(used(wasm)).toBe(used(js));
      }
    }
  });

  it('the objective: same bits on both kernel sets; its gradient matches finite differences (dense, sparse and one-hot columns)', () => {
    const n = 3000;
    const d = design(n, 2);
    const random = createRandom(3);
    for (const K of [2, 3]) {
      const y = Int32Array.from({ length: n }, () => random.int(K));
      const weight = Float64Array.from({ length: n }, () => 0.5 + random.next());
      const P = (K === 2 ? 1 : K) * (d.width + 1);
      const w = Float64Array.from({ length: P }, () => (random.next() - 0.5) * 0.4);
      const fast = logisticObjective(d, y, weight, K, 0.7, true);
      const plain = logisticObjective(d, y, weight, K, 0.7, false);
      const g = new Float64Array(P);
      const h = new Float64Array(P);
      const value = fast(w, g);
      expect(plain(w, h)).toBe(value);
      expect(bits(h)).toBe(bits(g));
      // Central differences of the f64 objective: error O(eps²) plus rounding of the value (~1e−13 · value / eps).
      const eps = 1e-5;
      for (const q of [0, 3, 6, 7, 9, d.width, P - 1]) {
        const a = Float64Array.from(w);
        a[q]! += eps;
        const b = Float64Array.from(w);
        b[q]! -= eps;
        const numeric = (plain(a, h) - plain(b, h)) / (2 * eps);
        expect(Math.abs(numeric - g[q]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(g[q]!)));
      }
    }
  });

  it('L-BFGS: its vectors in WebAssembly memory or in JS, the same iterates bit for bit', () => {
    const d = design(2500, 5);
    const random = createRandom(6);
    const y = Int32Array.from({ length: 2500 }, () => random.int(3));
    const objective = logisticObjective(d, y, new Float64Array(2500).fill(1), 3, 1);
    const options = { maxIterations: 60, tolerance: 1e-9, relativeDecrease: 0, memory: 7 };
    const w0 = new Float64Array(3 * (d.width + 1));
    const wasm = minimiseLbfgs(objective, w0, { ...options, vectors: fitVectors });
    const js = minimiseLbfgs(objective, w0, { ...options, vectors: jsVectors });
    expect(wasm.iterations).toBe(js.iterations);
    expect(bits(wasm.x)).toBe(bits(js.x));
    expect(wasm.value).toBe(js.value);
  });

  it('a sparse column is the same standardised values as a dense one', () => {
    const v = Float64Array.from({ length: 5000 }, (_, i) => (i % 9 === 0 ? i : 0));
    const mean = 277.7;
    const std = 1234.5;
    const stored = designColumn(v, mean, std);
    expect(stored.kind).toBe('sparse');
    const values = columnValues(stored, 5000);
    for (let i = 0; i < 5000; i += 37) expect(values[i]).toBeCloseTo((v[i]! - mean) / std, 6);
    expect(designColumn(Float64Array.from({ length: 100 }, (_, i) => i), 50, 29).kind).toBe('dense');
  });

  it('median: odd and even counts, ties, as numpy', () => {
    expect(median(Float64Array.of(3, 1, 2))).toBe(2);
    expect(median(Float64Array.of(4, 1, 3, 2))).toBe(2.5);
    expect(median(Float64Array.of(0, 0, 0, 5, 0, 0))).toBe(0);
    const random = createRandom(4);
    for (let n = 1; n < 60; n++) {
      const a = Float64Array.from({ length: n }, () => random.int(7));
      const sorted = Float64Array.from(a).sort();
      const want = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
      expect(median(a)).toBe(want);
    }
  });
});
