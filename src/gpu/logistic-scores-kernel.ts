/**
 * Logistic regression's forward pass on the GPU, one invocation per row: the free rows' scores
 * x·w_r + b_r (dense row-major f32 design, weights free × (width + 1) with the intercept last), then
 * the weighted log loss and residuals s·(p − onehot(y)), the factor of the gradient Xᵀ(·). Binary:
 * one free row, class 0's score fixed at 0 (a sigmoid); else a softmax over the free rows.
 * CPU reference: `logisticScoresReference` below (f32 emulated with Math.fround); the f64 CPU
 * objective the fit ends on is `logisticObjective` (src/core/models/logistic/objective.ts).
 */
export const LOGISTIC_SCORES_WGSL = /* wgsl */ `
struct Params {
  rows: u32,
  width: u32,
  free: u32,
  stride: u32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> label: array<u32>;
@group(0) @binding(4) var<storage, read> weight: array<f32>;
@group(0) @binding(5) var<storage, read_write> residual: array<f32>;
@group(0) @binding(6) var<storage, read_write> loss: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let D = params.width;
  let F = params.free;
  let S = D + 1u;
  for (var row = id.x; row < params.rows; row += params.stride) {
    let xb = row * D;
    let rb = row * F;
    var top = 0.0;
    for (var r = 0u; r < F; r++) {
      var z = w[r * S + D];
      for (var j = 0u; j < D; j++) {
        z += x[xb + j] * w[r * S + j];
      }
      residual[rb + r] = z;
      top = select(max(top, z), z, r == 0u && F > 1u);
    }
    let y = label[row];
    let s = weight[row];
    if (F == 1u) {
      let z = residual[rb];
      let e = exp(-abs(z));
      let positive = select(0.0, 1.0, y == 1u);
      loss[row] = s * (max(z, 0.0) + log(1.0 + e) - positive * z);
      let p = select(e / (1.0 + e), 1.0 / (1.0 + e), z >= 0.0);
      residual[rb] = s * (p - positive);
      continue;
    }
    let zy = residual[rb + y] - top;
    var total = 0.0;
    for (var r = 0u; r < F; r++) {
      let e = exp(residual[rb + r] - top);
      residual[rb + r] = e;
      total += e;
    }
    loss[row] = s * (log(total) - zy);
    for (var r = 0u; r < F; r++) {
      residual[rb + r] = s * (residual[rb + r] / total - select(0.0, 1.0, r == y));
    }
  }
}`;

/** The kernel's arithmetic in f32 (each step rounded with Math.fround), for the parity tests. */
export function logisticScoresReference(
  x: Float32Array,
  w: Float32Array,
  label: Uint32Array,
  weight: Float32Array,
  rows: number,
  width: number,
  free: number,
): { residual: Float32Array; loss: Float32Array } {
  const f = Math.fround;
  const S = width + 1;
  const residual = new Float32Array(rows * free);
  const loss = new Float32Array(rows);
  for (let row = 0; row < rows; row++) {
    let top = 0;
    for (let r = 0; r < free; r++) {
      let z = w[r * S + width]!;
      for (let j = 0; j < width; j++) z = f(z + f(x[row * width + j]! * w[r * S + j]!));
      residual[row * free + r] = z;
      top = r === 0 && free > 1 ? z : Math.max(top, z);
    }
    const y = label[row]!;
    const s = weight[row]!;
    if (free === 1) {
      const z = residual[row]!;
      const e = f(Math.exp(-Math.abs(z)));
      const positive = y === 1 ? 1 : 0;
      loss[row] = f(s * f(f(Math.max(z, 0) + f(Math.log(f(1 + e)))) - f(positive * z)));
      const p = z >= 0 ? f(1 / f(1 + e)) : f(e / f(1 + e));
      residual[row] = f(s * f(p - positive));
      continue;
    }
    const zy = f(residual[row * free + y]! - top);
    let total = 0;
    for (let r = 0; r < free; r++) {
      const e = f(Math.exp(f(residual[row * free + r]! - top)));
      residual[row * free + r] = e;
      total = f(total + e);
    }
    loss[row] = f(s * f(f(Math.log(total)) - zy));
    for (let r = 0; r < free; r++) residual[row * free + r] = f(s * f(f(residual[row * free + r]! / total) - (r === y ? 1 : 0)));
  }
  return { residual, loss };
}
