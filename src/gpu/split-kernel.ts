import type { SplitCandidate } from '../core/models/gbdt/split-search.ts';

/** Candidate boundaries kept per (node, feature); more within the margin flags the record. */
export const CANDIDATES = 8;
/** Words per (node, feature) record: flags+count, G, H, missing g, missing h (2 words each), then candidates. */
export const RECORD_WORDS = 9 + 5 * CANDIDATES;
/** A boundary is kept when its f32 gain score is within this fraction of the feature's best. */
export const MARGIN = 2 ** -12;
const OVERFLOW = 0x80000000;

/**
 * Split search on the GPU, one invocation per (node slot, listed feature): a running 64-bit prefix
 * sum over the feature's real bins, the gain score GL²/(HL+λ) + GR²/(HR+λ) of each boundary (both
 * missing sides) in f32, then every boundary whose score is within MARGIN of the best, with its
 * exact sums. The CPU picks among them in f64 (`bestSplitOfCandidates`), which gives the split the
 * full f64 search (`bestSplit`) would: f32's error (a few ulp, ~1e-6) is far inside the margin.
 * A boundary after an empty bin repeats the one before (same sums), which the search would never
 * prefer, so only bin 0 and boundaries after non-empty bins are candidates. A record with more
 * candidates than fit, or one whose hessian sits at min_child_weight within f32's error, is flagged
 * and the CPU reads that level's histograms instead. CPU reference: `splitCandidatesReference`.
 *
 * Record: [count | flag bit 31, G lo, G hi, H lo, H hi, gm lo, gm hi, hm lo, hm hi,
 *          CANDIDATES × (bin, gl lo, gl hi, hl lo, hl hi)].
 */
export const SPLIT_WGSL = /* wgsl */ `
struct Params {
  slots: u32,
  featureCount: u32,
  slotBins: u32,
  pad: u32,
  lambda: f32,
  minChildWeight: f32,
  gUnit: f32,
  hUnit: f32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> hist: array<u32>;
// Per listed feature: (first cell in a slot, bins including the missing bin).
@group(0) @binding(2) var<storage, read> features: array<vec2<u32>>;
@group(0) @binding(3) var<storage, read_write> records: array<u32>;

const CANDIDATES = ${CANDIDATES}u;
const RECORD = ${RECORD_WORDS}u;
const MARGIN = ${MARGIN};

fn add64(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let lo = a.x + b.x;
  return vec2<u32>(lo, a.y + b.y + select(0u, 1u, lo < a.x));
}
fn sub64(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  return vec2<u32>(a.x - b.x, a.y - b.y - select(0u, 1u, a.x < b.x));
}
fn f32of(a: vec2<u32>) -> f32 {
  return f32(bitcast<i32>(a.y)) * 4294967296.0 + f32(a.x);
}
fn positive(a: vec2<u32>) -> bool {
  return bitcast<i32>(a.y) > 0 || (a.y == 0u && a.x > 0u);
}
fn cell(base: u32, bin: u32, part: u32) -> vec2<u32> {
  let at = (base + bin) * 4u + part;
  return vec2<u32>(hist[at], hist[at + 1u]);
}

// The f32 score of sending (gl, hl) left, or -1 when a child is empty or light; *borderline is set
// when the min_child_weight test is too close to call in f32.
fn score(gl: vec2<u32>, hl: vec2<u32>, g: vec2<u32>, h: vec2<u32>, borderline: ptr<function, bool>) -> f32 {
  let hr = sub64(h, hl);
  if (!positive(hl) || !positive(hr)) {
    return -1.0;
  }
  let hL = f32of(hl) * params.hUnit;
  let hR = f32of(hr) * params.hUnit;
  let low = params.minChildWeight * (1.0 - 1e-5);
  let high = params.minChildWeight * (1.0 + 1e-5);
  if (hL < low || hR < low) {
    return -1.0;
  }
  if (hL <= high || hR <= high) {
    *borderline = true;
  }
  let gL = f32of(gl) * params.gUnit;
  let gR = f32of(sub64(g, gl)) * params.gUnit;
  return gL * gL / (hL + params.lambda) + gR * gR / (hR + params.lambda);
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let index = id.x;
  if (index >= params.slots * params.featureCount) {
    return;
  }
  let slot = index / params.featureCount;
  let feature = features[index % params.featureCount];
  let base = slot * params.slotBins + feature.x;
  let missing = feature.y - 1u;
  var g = vec2<u32>(0u, 0u);
  var h = vec2<u32>(0u, 0u);
  for (var b = 0u; b <= missing; b++) {
    g = add64(g, cell(base, b, 0u));
    h = add64(h, cell(base, b, 2u));
  }
  let gm = cell(base, missing, 0u);
  let hm = cell(base, missing, 2u);
  let out = index * RECORD;
  records[out + 1u] = g.x;
  records[out + 2u] = g.y;
  records[out + 3u] = h.x;
  records[out + 4u] = h.y;
  records[out + 5u] = gm.x;
  records[out + 6u] = gm.y;
  records[out + 7u] = hm.x;
  records[out + 8u] = hm.y;

  var ignored = false;
  var best = -1.0;
  var gl = vec2<u32>(0u, 0u);
  var hl = vec2<u32>(0u, 0u);
  for (var b = 0u; b < missing; b++) {
    let gb = cell(base, b, 0u);
    let hb = cell(base, b, 2u);
    gl = add64(gl, gb);
    hl = add64(hl, hb);
    if (b > 0u && (gb.x | gb.y | hb.x | hb.y) == 0u) {
      continue;
    }
    best = max(best, max(score(add64(gl, gm), add64(hl, hm), g, h, &ignored), score(gl, hl, g, h, &ignored)));
  }
  var count = 0u;
  var flag = 0u;
  if (best >= 0.0) {
    let cutoff = best - best * MARGIN;
    gl = vec2<u32>(0u, 0u);
    hl = vec2<u32>(0u, 0u);
    for (var b = 0u; b < missing; b++) {
      let gb = cell(base, b, 0u);
      let hb = cell(base, b, 2u);
      gl = add64(gl, gb);
      hl = add64(hl, hb);
      if (b > 0u && (gb.x | gb.y | hb.x | hb.y) == 0u) {
        continue;
      }
      var borderline = false;
      let s = max(score(add64(gl, gm), add64(hl, hm), g, h, &borderline), score(gl, hl, g, h, &borderline));
      if (s < 0.0 || s < cutoff) {
        continue;
      }
      if (borderline || count == CANDIDATES) {
        flag = ${OVERFLOW}u;
        if (count == CANDIDATES) {
          break;
        }
      }
      let at = out + 9u + count * 5u;
      records[at] = b;
      records[at + 1u] = gl.x;
      records[at + 2u] = gl.y;
      records[at + 3u] = hl.x;
      records[at + 4u] = hl.y;
      count++;
    }
  }
  records[out] = count | flag;
}`;

/**
 * Sibling histograms by subtraction on the GPU: each cell of a larger child is its parent's minus
 * its smaller sibling's, in exact 64-bit two's complement. CPU reference: `subtractHistogram`
 * (src/core/models/gbdt/histogram.ts). One invocation per (pair, cell word pair).
 */
export const SUBTRACT_WGSL = /* wgsl */ `
struct Params {
  pairs: u32,
  slotWords: u32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> parent: array<u32>;
@group(0) @binding(2) var<storage, read_write> level: array<u32>;
// Per pair: (parent slot, small slot, big slot).
@group(0) @binding(3) var<storage, read> pairs: array<vec4<u32>>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let half = params.slotWords / 2u;
  if (id.x >= half || id.y >= params.pairs) {
    return;
  }
  let pair = pairs[id.y];
  let p = pair.x * params.slotWords + id.x * 2u;
  let s = pair.y * params.slotWords + id.x * 2u;
  let b = pair.z * params.slotWords + id.x * 2u;
  let lo = parent[p] - level[s];
  level[b] = lo;
  level[b + 1u] = parent[p + 1u] - level[s + 1u] - select(0u, 1u, parent[p] < level[s]);
}`;

/** One (node, feature) record, decoded: exact sums as numbers (below 2^53), and its candidates. */
export interface SplitRecord {
  overflow: boolean;
  g: number;
  h: number;
  gm: number;
  hm: number;
  candidates: SplitCandidate[];
}

/** The signed 64-bit integer in words [at] (low) and [at + 1] (high), as a number (exact below 2^53). */
export const int64At = (words: Uint32Array, at: number): number => (words[at + 1]! | 0) * 4294967296 + words[at]!;

export function decodeRecord(words: Uint32Array, index: number): SplitRecord {
  const at = index * RECORD_WORDS;
  const head = words[at]!;
  const count = head & 0x7fffffff;
  const candidates: SplitCandidate[] = [];
  for (let c = 0; c < count; c++) {
    const x = at + 9 + c * 5;
    candidates.push({ bin: words[x]!, gl: int64At(words, x + 1), hl: int64At(words, x + 3) });
  }
  return { overflow: (head & OVERFLOW) !== 0, g: int64At(words, at + 1), h: int64At(words, at + 3), gm: int64At(words, at + 5), hm: int64At(words, at + 7), candidates };
}

/**
 * The CPU reference of SPLIT_WGSL for one node and feature, over a histogram slot in the CPU
 * layout (Float64 g, h unit sums), with the same f32 rounding (Math.fround at every step).
 */
export function splitCandidatesReference(
  hist: Float64Array,
  base: number,
  bins: number,
  params: { lambda: number; minChildWeight: number },
  units: { g: number; h: number },
): SplitRecord {
  const f = Math.fround;
  const missing = bins - 1;
  let g = 0;
  let h = 0;
  for (let b = 0; b <= missing; b++) {
    g += hist[base + 2 * b]!;
    h += hist[base + 2 * b + 1]!;
  }
  const gm = hist[base + 2 * missing]!;
  const hm = hist[base + 2 * missing + 1]!;
  const lambda = f(params.lambda);
  const mcw = f(params.minChildWeight);
  const low = f(mcw * f(1 - 1e-5));
  const high = f(mcw * f(1 + 1e-5));
  const toF32 = (x: number): number => {
    const hi = Math.floor(x / 4294967296);
    return f(f(f(hi) * 4294967296) + f(x - hi * 4294967296));
  };
  const state = { borderline: false };
  const score = (gl: number, hl: number): number => {
    const hr = h - hl;
    if (!(hl > 0) || !(hr > 0)) return -1;
    const hL = f(toF32(hl) * f(units.h));
    const hR = f(toF32(hr) * f(units.h));
    if (hL < low || hR < low) return -1;
    if (hL <= high || hR <= high) state.borderline = true;
    const gL = f(toF32(gl) * f(units.g));
    const gR = f(toF32(g - gl) * f(units.g));
    return f(f(f(gL * gL) / f(hL + lambda)) + f(f(gR * gR) / f(hR + lambda)));
  };
  const boundaries: { bin: number; gl: number; hl: number }[] = [];
  let gl = 0;
  let hl = 0;
  for (let b = 0; b < missing; b++) {
    const gb = hist[base + 2 * b]!;
    const hb = hist[base + 2 * b + 1]!;
    gl += gb;
    hl += hb;
    if (b > 0 && gb === 0 && hb === 0) continue;
    boundaries.push({ bin: b, gl, hl });
  }
  let best = -1;
  for (const c of boundaries) best = Math.max(best, score(c.gl + gm, c.hl + hm), score(c.gl, c.hl));
  const candidates: SplitCandidate[] = [];
  let overflow = false;
  if (best >= 0) {
    const floor = f(best - f(best * MARGIN));
    for (const c of boundaries) {
      state.borderline = false;
      const s = Math.max(score(c.gl + gm, c.hl + hm), score(c.gl, c.hl));
      if (s < 0 || s < floor) continue;
      if (state.borderline || candidates.length === CANDIDATES) {
        overflow = true;
        if (candidates.length === CANDIDATES) break;
      }
      candidates.push(c);
    }
  }
  return { overflow, g, h, gm, hm, candidates };
}
