/**
 * Gradients in fixed point, as XGBoost's GPU `hist` does for determinism: each value becomes an
 * integer number of units, a unit being 2^-FIXED_POINT_BITS of a per-tree scale (the smallest power
 * of two ≥ max |value|). Sums of such integers are exact in Float64 (below 2^53) and in 64-bit
 * integer atomics, in any order, so a GPU kernel summing the same integers makes the same split
 * decisions as this CPU reference, bit for bit. Rounding is floor(x + 0.5), which WGSL can repeat.
 */
export const FIXED_POINT_BITS = 16;

export interface Quantised {
  g: Int32Array;
  h: Int32Array;
  /** The real value of one unit. */
  gUnit: number;
  hUnit: number;
}

export function quantise(g: Float64Array, h: Float64Array, options: QuantiseOptions = {}): Quantised {
  const { out, active, drawn } = options;
  const max = options.max ?? { g: maxAbs(g), h: maxAbs(h) };
  const n = g.length;
  const gq = out?.g.length === n ? out.g : new Int32Array(n);
  const hq = out?.h.length === n ? out.h : new Int32Array(n);
  const gUnit = unitFor(max.g);
  const hUnit = unitFor(max.h);
  // Dividing by a power of two is exact, so only the final rounding loses information.
  for (let i = 0; i < n; i++) {
    const a = Math.floor(g[i]! / gUnit + 0.5);
    const b = Math.floor(h[i]! / hUnit + 0.5);
    gq[i] = a;
    hq[i] = b;
    if (active) active[i] = (drawn ? drawn() : true) && (a !== 0 || b !== 0) ? 1 : 0;
  }
  return { g: gq, h: hq, gUnit, hUnit };
}

export interface QuantiseOptions {
  /** The largest |g| and |h|, when known (else found here). */
  max?: { g: number; h: number };
  /** Arrays to reuse. */
  out?: Quantised;
  /** Marked 1 for the rows that are `drawn` (all when not given) and whose quantised g or h is not 0: in the same pass. */
  active?: Uint8Array;
  drawn?: () => boolean;
}

function maxAbs(values: Float64Array): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]!));
  return max;
}

export function unitFor(max: number): number {
  const scale = max > 0 && Number.isFinite(max) ? 2 ** Math.ceil(Math.log2(max)) : 1;
  return scale / 2 ** FIXED_POINT_BITS;
}
