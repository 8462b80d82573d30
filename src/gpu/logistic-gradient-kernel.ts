/**
 * Logistic regression's gradient on the GPU: Xᵀ·R by chunks of rows, no atomics. Invocation q of
 * chunk c sums, over the chunk's rows in order, R[i][r]·x[i][j] for slot q = r·(width + 1) + j
 * (j = width: the intercept, Σ R[i][r]), or the loss for the last slot; each chunk's partial sums
 * go out and the CPU adds them in f64 in a fixed order (deterministic, and exact beyond f32 where
 * it matters most). CPU reference: `logisticGradientReference` below; the f64 CPU gradient is
 * `logisticObjective`'s (src/core/models/logistic/objective.ts).
 */
export const LOGISTIC_GRADIENT_WGSL = /* wgsl */ `
struct Params {
  rows: u32,
  width: u32,
  free: u32,
  chunk: u32,
  slots: u32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> residual: array<f32>;
@group(0) @binding(3) var<storage, read> loss: array<f32>;
@group(0) @binding(4) var<storage, read_write> partial: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(workgroup_id) group: vec3<u32>) {
  let q = id.x;
  if (q >= params.slots) {
    return;
  }
  let c = group.y;
  let first = c * params.chunk;
  let last = min(first + params.chunk, params.rows);
  let D = params.width;
  let F = params.free;
  let S = D + 1u;
  var sum = 0.0;
  if (q == F * S) {
    for (var i = first; i < last; i++) {
      sum += loss[i];
    }
  } else {
    let r = q / S;
    let j = q % S;
    if (j == D) {
      for (var i = first; i < last; i++) {
        sum += residual[i * F + r];
      }
    } else {
      for (var i = first; i < last; i++) {
        sum += residual[i * F + r] * x[i * D + j];
      }
    }
  }
  partial[c * params.slots + q] = sum;
}`;

/** Rows per chunk: at least 256, and few enough chunks for one dispatch dimension. */
export const gradientChunk = (rows: number, maxPerDimension: number): number => Math.max(256, Math.ceil(rows / maxPerDimension));

/** The kernel's partial sums in f32 (Math.fround at each step), chunks × slots, for the parity tests. */
export function logisticGradientReference(x: Float32Array, residual: Float32Array, loss: Float32Array, rows: number, width: number, free: number, chunk: number): Float32Array {
  const f = Math.fround;
  const S = width + 1;
  const slots = free * S + 1;
  const chunks = Math.ceil(rows / chunk);
  const partial = new Float32Array(chunks * slots);
  for (let c = 0; c < chunks; c++) {
    const first = c * chunk;
    const last = Math.min(first + chunk, rows);
    for (let q = 0; q < slots; q++) {
      let sum = 0;
      const r = Math.floor(q / S);
      const j = q % S;
      for (let i = first; i < last; i++) {
        if (q === free * S) sum = f(sum + loss[i]!);
        else if (j === width) sum = f(sum + residual[i * free + r]!);
        else sum = f(sum + f(residual[i * free + r]! * x[i * width + j]!));
      }
      partial[c * slots + q] = sum;
    }
  }
  return partial;
}
