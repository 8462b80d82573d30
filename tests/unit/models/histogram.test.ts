import { describe, expect, it } from 'vitest';
import { buildLevelHistograms, buildRootHistogram, histogramLayout, subtractHistogram } from '../../../src/core/models/gbdt/histogram.ts';
import { FIXED_POINT_BITS, quantise } from '../../../src/core/models/gbdt/quantise.ts';
import { binned, syntheticTable } from './synthetic.ts';

describe('fixed-point histograms', () => {
  it('quantises to integer units of a power-of-two scale, within half a unit', () => {
    const g = Float64Array.of(0.3, -0.7, 0.1e-9, 0);
    const h = Float64Array.of(0.21, 0.25, 1e-16, 0.0625);
    const q = quantise(g, h);
    expect(q.gUnit).toBe(1 / 2 ** FIXED_POINT_BITS);
    expect(q.hUnit).toBe(0.25 / 2 ** FIXED_POINT_BITS);
    g.forEach((v, i) => expect(Math.abs(q.g[i]! * q.gUnit - v)).toBeLessThanOrEqual(q.gUnit / 2));
    expect([...q.g.slice(2)]).toEqual([0, 0]);
    expect(q.h[1]).toBe(2 ** FIXED_POINT_BITS);
  });

  it('a sibling by subtraction equals the sibling built directly, bit for bit', () => {
    const { matrix } = binned(syntheticTable(3000, 9).table);
    const n = matrix.rows;
    const layout = histogramLayout(matrix);
    const features = Int32Array.from({ length: matrix.features }, (_, f) => f);
    const gl = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 65536) - 32768);
    const hl = Float64Array.from({ length: n }, (_, i) => (i * 104729) % 65536);
    const parent = new Float64Array(layout.slotSize);
    buildRootHistogram(matrix, layout, features, gl, hl, parent);
    // Split the rows by parity: slot 0 = even rows, slot 1 = odd rows, each built directly from its
    // segment of the row list (a segment: slot, start, end, parent slot).
    const rows = Int32Array.from({ length: n }, (_, k) => (k < n / 2 ? 2 * k : 2 * (k - n / 2) + 1));
    const direct = new Float64Array(2 * layout.slotSize);
    const odd = new Float64Array(2 * layout.slotSize);
    buildLevelHistograms(matrix, layout, features, rows, gl, hl, Int32Array.of(0, 0, n / 2, 0), 1, direct, parent);
    buildLevelHistograms(matrix, layout, features, rows, gl, hl, Int32Array.of(0, n / 2, n, 0), 1, odd, parent);
    direct.set(odd.subarray(0, layout.slotSize), layout.slotSize);
    const viaSubtraction = direct.slice();
    viaSubtraction.fill(0, layout.slotSize);
    subtractHistogram(viaSubtraction, parent, 0, 0, 1, layout.slotSize);
    expect(viaSubtraction).toEqual(direct);
  });
});
