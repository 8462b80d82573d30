import { describe, expect, it } from 'vitest';
import { boostRows, evaluateRows, type BoostRows } from '../../../src/core/models/gbdt/boost-rows.ts';
import { rowKernels } from '../../../src/core/models/gbdt/boost-rows-wasm.ts';
import { splitRow } from '../../../src/core/models/gbdt/objective.ts';
import { createRandom } from '../../../src/core/models/random.ts';

/** Rows with margins from everyday to extreme (±800 saturates exp; ±0 and tiny values test signs). */
function problem(n: number, classes: number, weighted: boolean, seed: number) {
  const random = createRandom(seed);
  const y = Int32Array.from({ length: n }, () => Math.floor(random.next() * classes));
  const weights = weighted ? Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : 0.25 + 3 * random.next())) : undefined;
  const outputs = classes === 2 ? 1 : classes;
  const special = [0, -0, 800, -800, 1e-300, -1e-300, 36.7, -36.7];
  const margins = Float64Array.from({ length: n * outputs }, (_, x) => (x % 11 === 0 ? special[(x / 11) % special.length]! : (random.next() - 0.5) * 12));
  return { y, weights, margins, outputs };
}

function both(n: number, classes: number, weighted: boolean): [BoostRows, BoostRows, ReturnType<typeof problem>] {
  const p = problem(n, classes, weighted, n + classes);
  const make = (allowWasm: boolean) => {
    const rows = boostRows({ y: p.y, weights: p.weights, classes, base: new Float64Array(p.outputs), sets: 2, treeSize: 63, allowWasm });
    rows.margins.set(p.margins);
    return rows;
  };
  return [make(true), make(false), p];
}

describe('boosting row loops (WebAssembly vs JS)', () => {
  for (const classes of [2, 4, 5]) {
    for (const weighted of [false, true]) {
      it(`give the same bits: ${classes} classes${weighted ? ', weighted' : ''}`, () => {
        const n = 1001; // odd: the SIMD kernels' last pair is half outside
        const [fast, reference, p] = both(n, classes, weighted);
        expect(fast.margins.buffer).not.toBe(reference.margins.buffer);
        // The WebAssembly rows live at a non-zero address of the kernels' memory (not a JS fallback).
        expect(fast.margins.byteOffset).toBeGreaterThan(0);
        for (let round = 0; round < 3; round++) {
          const loss = fast.evaluate();
          expect(Number.isFinite(loss)).toBe(true);
          expect(loss).toBe(reference.evaluate());
          for (let k = 0; k < p.outputs; k++) {
            const j = k % 2;
            const max = fast.gradients(k, j);
            expect(max).toEqual(reference.gradients(k, j));
            expect(fast.sets[j]!.g).toEqual(reference.sets[j]!.g);
            expect(fast.sets[j]!.h).toEqual(reference.sets[j]!.h);
            // Sampling: each draws once per row, in order, from its own copy of one sequence.
            const [r1, r2] = [createRandom(round * 10 + k), createRandom(round * 10 + k)];
            const q = fast.quantise(j, max, round === 1 ? () => r1.next() < 0.6 : undefined);
            const qr = reference.quantise(j, max, round === 1 ? () => r2.next() < 0.6 : undefined);
            expect(q).toEqual(qr);
            expect(fast.sets[j]!.active).toEqual(reference.sets[j]!.active);
            const activeCount = fast.sets[j]!.active.reduce((a, b) => a + b, 0);
            expect(activeCount).toBeGreaterThan(round === 1 ? n * 0.35 : n * 0.7);
            expect(activeCount).toBeLessThan(round === 1 ? n * 0.8 : n + 1);
            const leaves = Float64Array.from({ length: 63 }, (_, x) => (x - 31) * 0.0137);
            for (const rows of [fast, reference]) rows.sets[j]!.nodeOfRow.set(Int32Array.from({ length: n }, (_, i) => (i * 31 + k) % 63));
            fast.addLeaves(k, j, leaves);
            reference.addLeaves(k, j, leaves);
            expect(fast.margins).toEqual(reference.margins);
          }
        }
      });
    }
  }

  it('score rows without gradient sets (validation rows)', () => {
    const p = problem(300, 3, false, 9);
    const losses = [true, false].map((allowWasm) => {
      const rows = boostRows({ y: p.y, weights: undefined, classes: 3, base: Float64Array.of(0.1, 0.2, 0.3), sets: 0, treeSize: 7, allowWasm });
      expect(rows.sets).toHaveLength(0);
      expect(rows.margins.subarray(0, 3)).toEqual(Float64Array.of(0.1, 0.2, 0.3));
      rows.margins.set(p.margins);
      return rows.evaluate();
    });
    expect(losses[0]).toBe(losses[1]);
    expect(losses[0]).toBeGreaterThan(0);
  });

  it('a softmax loss within 1e-12 of −log p_y by Math.exp and Math.log, up to 9 classes (S up to 9)', () => {
    for (const classes of [3, 5, 9]) {
      const n = 501;
      const random = createRandom(classes);
      const y = Int32Array.from({ length: n }, () => Math.floor(random.next() * classes));
      // Near-equal margins in some rows: S near its largest, K.
      const margins = Float64Array.from({ length: n * classes }, (_, x) => (Math.floor(x / classes) % 4 === 0 ? 1e-3 * random.next() : (random.next() - 0.5) * 8));
      let expected = 0;
      for (let i = 0; i < n; i++) {
        const row = margins.subarray(i * classes, (i + 1) * classes);
        const max = Math.max(...row);
        const s = row.reduce((a, m) => a + Math.exp(m - max), 0);
        expected += Math.log(s) + max - row[y[i]!]!;
      }
      expected /= n;
      for (const allowWasm of [true, false]) {
        const rows = boostRows({ y, weights: undefined, classes, base: new Float64Array(classes), sets: 0, treeSize: 7, allowWasm });
        rows.margins.set(margins);
        expect(Math.abs(rows.evaluate() - expected)).toBeLessThan(1e-12 * expected);
      }
    }
  });

  it('split with a partner on shared memory (evaluateWith): the same probabilities and loss as one thread', async () => {
    for (const classes of [2, 5]) {
      const p = problem(1001, classes, true, 41);
      const make = (shared: boolean) => {
        const rows = boostRows({ y: p.y, weights: p.weights, classes, base: new Float64Array(p.outputs), sets: 1, treeSize: 7, shared });
        rows.margins.set(p.margins);
        return rows;
      };
      const [one, two] = [make(false), make(true)];
      expect(one.shared).toBeUndefined();
      const shared = two.shared!;
      expect(shared.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
      // The partner: the same kernels on the same memory (as a helper thread instantiates them).
      const kernels = rowKernels(shared.memory)!;
      const asked: number[][] = [];
      const partner = async (from: number, to: number) => {
        asked.push([from, to]);
        return evaluateRows(kernels, shared.layout, shared.classes, from, to);
      };
      expect(await two.evaluateWith!(partner)).toBe(one.evaluate());
      expect(asked).toEqual([[splitRow(1001), 1001]]);
      expect(two.gradients(0, 0)).toEqual(one.gradients(0, 0));
      expect(two.sets[0]!.g).toEqual(one.sets[0]!.g);
    }
  });
});
