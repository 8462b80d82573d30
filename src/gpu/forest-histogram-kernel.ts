import { READ_BIN } from './wgsl.ts';

/** A row that is in no node the GPU works on (out of bag, in a leaf, or in a node the CPU took). */
export const NO_NODE = 0xffffffff;

/**
 * Class-count histograms of one tree level's (node, feature) pairs. CPU reference: `addClassCounts`
 * (src/core/models/forest/class-count-loops.ts), through `CpuClassCounts.histograms`; the parity test
 * runs both on the same requests.
 *
 * One invocation adds a row to `perInvocation` of its node's pairs: the row's bootstrap draws go to
 * its class's cell and 1 to the distinct-row cell of its bin, with 32-bit integer atomics. The sums are exact
 * integers below 2^31 (at most n draws), so any order of arrival gives the same histogram.
 *
 * Cells of a pair: first + bin · cellsPerBin + {0 … K − 1: class draws, K: distinct rows}.
 */
export const FOREST_HISTOGRAM_WGSL = /* wgsl */ `
const NONE: u32 = 0xffffffffu;
struct Params {
  rows: u32,
  stride: u32,
  cellsPerBin: u32,
  // Pairs of a row's node each invocation adds (grid y = ⌈pairs per node / this⌉).
  perInvocation: u32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> bins: array<u32>;
@group(0) @binding(2) var<storage, read> draws: array<u32>;
@group(0) @binding(3) var<storage, read> classes: array<u32>;
@group(0) @binding(4) var<storage, read> nodeOfRow: array<u32>;
// Per node of the level: its first pair in this chunk and how many (0: none in this chunk).
@group(0) @binding(5) var<storage, read> nodePairs: array<vec2<u32>>;
// Per pair: the feature's column within this shard (NONE: another shard holds it), its first cell.
@group(0) @binding(6) var<storage, read> pairs: array<vec2<u32>>;
@group(0) @binding(7) var<storage, read_write> hist: array<atomic<u32>>;
${READ_BIN}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  for (var row = id.x; row < params.rows; row += params.stride) {
    let node = nodeOfRow[row];
    if (node == NONE) {
      continue;
    }
    let range = nodePairs[node];
    let first = id.y * params.perInvocation;
    let end = min(range.y, first + params.perInvocation);
    if (first >= end) {
      continue;
    }
    let drawn = draws[row];
    let classCell = classes[row];
    for (var p = first; p < end; p++) {
      let pair = pairs[range.x + p];
      if (pair.x == NONE) {
        continue;
      }
      let cell = pair.y + readBin(pair.x * params.rows + row) * params.cellsPerBin;
      atomicAdd(&hist[cell + classCell], drawn);
      atomicAdd(&hist[cell + params.cellsPerBin - 1u], 1u);
    }
  }
}`;

/**
 * Moves each row of a splitting node to its child in the next level. CPU reference:
 * `CpuClassCounts.partition` (the same rule as `forestLeafOf`, one level at a time). It reads the
 * level's node of each row and writes the next level's into a second buffer, so a row moved by one
 * shard is not looked at again by the next. Runs once per shard of features: a row moves in the
 * shard holding its node's feature; the first shard marks NO_NODE the rows already there, rows of
 * nodes that do not split on the GPU, and rows whose child is a leaf.
 *
 * A node's split, 8 bytes so a level (at most n / 2 nodes) fits any binding the rows fit:
 * x = feature << 11 | bin << 3 | default left << 2 | left child goes on << 1 | right child goes on
 * (−1: no split here), y = the next-level index of its first child that goes on (the right one is
 * next to the left when both do).
 */
export const FOREST_PARTITION_WGSL = /* wgsl */ `
const NONE: u32 = 0xffffffffu;
struct Params {
  rows: u32,
  stride: u32,
  firstFeature: i32,
  endFeature: i32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> bins: array<u32>;
@group(0) @binding(2) var<storage, read> nodeOfRow: array<u32>;
@group(0) @binding(3) var<storage, read_write> nextNode: array<u32>;
@group(0) @binding(4) var<storage, read> splits: array<vec2<i32>>;
@group(0) @binding(5) var<storage, read> binCounts: array<u32>;
${READ_BIN}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let firstShard = params.firstFeature == 0;
  for (var row = id.x; row < params.rows; row += params.stride) {
    let node = nodeOfRow[row];
    var split = vec2<i32>(-1, 0);
    if (node != NONE) {
      split = splits[node];
    }
    if (split.x < 0) {
      if (firstShard) {
        nextNode[row] = NONE;
      }
      continue;
    }
    let feature = split.x >> 11u;
    if (feature < params.firstFeature || feature >= params.endFeature) {
      continue;
    }
    let bin = readBin(u32(feature - params.firstFeature) * params.rows + row);
    var left = bin <= u32((split.x >> 3u) & 0xff);
    if (bin == binCounts[feature] - 1u) {
      left = ((split.x >> 2u) & 1) == 1;
    }
    let leftOn = (split.x >> 1u) & 1;
    let rightOn = split.x & 1;
    var child = NONE;
    if (left && leftOn == 1) {
      child = u32(split.y);
    } else if (!left && rightOn == 1) {
      child = u32(split.y + leftOn);
    }
    nextNode[row] = child;
  }
}`;
