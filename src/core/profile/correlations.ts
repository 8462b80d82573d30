import type { Correlations } from './types.ts';

/** Most numeric columns a correlation matrix takes; beyond this it is truncated (and says so). */
export const MAX_CORRELATION_COLUMNS = 60;
/** Rows per block: 60 columns × 2,048 rows × 8 bytes stays within a core's L2 cache. */
const BLOCK = 2048;

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
  // Dot products in row blocks that stay in cache: streaming every pair of whole columns from
  // memory would be bound by bandwidth (k² passes over the data instead of one).
  const dots = new Float64Array(k * k);
  const rows = columns[0]?.values.length ?? 0;
  for (let start = 0; start < rows; start += BLOCK) {
    const end = Math.min(rows, start + BLOCK);
    for (let a = 0; a < k; a++) {
      const x = centred[a]!.out;
      for (let b = a; b < k; b++) {
        const y = centred[b]!.out;
        let dot = 0;
        for (let i = start; i < end; i++) dot += x[i]! * y[i]!;
        dots[a * k + b]! += dot;
      }
    }
  }
  const matrix = new Array<number>(k * k).fill(NaN);
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      const na = centred[a]!.norm;
      const nb = centred[b]!.norm;
      const r = na > 0 && nb > 0 ? Math.max(-1, Math.min(1, dots[a * k + b]! / (na * nb))) : NaN;
      matrix[a * k + b] = r;
      matrix[b * k + a] = r;
    }
  }
  return { columns: columns.map((c) => c.name), matrix, truncated };
}
