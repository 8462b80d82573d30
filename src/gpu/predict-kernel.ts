import { READ_BIN } from './wgsl.ts';

/**
 * Boosted-tree prediction on the GPU: every row walks every tree, margins summed per output in
 * f32, then the sigmoid (binary) or softmax (multi-class). CPU reference: `predictProba`
 * (src/core/models/gbdt/predict.ts), which sums in f64; the parity test holds the two within 1e-5.
 *
 * Trees are in heap layout, `treeSize` nodes each; a node is (feature, split bin, default left,
 * missing bin), feature −1 at a leaf. Output: rows × classes probabilities.
 */
export const PREDICT_WGSL = /* wgsl */ `
struct Params {
  rows: u32,
  trees: u32,
  treeSize: u32,
  outputs: u32,
  classes: u32,
  stride: u32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> bins: array<u32>;
@group(0) @binding(2) var<storage, read> nodes: array<vec4<i32>>;
@group(0) @binding(3) var<storage, read> values: array<f32>;
@group(0) @binding(4) var<storage, read> base: array<f32>;
@group(0) @binding(5) var<storage, read_write> proba: array<f32>;
${READ_BIN}

fn margin(row: u32, output: u32) -> f32 {
  var sum = base[output];
  for (var t = output; t < params.trees; t += params.outputs) {
    let first = t * params.treeSize;
    var node = 0u;
    loop {
      let n = nodes[first + node];
      if (n.x < 0) {
        sum += values[first + node];
        break;
      }
      let bin = readBin(u32(n.x) * params.rows + row);
      var left = bin <= u32(n.y);
      if (bin == u32(n.w)) {
        left = n.z == 1;
      }
      node = 2u * node + select(2u, 1u, left);
    }
  }
  return sum;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  for (var row = id.x; row < params.rows; row += params.stride) {
    let at = row * params.classes;
    if (params.outputs == 1u) {
      let p = 1.0 / (1.0 + exp(-margin(row, 0u)));
      proba[at] = 1.0 - p;
      proba[at + 1u] = p;
      continue;
    }
    var top = -3.4e38;
    for (var k = 0u; k < params.classes; k++) {
      let m = margin(row, k);
      proba[at + k] = m;
      top = max(top, m);
    }
    var total = 0.0;
    for (var k = 0u; k < params.classes; k++) {
      let e = exp(proba[at + k] - top);
      proba[at + k] = e;
      total += e;
    }
    for (var k = 0u; k < params.classes; k++) {
      proba[at + k] = proba[at + k] / total;
    }
  }
}`;
