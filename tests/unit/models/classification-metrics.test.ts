import { describe, expect, it } from 'vitest';
import { classificationMetrics } from '../../../src/core/metrics/classification-metrics.ts';

describe('classification metrics', () => {
  it('agree with values worked out by hand (as scikit-learn computes them)', () => {
    // 3 classes, 6 rows; predictions: 0,0,1,2,2,1 against truth 0,1,1,2,2,0.
    const y = Int32Array.of(0, 1, 1, 2, 2, 0);
    const p = Float32Array.of(0.8, 0.1, 0.1, 0.6, 0.3, 0.1, 0.2, 0.7, 0.1, 0.1, 0.1, 0.8, 0.2, 0.2, 0.6, 0.3, 0.5, 0.2);
    const m = classificationMetrics(y, p, ['a', 'b', 'c']);
    expect(m.confusion).toEqual([
      [1, 1, 0],
      [1, 1, 0],
      [0, 0, 2],
    ]);
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
    expect(m.recall).toEqual({ a: 0.5, b: 0.5, c: 1 });
    expect(m.precision).toEqual({ a: 0.5, b: 0.5, c: 1 });
    expect(m.macro_f1).toBeCloseTo((0.5 + 0.5 + 1) / 3, 12);
    const ll = -(Math.log(0.8) + Math.log(0.3) + Math.log(0.7) + Math.log(0.8) + Math.log(0.6) + Math.log(0.3)) / 6;
    expect(m.log_loss).toBeCloseTo(ll, 6);
    expect(m.roc_auc).toBeGreaterThan(0.5);
  });

  it('a class absent from the truth gets recall 0, and AUC skips it; unlabelled rows are left out', () => {
    const m = classificationMetrics(Int32Array.of(0, 1, -1), Float32Array.of(0.9, 0.1, 0, 0.2, 0.8, 0, 0.5, 0.5, 0), ['x', 'y', 'z']);
    expect(m.rows).toBe(2);
    expect(m.recall.z).toBe(0);
    expect(m.roc_auc).toBe(1);
    expect(m.accuracy).toBe(1);
  });
});
