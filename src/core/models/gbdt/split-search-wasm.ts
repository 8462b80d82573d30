import { F64, I32, op, V128, type WasmFunction } from '../wasm-module.ts';
import { slotTotal, type SplitSearch } from './level-work.ts';
import type { HistogramLayout } from './histogram.ts';
import { MIN_GAIN } from './split-search.ts';

/*
 * bestSplit (split-search.ts) in WebAssembly SIMD: a bin boundary's two candidates (missing values
 * left, then right) are the two lanes of one vector, so both gains take one pass of vector
 * arithmetic, two divisions instead of four. The lanes do the JS loop's IEEE operations in its
 * order, and a better gain (rare after a node's first boundaries) is taken lane 0 then lane 1 with
 * the JS loop's strict comparison, so the split is the same, tie-breaking included.
 */

// searchSlot(hist, offsets, binCounts, features, F, G, H, parent, ug, uh, lambda, mcw, out):
// the slot's histogram at `hist`; offsets, binCounts and the features to search as i32 arrays;
// out: f64 (best gain so far, feature, bin, missing left 1 / 0), read for the gain and updated.
const [HIST, OFFSETS, BIN_COUNTS, FEATURES, F, G, H, PARENT, UG, UH, LAMBDA, MCW, OUT] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const [J, FEATURE, BASE, MISSING, B, BEST] = [13, 14, 15, 16, 17, 18];
const [CUM, MISS, V, LEFT, GL, HL, GR, HR, VALID, GAIN] = [19, 20, 21, 22, 23, 24, 25, 26, 27, 28];
const [VG, VH, VPARENT, VUG, VUH, VLAMBDA, VMCW, ZERO] = [29, 30, 31, 32, 33, 34, 35, 36];

const i32At = (base: number, index: number): number[][] => [op.get(base), op.get(index), op.i32(2), op.i32Shl, op.i32Add, op.i32Load()];
/** Lanes 0 of a and b (bytes 0–7 of each), or lanes 1 (bytes 8–15). */
const LOW = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
const HIGH = [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31];

/** Lane `lane` is valid and beats the best so far: take it (missing left for lane 0). */
const takeLane = (lane: number): number[][] => [
  op.get(VALID), op.i64x2ExtractLane(lane), op.i64Eqz, op.i32Eqz,
  op.get(GAIN), op.f64x2ExtractLane(lane), op.get(BEST), op.f64Gt, op.i32And,
  op.if,
  op.get(GAIN), op.f64x2ExtractLane(lane), op.set(BEST),
  op.get(OUT), op.get(FEATURE), op.f64ConvertI32S, op.f64Store(8),
  op.get(OUT), op.get(B), op.f64ConvertI32S, op.f64Store(16),
  op.get(OUT), op.f64Const(lane === 0 ? 1 : 0), op.f64Store(24),
  op.end,
];

const score = (g: number, h: number): number[][] => [op.get(g), op.get(g), op.f64x2Mul, op.get(h), op.get(VLAMBDA), op.f64x2Add, op.f64x2Div];

const boundary: number[][] = [
  op.get(CUM), op.get(V), op.f64x2Add, op.set(CUM),
  op.get(CUM), op.get(MISS), op.f64x2Add, op.set(LEFT),
  // Lane 0: missing left (cumulative + missing bin); lane 1: missing right.
  op.get(LEFT), op.get(CUM), op.i8x16Shuffle(LOW), op.get(VUG), op.f64x2Mul, op.set(GL),
  op.get(LEFT), op.get(CUM), op.i8x16Shuffle(HIGH), op.get(VUH), op.f64x2Mul, op.set(HL),
  op.get(VG), op.get(GL), op.f64x2Sub, op.set(GR),
  op.get(VH), op.get(HL), op.f64x2Sub, op.set(HR),
  // Not (hL < mcw or hR < mcw or hL ≤ 0 or hR ≤ 0), as the JS loop's `continue`.
  op.get(HL), op.get(VMCW), op.f64x2Lt, op.get(HR), op.get(VMCW), op.f64x2Lt, op.v128Or,
  op.get(HL), op.get(ZERO), op.f64x2Le, op.get(HR), op.get(ZERO), op.f64x2Le, op.v128Or, op.v128Or, op.v128Not, op.set(VALID),
  ...score(GL, HL), ...score(GR, HR), op.f64x2Add, op.get(VPARENT), op.f64x2Sub, op.set(GAIN),
  op.get(VALID), op.get(GAIN), op.get(BEST), op.f64x2Splat, op.f64x2Gt, op.v128And, op.v128AnyTrue,
  op.if, ...takeLane(0), ...takeLane(1), op.end,
];

export const SEARCH_SLOT: WasmFunction = {
  name: 'searchSlot',
  params: [I32, I32, I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, I32],
  results: [],
  locals: [I32, I32, I32, I32, I32, F64, ...Array<number>(18).fill(V128)],
  body: [
    op.get(OUT), op.f64Load(0), op.set(BEST),
    ...[[G, VG], [H, VH], [PARENT, VPARENT], [UG, VUG], [UH, VUH], [LAMBDA, VLAMBDA], [MCW, VMCW]].flatMap(([from, to]) => [op.get(from!), op.f64x2Splat, op.set(to!)]),
    op.f64Const(0), op.f64x2Splat, op.set(ZERO),
    op.i32(0), op.set(J),
    op.block, op.loop,
    op.get(J), op.get(F), op.i32GeU, op.brIf(1),
    ...i32At(FEATURES, J), op.set(FEATURE),
    op.get(HIST), ...i32At(OFFSETS, FEATURE), op.i32(4), op.i32Shl, op.i32Add, op.set(BASE),
    ...i32At(BIN_COUNTS, FEATURE), op.i32(1), op.i32Sub, op.set(MISSING),
    op.get(BASE), op.get(MISSING), op.i32(4), op.i32Shl, op.i32Add, op.v128Load(), op.set(MISS),
    op.get(ZERO), op.set(CUM),
    op.i32(0), op.set(B),
    op.block, op.loop,
    op.get(B), op.get(MISSING), op.i32GeU, op.brIf(1),
    op.get(BASE), op.get(B), op.i32(4), op.i32Shl, op.i32Add, op.v128Load(), op.set(V),
    // An empty bin after the first repeats the boundary before it (see bestSplit).
    op.get(V), op.get(ZERO), op.f64x2Ne, op.v128AnyTrue, op.get(B), op.i32Eqz, op.i32Or,
    op.if, ...boundary, op.end,
    op.get(B), op.i32(1), op.i32Add, op.set(B),
    op.br(0), op.end, op.end,
    op.get(J), op.i32(1), op.i32Add, op.set(J),
    op.br(0), op.end, op.end,
    op.get(OUT), op.get(BEST), op.f64Store(0),
  ],
};

export interface SearchKernel {
  searchSlot(hist: number, offsets: number, binCounts: number, features: number, F: number, G: number, H: number, parent: number, ug: number, uh: number, lambda: number, mcw: number, out: number): void;
}

/** Where the kernel's arrays live: offsets (F + 1), bin counts (F) and a feature list (F), as i32, then 4 f64 of result. */
export function searchBytes(features: number): number {
  return Math.ceil((4 * (3 * features + 1)) / 16) * 16 + 32;
}

/**
 * `searchSlots` (grow-tree.ts) with the kernel: the same quadruples in `best`. `histAt` is the byte
 * address of `hist` in the memory, `at` that of the kernel's arrays (searchBytes), whose offsets
 * and bin counts `prepareSearch` wrote.
 */
export function wasmSearchSlots(
  k: SearchKernel,
  memory: WebAssembly.Memory,
  at: number,
  hist: Float64Array,
  histAt: number,
  count: number,
  layout: HistogramLayout,
  features: Int32Array,
  search: SplitSearch,
  best: Float64Array,
): void {
  const F = layout.offsets.length - 1;
  const featuresAt = at + 4 * (2 * F + 1);
  const outAt = Math.ceil((4 * (3 * F + 1)) / 16) * 16 + at;
  new Int32Array(memory.buffer, featuresAt, features.length).set(features);
  const out = new Float64Array(memory.buffer, outAt, 4);
  const { units, params, binCounts } = search;
  for (let slot = 0; slot < count; slot++) {
    best.fill(0, 4 * slot, 4 * slot + 4);
    best[4 * slot] = -1;
    if (features.length === 0) continue;
    const total = slotTotal(hist, slot, layout, features[0]!, binCounts);
    const G = total.g * units.g;
    const H = total.h * units.h;
    // Both children need a hessian sum of min_child_weight: a node below twice that has no valid
    // split, which the search would find the long way (common in late rounds, as nodes of
    // confidently classified rows). The margin keeps rounding at the edge with the search.
    if (H * (1 + 2 ** -40) < 2 * params.minChildWeight) continue;
    const parent = (G * G) / (H + params.lambda);
    out[0] = Math.max(params.gamma, MIN_GAIN);
    out[1] = -1;
    k.searchSlot(histAt + slot * layout.slotSize * 8, at, at + 4 * (F + 1), featuresAt, features.length, G, H, parent, units.g, units.h, params.lambda, params.minChildWeight, outAt);
    if (out[1]! < 0) continue;
    best.set(out, 4 * slot);
  }
}

/** Writes the layout's offsets and the bin counts where the kernel reads them. */
export function prepareSearch(memory: WebAssembly.Memory, at: number, layout: HistogramLayout, binCounts: Int32Array): void {
  const F = layout.offsets.length - 1;
  new Int32Array(memory.buffer, at, F + 1).set(layout.offsets);
  new Int32Array(memory.buffer, at + 4 * (F + 1), F).set(binCounts);
}
