import { partitionRows, searchSlots, serialLevelWork, type LevelWork, type RowLists, type SplitSearch } from '../core/models/gbdt/level-work.ts';
import { buildLevelHistograms, buildRootHistogram, type BinnedColumns, type HistogramLayout } from '../core/models/gbdt/histogram.ts';
import type { HistogramKernels } from '../core/models/gbdt/histogram-kernels.ts';
import { spareFor, wasmLevel, wasmRoot, type WasmPlacement } from '../core/models/gbdt/histogram-wasm.ts';
import { OP } from './histogram-pool-protocol.ts';
import type { HistogramPool } from './histogram-pool.ts';

/**
 * Work small enough for the calling thread alone, where a job's round trip (tens of microseconds)
 * would cost more than it saves: partitions of fewer rows, histograms of fewer row × feature cells.
 */
const PARALLEL_PARTITION_ROWS = 65536;
const PARALLEL_HISTOGRAM_CELLS = 65536;

/**
 * A tree's row loops spread over the pool. Histograms are split by feature: each thread owns the
 * cells of its features (no atomics on them), subtracts siblings for them and searches them for
 * each node's best split, and the threads' bests are merged here in feature order. Partitions are
 * split by rows: each thread takes a run of the level's rows, and pieces of a segment are put back
 * together here. Every array a job names lies in the pool's shared memory; `owned` collects the
 * ids of what this object allocates.
 */
/**
 * The WebAssembly loops over a shared WebAssembly memory registered with the pool (`memoryId`),
 * where the matrix and every array a tree's row loops touch lie; `serial` is the same loops on
 * the calling thread alone (small jobs, partitions).
 */
export interface PooledWasm {
  memoryId: number;
  at: WasmPlacement;
  kernels: HistogramKernels;
  serial: LevelWork;
}

export class PooledLevelWork implements LevelWork {
  private readonly bounds: Int32Array;
  private readonly goesLeft = new Uint8Array(256);
  private readonly serial: LevelWork;
  private features: Int32Array;
  private segments: Int32Array;
  private splits: Int32Array;
  private pieces: Int32Array;
  private readonly binCounts: Int32Array;
  /** gUnit, hUnit, lambda, minChildWeight, gamma of the current search. */
  private readonly searchParams: Float64Array;
  /** Per thread, `slots` quadruples as `searchSlots` writes them. */
  private candidates: Float64Array;

  constructor(
    private readonly pool: HistogramPool,
    private readonly matrix: BinnedColumns,
    private readonly layout: HistogramLayout,
    binCounts: Int32Array,
    private readonly owned: number[],
    private readonly wasm?: PooledWasm,
  ) {
    this.bounds = new Int32Array(pool.threads + 1);
    this.serial = wasm?.serial ?? serialLevelWork(matrix, layout);
    this.features = this.grow('i32', undefined, 0);
    this.segments = this.grow('i32', undefined, 4 * 32);
    this.splits = this.grow('i32', undefined, 6 * 32);
    this.pieces = this.grow('i32', undefined, 4 * 32);
    this.binCounts = this.grow('i32', undefined, binCounts.length);
    this.binCounts.set(binCounts);
    this.searchParams = this.grow('f64', undefined, 5);
    this.candidates = this.grow('f64', undefined, pool.threads * 4 * 64);
  }

  buildRoot(features: Int32Array, gh: Float64Array, hist: Float64Array, search: SplitSearch | undefined, best: Float64Array): void {
    const { matrix, layout, pool, wasm } = this;
    const shared = this.shareFeatures(features);
    if (wasm) {
      const chunks = chunkCount(shared);
      // PARENT_AT (no parent at the root): the spare copy's buffer.
      const fields = { ...this.common(), ...this.searchFields(search, 1, chunks), ...this.wasmFields(gh, hist, shared, chunks), PARENT_AT: spareFor(wasm.at, hist.byteOffset) };
      pool.run(OP.WASM_ROOT, fields, this.bounds, () =>
        this.eachChunk(shared, chunks, (part, chunk) => {
          wasmRoot(wasm.kernels, wasm.at.bins, matrix.rows, layout.offsets, part, gh.byteOffset, hist.byteOffset, spareFor(wasm.at, hist.byteOffset));
          if (search) searchSlots(hist, 1, layout, part, search, this.candidates.subarray(4 * chunk));
        }),
      );
      if (search) this.mergeCandidates(1, best, chunks);
      return;
    }
    const fields = { ...this.common(), ...this.searchFields(search, 1), GH: pool.idOf(gh), HIST: pool.idOf(hist) };
    pool.run(OP.ROOT, fields, this.bounds, (from, to) => {
      buildRootHistogram(matrix, layout, shared.subarray(from, to), gh, hist);
      if (search) searchSlots(hist, 1, layout, shared.subarray(from, to), search, this.candidates);
    });
    if (search) this.mergeCandidates(1, best);
  }

  buildLevel(
    features: Int32Array,
    rows: Int32Array,
    gh: Float64Array,
    segments: Int32Array,
    count: number,
    hist: Float64Array,
    parent: Float64Array,
    search: SplitSearch | undefined,
    best: Float64Array,
  ): void {
    let cells = 0;
    for (let s = 0; s < count; s++) cells += (segments[4 * s + 2]! - segments[4 * s + 1]!) * features.length;
    if (cells < PARALLEL_HISTOGRAM_CELLS) return this.serial.buildLevel(features, rows, gh, segments, count, hist, parent, search, best);
    const { matrix, layout, pool, wasm } = this;
    const shared = this.shareFeatures(features);
    const segs = (this.segments = this.grow('i32', this.segments, 4 * count));
    segs.set(segments.subarray(0, 4 * count));
    if (wasm) {
      const chunks = chunkCount(shared);
      const slots = 2 * count;
      const fields = { ...this.common(), ...this.searchFields(search, slots, chunks), ...this.wasmFields(gh, hist, shared, chunks), PARENT_AT: parent.byteOffset, ROWS_AT: rows.byteOffset };
      pool.run(OP.WASM_LEVEL, { ...fields, SEGMENTS: pool.idOf(segs), SEGMENT_COUNT: count }, this.bounds, () =>
        this.eachChunk(shared, chunks, (part, chunk) => {
          wasmLevel(wasm.kernels, wasm.at.bins, matrix.rows, layout, part, rows.byteOffset, gh.byteOffset, segs, count, hist, hist.byteOffset, parent.byteOffset);
          if (search) searchSlots(hist, slots, layout, part, search, this.candidates.subarray(4 * slots * chunk));
        }),
      );
      if (search) this.mergeCandidates(slots, best, chunks);
      return;
    }
    const fields = { ...this.common(), ...this.searchFields(search, 2 * count), ROW_LIST: pool.idOf(rows), GH: pool.idOf(gh), HIST: pool.idOf(hist) };
    pool.run(OP.LEVEL, { ...fields, PARENT: pool.idOf(parent), SEGMENTS: pool.idOf(segs), SEGMENT_COUNT: count }, this.bounds, (from, to) => {
      buildLevelHistograms(matrix, layout, shared.subarray(from, to), rows, gh, segs, count, hist, parent);
      if (search) searchSlots(hist, 2 * count, layout, shared.subarray(from, to), search, this.candidates);
    });
    if (search) this.mergeCandidates(2 * count, best);
  }

  /**
   * The shared WebAssembly memory and where a job's arrays lie in it (each must: the kernels address
   * nothing else), and its features' chunks, handed out from 0.
   */
  private wasmFields(gh: Float64Array, hist: Float64Array, features: Int32Array, chunks: number) {
    const { memoryId, at } = this.wasm!;
    if (this.pool.idOf(gh) !== memoryId || this.pool.idOf(hist) !== memoryId) throw new Error('histogram pool: an array outside the shared WebAssembly memory');
    return { MEMORY: memoryId, BINS_AT: at.bins, GH_AT: gh.byteOffset, HIST_AT: hist.byteOffset, ITEMS: chunks, NEXT_ITEM: 0, FEATURE_COUNT: features.length };
  }

  /**
   * This thread's part of a chunked job: chunks of four features, claimed one at a time until none
   * is left. A thread whose chunks cost more (more bins to search and subtract) simply takes fewer.
   */
  private eachChunk(features: Int32Array, chunks: number, work: (part: Int32Array, chunk: number) => void): void {
    for (let chunk = this.pool.claim(); chunk < chunks; chunk = this.pool.claim()) work(features.subarray(4 * chunk, 4 * chunk + 4), chunk);
  }

  /** Shares a search's parameters; run r (a thread's, or a chunk's) writes its candidates for `slots` slots at r · 4 · slots. */
  private searchFields(search: SplitSearch | undefined, slots: number, runs = this.pool.threads) {
    if (!search) return { SEARCH_SLOTS: 0 };
    this.searchParams.set([search.units.g, search.units.h, search.params.lambda, search.params.minChildWeight, search.params.gamma]);
    this.candidates = this.grow('f64', this.candidates, runs * 4 * slots);
    return { SEARCH_SLOTS: slots, SEARCH_PARAMS: this.pool.idOf(this.searchParams), BIN_COUNTS: this.pool.idOf(this.binCounts), CANDIDATES: this.pool.idOf(this.candidates) };
  }

  /** Each slot's best over the threads' runs of features, in order: a later run wins only with a strictly greater gain. */
  private mergeCandidates(slots: number, best: Float64Array, runs = this.pool.threads): void {
    const c = this.candidates;
    for (let slot = 0; slot < slots; slot++) {
      let from = 4 * slot;
      for (let t = 1; t < runs; t++) {
        const at = 4 * (t * slots + slot);
        if (c[at]! > c[from]!) from = at;
      }
      best.set(c.subarray(from, from + 4), 4 * slot);
    }
  }

  /**
   * The level's rows (its segments one after another) are cut into one run per thread; a segment
   * cut between threads becomes pieces, each split in place ([left][right] with the right rows in
   * the spare list), then joined here: the pieces' left rows moved together, the right rows after.
   */
  partition(lists: RowLists, splits: Int32Array, count: number, mids: Int32Array): void {
    let total = 0;
    for (let j = 0; j < count; j++) total += splits[6 * j + 1]! - splits[6 * j]!;
    // The WebAssembly memory's row lists are not arrays a partition job can name: those partitions stay here.
    if (total < PARALLEL_PARTITION_ROWS || this.wasm) return this.serial.partition(lists, splits, count, mids);
    const { pool, matrix, goesLeft } = this;
    const T = pool.threads;
    const shared = (this.splits = this.grow('i32', this.splits, 6 * count));
    shared.set(splits.subarray(0, 6 * count));
    const pieces = (this.pieces = this.grow('i32', this.pieces, 4 * (count + T)));
    const cut = (t: number) => Math.round((t * total) / T);
    let piece = 0;
    let thread = 1;
    let before = 0;
    for (let j = 0; j < count; j++) {
      const start = splits[6 * j]!;
      const end = splits[6 * j + 1]!;
      for (let s = start; s < end; ) {
        while (thread < T && cut(thread) <= before + s - start) this.bounds[thread++] = piece;
        const e = thread < T ? Math.min(end, start + cut(thread) - before) : end;
        pieces.set([s, e, j, 0], 4 * piece++);
        s = e;
      }
      before += end - start;
    }
    while (thread <= T) this.bounds[thread++] = piece;
    const fields = {
      ROWS: matrix.rows,
      BINS: pool.idOf(matrix.bins),
      ROW_LIST: pool.idOf(lists.rows),
      SPARE_ROWS: pool.idOf(lists.spareRows),
      SPLITS: pool.idOf(shared),
      PIECES: pool.idOf(pieces),
    };
    pool.run(OP.PARTITION, fields, this.bounds, (from, to) => {
      for (let p = from; p < to; p++) pieces[4 * p + 3] = partitionRows(matrix, lists, shared, pieces[4 * p + 2]!, pieces[4 * p]!, pieces[4 * p + 1]!, goesLeft);
    });
    join(lists, shared, count, pieces, piece, mids);
  }

  private common() {
    const { pool } = this;
    return { ROWS: this.matrix.rows, SLOT_SIZE: this.layout.slotSize, BINS: pool.idOf(this.matrix.bins), OFFSETS: pool.idOf(this.layout.offsets), FEATURES: pool.idOf(this.features) };
  }

  /**
   * Copies a tree's feature list into shared memory and splits it into one contiguous run per
   * thread. Every feature of a build costs the same pass over the same rows (bins only change how
   * much of the histogram a pass touches), so the runs are of equal length, in multiples of four
   * where possible (the loops take four features per pass).
   */
  private shareFeatures(features: Int32Array): Int32Array {
    const F = features.length;
    this.features = this.grow('i32', this.features, F);
    this.features.set(features);
    const T = this.pool.threads;
    const quads = Math.floor(F / 4);
    for (let t = 0; t < T; t++) this.bounds[t] = quads >= T ? 4 * Math.round((quads * t) / T) : Math.round((F * t) / T);
    this.bounds[T] = F;
    return this.features.subarray(0, F);
  }

  /** A shared array of at least `length`: `array` when it is long enough, else a new one. */
  private grow(kind: 'i32', array: Int32Array | undefined, length: number): Int32Array;
  private grow(kind: 'f64', array: Float64Array | undefined, length: number): Float64Array;
  private grow(kind: 'i32' | 'f64', array: Int32Array | Float64Array | undefined, length: number): Int32Array | Float64Array {
    if (array && array.length >= length) return array;
    if (array) this.pool.release([this.pool.idOf(array)]);
    const fresh = this.pool.share(kind, Math.max(length, 2 * (array?.length ?? 0)));
    this.owned.push(this.pool.idOf(fresh));
    return fresh;
  }
}

/** Chunks of four features in a list. */
function chunkCount(features: Int32Array): number {
  return Math.ceil(features.length / 4);
}

/** Joins partitioned pieces, in order, into each split's [left rows][right rows]; mids[j] = where the right rows start. */
function join(lists: RowLists, splits: Int32Array, count: number, pieces: Int32Array, pieceCount: number, mids: Int32Array): void {
  const { rows, spareRows } = lists;
  let p = 0;
  for (let j = 0; j < count; j++) {
    const first = p;
    let at = splits[6 * j]!;
    for (; p < pieceCount && pieces[4 * p + 2] === j; p++) {
      const start = pieces[4 * p]!;
      const left = pieces[4 * p + 3]!;
      if (start !== at) rows.copyWithin(at, start, start + left);
      at += left;
    }
    mids[j] = at;
    for (let q = first; q < p; q++) {
      const start = pieces[4 * q]!;
      const right = pieces[4 * q + 1]! - start - pieces[4 * q + 3]!;
      rows.set(spareRows.subarray(start, start + right), at);
      at += right;
    }
  }
}
