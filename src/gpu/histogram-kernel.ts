import { READ_BIN } from './wgsl.ts';

/**
 * Listed features one histogram invocation adds for its row (the dispatch's y covers the rest):
 * all of them on a software adapter, where invocations are expensive (SwiftShader: 2.6× faster at
 * 8 than at 1, 3.9× at 64 on NSL-KDD); on a GPU, few enough that rows × groups keeps ~2^18
 * invocations in flight.
 */
export function featuresPerInvocation(rows: number, features: number, software: boolean): number {
  if (software) return 64;
  return Math.max(1, Math.min(64, Math.floor((rows * features) / 2 ** 18)));
}

/**
 * Gradient histograms of one tree level on the GPU. CPU reference: `buildRootHistogram` /
 * `buildLevelHistograms` (src/core/models/gbdt/histogram.ts); the parity test runs both.
 *
 * One invocation adds a row to the histograms of a few features (`featuresPerInvocation`): the row's fixed-point g and h (i32) go into the
 * bin's cell of its node's slot with 32-bit atomics that carry into a high word, which makes each
 * cell an exact 64-bit two's-complement sum, whatever order the rows arrive in. Rows whose node has
 * no slot this level (-1), and rows with g = h = 0 (not active this tree), add nothing.
 *
 * Cell layout: ((slot · slotBins) + featureOffset + bin) · 4 + {0: g low, 1: g high, 2: h low, 3: h high}.
 */
export const HISTOGRAM_WGSL = /* wgsl */ `
struct Params {
  rows: u32,
  featureCount: u32,
  slotBins: u32,
  stride: u32,
  perInvocation: u32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> bins: array<u32>;
@group(0) @binding(2) var<storage, read> grad: array<vec2<i32>>;
@group(0) @binding(3) var<storage, read> nodeOfRow: array<u32>;
@group(0) @binding(4) var<storage, read> slotOfNode: array<i32>;
// Per listed feature: its column within this shard, and its first cell within a slot.
@group(0) @binding(5) var<storage, read> features: array<vec2<u32>>;
@group(0) @binding(6) var<storage, read_write> hist: array<atomic<u32>>;
${READ_BIN}

fn add64(cell: u32, value: i32) {
  let bits = bitcast<u32>(value);
  let before = atomicAdd(&hist[cell], bits);
  let carry = select(0u, 1u, before + bits < before);
  let high = select(0u, 0xffffffffu, value < 0) + carry;
  if (high != 0u) {
    atomicAdd(&hist[cell + 1u], high);
  }
}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  // Each invocation takes params.perInvocation listed features of a row: its node, slot and
  // gradients are read once for all of them.
  let first = id.y * params.perInvocation;
  let last = min(first + params.perInvocation, params.featureCount);
  for (var row = id.x; row < params.rows; row += params.stride) {
    let slot = slotOfNode[nodeOfRow[row]];
    let gh = grad[row];
    if (slot < 0 || (gh.x == 0 && gh.y == 0)) {
      continue;
    }
    let slotCell = u32(slot) * params.slotBins;
    for (var j = first; j < last; j++) {
      let feature = features[j];
      let bin = readBin(feature.x * params.rows + row);
      let cell = (slotCell + feature.y + bin) * 4u;
      add64(cell, gh.x);
      add64(cell + 2u, gh.y);
    }
  }
}`;

/**
 * Moves each row at a node that splits this level to its child. CPU reference: `leafOf`
 * (src/core/models/gbdt/predict.ts), the same rule one level at a time. Runs once per shard: a row moves in the shard holding its
 * node's split feature; the children are not decided yet (feature −2), so no row moves twice.
 */
export const PARTITION_WGSL = /* wgsl */ `
struct Params {
  rows: u32,
  firstFeature: i32,
  endFeature: i32,
  stride: u32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> bins: array<u32>;
@group(0) @binding(2) var<storage, read_write> nodeOfRow: array<u32>;
// Per heap node: split feature (−1 leaf, −2 none), split bin, default-left flag.
@group(0) @binding(3) var<storage, read> splits: array<vec3<i32>>;
@group(0) @binding(4) var<storage, read> binCounts: array<u32>;
${READ_BIN}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  for (var row = id.x; row < params.rows; row += params.stride) {
    let node = nodeOfRow[row];
    let split = splits[node];
    if (split.x < params.firstFeature || split.x >= params.endFeature) {
      continue;
    }
    let bin = readBin(u32(split.x - params.firstFeature) * params.rows + row);
    var left = bin <= u32(split.y);
    if (bin == binCounts[split.x] - 1u) {
      left = split.z == 1;
    }
    nodeOfRow[row] = 2u * node + select(2u, 1u, left);
  }
}`;
