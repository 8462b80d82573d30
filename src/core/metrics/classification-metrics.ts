import { rocAuc } from './roc-auc.ts';

export interface ClassificationMetrics {
  classes: string[];
  accuracy: number;
  macro_f1: number;
  /** Binary: AUC of the second class; more classes: macro one-vs-rest over classes present. */
  roc_auc: number | null;
  log_loss: number;
  recall: Record<string, number>;
  precision: Record<string, number>;
  /** confusion[true][predicted], rows and columns in `classes` order. */
  confusion: number[][];
  rows: number;
}

/** Probabilities are clipped before the log, as scikit-learn does, so one confident miss is finite. */
const EPS = 1e-15;

/**
 * Metrics of predicted probabilities (rows × classes.length, row-major) against class indices y.
 * Rows with y = -1 (no label) are left out. Classes that never occur get recall / precision 0
 * where undefined, as scikit-learn's zero_division=0.
 */
export function classificationMetrics(y: Int32Array, proba: ArrayLike<number>, classes: string[]): ClassificationMetrics {
  const K = classes.length;
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let correct = 0;
  let loss = 0;
  let rows = 0;
  for (let i = 0; i < y.length; i++) {
    const t = y[i]!;
    if (t < 0) continue;
    let best = 0;
    for (let k = 1; k < K; k++) if (proba[i * K + k]! > proba[i * K + best]!) best = k;
    confusion[t]![best]!++;
    if (best === t) correct++;
    loss -= Math.log(Math.min(1 - EPS, Math.max(EPS, proba[i * K + t]!)));
    rows++;
  }
  const recall: Record<string, number> = {};
  const precision: Record<string, number> = {};
  let f1Sum = 0;
  classes.forEach((c, k) => {
    const tp = confusion[k]![k]!;
    const actual = confusion[k]!.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[k]!, 0);
    const r = actual ? tp / actual : 0;
    const p = predicted ? tp / predicted : 0;
    recall[c] = r;
    precision[c] = p;
    f1Sum += r + p > 0 ? (2 * r * p) / (r + p) : 0;
  });
  return {
    classes,
    accuracy: rows ? correct / rows : NaN,
    macro_f1: K ? f1Sum / K : NaN,
    roc_auc: auc(y, proba, K),
    log_loss: rows ? loss / rows : NaN,
    recall,
    precision,
    confusion,
    rows,
  };
}

function auc(y: Int32Array, proba: ArrayLike<number>, K: number): number | null {
  const labelled = Array.from(y.keys()).filter((i) => y[i]! >= 0);
  const one = (k: number): number | null => {
    const positive = labelled.map((i) => (y[i] === k ? 1 : 0));
    const pos = positive.reduce<number>((a, b) => a + b, 0);
    if (pos === 0 || pos === labelled.length) return null;
    return rocAuc(labelled.map((i) => proba[i * K + k]!), positive);
  };
  if (K === 2) return one(1);
  const aucs = Array.from({ length: K }, (_, k) => one(k)).filter((a): a is number => a !== null);
  return aucs.length ? aucs.reduce((a, b) => a + b, 0) / aucs.length : null;
}
