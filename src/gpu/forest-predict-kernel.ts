import { READ_BIN } from './wgsl.ts';

/**
 * Random-forest prediction on the GPU: every row walks every tree of a chunk and adds the leaf's
 * class frequencies to its running sums. CPU reference: `predictForest`
 * (src/core/models/forest/predict-forest.ts), which sums in f64; here the sums are f32 with Kahan
 * compensation (kept across chunks of trees), so hundreds of trees stay within 1e-5 of it.
 *
 * A node is (feature, split bin, default left, left child), feature −1 at a leaf; children are
 * indices into this chunk's nodes (right = left + 1). Leaf values: node × classes.
 */
export const FOREST_PREDICT_WGSL = /* wgsl */ `
struct Params {
  rows: u32,
  trees: u32,
  classes: u32,
  stride: u32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> bins: array<u32>;
@group(0) @binding(2) var<storage, read> binCounts: array<u32>;
@group(0) @binding(3) var<storage, read> nodes: array<vec4<i32>>;
@group(0) @binding(4) var<storage, read> roots: array<u32>;
@group(0) @binding(5) var<storage, read> values: array<f32>;
@group(0) @binding(6) var<storage, read_write> sums: array<f32>;
@group(0) @binding(7) var<storage, read_write> carries: array<f32>;
${READ_BIN}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  for (var row = id.x; row < params.rows; row += params.stride) {
    let at = row * params.classes;
    for (var t = 0u; t < params.trees; t++) {
      var node = roots[t];
      loop {
        let n = nodes[node];
        if (n.x < 0) {
          break;
        }
        let bin = readBin(u32(n.x) * params.rows + row);
        var left = bin <= u32(n.y);
        if (bin == binCounts[n.x] - 1u) {
          left = n.z == 1;
        }
        node = u32(n.w) + select(1u, 0u, left);
      }
      for (var k = 0u; k < params.classes; k++) {
        let y = values[node * params.classes + k] - carries[at + k];
        let sum = sums[at + k] + y;
        carries[at + k] = (sum - sums[at + k]) - y;
        sums[at + k] = sum;
      }
    }
  }
}`;
