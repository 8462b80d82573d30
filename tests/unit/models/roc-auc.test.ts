import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../../src/core/metrics/roc-auc.ts';

describe('ROC AUC', () => {
  it('matches scikit-learn on small cases, ties included', () => {
    // sklearn.metrics.roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([0.5, 0.5, 0.5], [0, 1, 1])).toBe(0.5);
    // roc_auc_score([1, 0, 1, 0, 1], [0.9, 0.9, 0.2, 0.1, 0.7]) == 0.58333… (7 / 12)
    expect(rocAuc([0.9, 0.9, 0.2, 0.1, 0.7], [1, 0, 1, 0, 1])).toBeCloseTo(7 / 12, 12);
    expect(rocAuc([1, 2, 3], [0, 0, 0])).toBeNaN();
  });
});
