import type { Correlations } from './types.ts';

/** Most numeric columns a correlation matrix takes; beyond this it is truncated (and says so). */
export const MAX_CORRELATION_COLUMNS = 60;

/**
 * Pearson correlations of numeric columns. Missing and non-finite values are replaced by the
 * column mean, so each pair uses every row; constant columns get NaN.
 */
export function correlations(columns: { name: string; values: Float64Array; valid: Uint8Array }[], truncated: boolean): Correlations {
  const k = columns.length;
  const centred = columns.map(({ values, valid }) => {
    let sum = 0;
    let n = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (valid[i] && Number.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    const mean = n ? sum / n : 0;
    const out = new Float64Array(values.length);
    let ss = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      const d = valid[i] && Number.isFinite(v) ? v - mean : 0;
      out[i] = d;
      ss += d * d;
    }
    return { out, norm: Math.sqrt(ss) };
  });
  const matrix = new Array<number>(k * k).fill(NaN);
  for (let a = 0; a < k; a++) {
    const ca = centred[a]!;
    for (let b = a; b < k; b++) {
      const cb = centred[b]!;
      let dot = 0;
      const x = ca.out;
      const y = cb.out;
      for (let i = 0; i < x.length; i++) dot += x[i]! * y[i]!;
      const r = ca.norm > 0 && cb.norm > 0 ? Math.max(-1, Math.min(1, dot / (ca.norm * cb.norm))) : NaN;
      matrix[a * k + b] = r;
      matrix[b * k + a] = r;
    }
  }
  return { columns: columns.map((c) => c.name), matrix, truncated };
}
