import type { FeatureMatrix } from '../binning/types.ts';
import type { ClassCountSource, HistogramRequests, LevelSplits } from './class-counts.ts';
import { Candidates, nodeWeight } from './gini-split.ts';
import { childKey, FeatureDraws, rootKey } from './node-features.ts';
import type { ForestTree } from './types.ts';

/** The training rows every tree of a forest grows on. */
export interface ForestData {
  matrix: FeatureMatrix;
  /** Class index of every matrix row. */
  y: Int32Array;
  classes: number;
  /** Weight of each class (a row drawn c times weighs c × its class's weight). */
  classWeight: Float64Array;
}

export interface GrowForestParams {
  maxDepth: number;
  minSamplesLeaf: number;
  /** Features drawn per node (more are drawn while none of them gives a valid split, as scikit-learn). */
  maxFeatures: number;
}

/** Per-level state of the grower, reused from level to level and tree to tree. */
export class ForestScratch {
  readonly draws: FeatureDraws;
  readonly candidates: Candidates;
  level: Level;
  next: Level;
  requests: HistogramRequests = { count: 0, node: new Int32Array(0), feature: new Int32Array(0) };
  splits: LevelSplits = emptySplits(0);
  nodeScratch = new Float64Array(0);
  best = new BestSplits(0, 0);

  constructor(readonly data: ForestData) {
    this.draws = new FeatureDraws(data.matrix.features);
    this.candidates = new Candidates(data.classes);
    this.level = new Level(data.classes);
    this.next = new Level(data.classes);
  }
}

/**
 * Grows one classification tree depth-wise from a tree's bootstrap draws (row i drawn draws[i]
 * times) and seed. Each level: every open node draws ⌊√F⌋ features from its own stream
 * (node-features.ts), the source builds all of the level's (node, feature) class-count histograms,
 * each node keeps its best Gini split, nodes with no valid split draw more; then the source moves
 * rows to the children. Node ids follow creation order (level by level, children of a node
 * consecutive). Sibling subtraction does not apply: each node draws its own features.
 */
export async function growForestTree(
  source: ClassCountSource,
  params: GrowForestParams,
  draws: Int32Array,
  treeSeed: number,
  scratch: ForestScratch,
): Promise<ForestTree> {
  const { y, classWeight: cw, matrix } = scratch.data;
  const K = scratch.data.classes;
  const K1 = K + 1;
  const tree = new TreeBuilder(K, cw);
  const canSplit = (counts: Float64Array, at: number, depth: number): boolean =>
    depth < params.maxDepth && counts[at + K]! >= 2 * params.minSamplesLeaf && nodeWeight(counts, at, cw, K).present >= 2;

  let level = scratch.level;
  let next = scratch.next;
  level.reset(1);
  const counts = level.counts;
  counts.fill(0, 0, K1);
  // Branch-free (a third of the rows are out of bag, at random): adding their 0 draws changes nothing.
  let inBag = 0;
  for (let i = 0; i < matrix.rows; i++) {
    const d = draws[i]!;
    counts[y[i]!]! += d;
    inBag += (0 - d) >>> 31;
  }
  counts[K] = inBag;
  await source.beginTree(draws, counts[K]!);
  const root = tree.add(counts, 0);
  if (canSplit(counts, 0, 0)) level.push(root, rootKey(treeSeed), counts, 0);
  else level.reset(0);

  for (let depth = 0; level.size > 0; depth++) {
    const best = await chooseSplits(source, params, level, scratch);
    const splits = reserveSplits(scratch, level.size);
    next.reset(level.size * 2);
    next.size = 0;
    const rightCounts = scratch.nodeScratch.length >= K1 ? scratch.nodeScratch : (scratch.nodeScratch = new Float64Array(K1));
    for (let j = 0; j < level.size; j++) {
      const f = best.feature[j]!;
      splits.feature[j] = f;
      splits.leftNext[j] = -1;
      splits.rightNext[j] = -1;
      if (f < 0) continue;
      const at = j * K1;
      for (let c = 0; c < K1; c++) rightCounts[c] = level.counts[at + c]! - best.left[at + c]!;
      const left = tree.add(best.left, at);
      const right = tree.add(rightCounts, 0);
      tree.split(level.id[j]!, f, best.bin[j]!, best.defaultLeft[j]!, left, best.score[j]! - nodeWeight(level.counts, at, cw, K).score);
      splits.bin[j] = best.bin[j]!;
      splits.defaultLeft[j] = best.defaultLeft[j]!;
      if (canSplit(best.left, at, depth + 1)) splits.leftNext[j] = next.push(left, childKey(level.key[j]!, false), best.left, at);
      if (canSplit(rightCounts, 0, depth + 1)) splits.rightNext[j] = next.push(right, childKey(level.key[j]!, true), rightCounts, 0);
    }
    splits.nodes = level.size;
    splits.nextNodes = next.size;
    if (splits.nextRows.length < next.size) splits.nextRows = new Int32Array(Math.max(next.size, splits.nextRows.length * 2));
    for (let j = 0; j < next.size; j++) splits.nextRows[j] = next.counts[j * K1 + K]!;
    if (next.size > 0) await source.partition(splits);
    [level, next] = [next, level];
  }
  scratch.level = level;
  scratch.next = next;
  return tree.finish();
}

/**
 * Each node's best split over its drawn features, in draw order as the CPU reference scans them: the
 * first ⌊√F⌋ features, then one more at a time while none gave a valid split (a source may build
 * a batch at once; later features of the batch are ignored, so the result is the same).
 */
async function chooseSplits(source: ClassCountSource, params: GrowForestParams, level: Level, scratch: ForestScratch): Promise<BestSplits> {
  const { draws, candidates, data } = scratch;
  const K1 = data.classes + 1;
  const F = data.matrix.features;
  const m = Math.min(params.maxFeatures, F);
  const size = level.size;
  if (scratch.best.capacity < size) scratch.best = new BestSplits(Math.max(size, scratch.best.capacity * 2), K1);
  const best = scratch.best;
  best.clear(size);
  let pending = Int32Array.from({ length: size }, (_, j) => j);
  for (let round = 0; pending.length > 0; round++) {
    const want = round === 0 ? m : Math.max(1, source.retryBatch);
    const requests = reserveRequests(scratch, pending.length * want);
    let count = 0;
    for (const j of pending) {
      draws.start(level.key[j]!);
      for (let d = 0; d < best.tried[j]!; d++) draws.next();
      best.first[j] = count;
      for (let k = 0; k < want; k++) {
        const f = draws.next();
        if (f < 0) break;
        requests.node[count] = j;
        requests.feature[count++] = f;
      }
      best.count[j] = count - best.first[j]!;
    }
    requests.count = count;
    candidates.reserve(count);
    await source.histograms(requests, (r, h) => candidates.scan(r, h, level.counts, requests.node[r]! * K1, data.classWeight, params.minSamplesLeaf));
    const still: number[] = [];
    for (const j of pending) {
      const end = best.first[j]! + best.count[j]!;
      for (let r = best.first[j]!; r < end && !(best.valid[j] === 1 && best.tried[j]! >= m); r++) {
        best.tried[j]!++;
        if (candidates.found[r] !== 1) continue;
        best.valid[j] = 1;
        if (candidates.score[r]! > best.score[j]!) best.take(j, requests.feature[r]!, candidates, r);
      }
      if (!(best.valid[j] === 1 && best.tried[j]! >= m) && best.tried[j]! < F) still.push(j);
    }
    pending = Int32Array.from(still);
  }
  return best;
}

/** The open nodes of a level: tree node id, feature-draw key, class draws and distinct rows. */
class Level {
  size = 0;
  id = new Int32Array(0);
  key = new Uint32Array(0);
  counts = new Float64Array(0);

  constructor(private readonly K: number) {}

  reset(capacity: number): void {
    this.size = 0;
    if (this.id.length >= capacity) return;
    const size = Math.max(capacity, this.id.length * 2);
    const K1 = this.K + 1;
    const [id, key, counts] = [new Int32Array(size), new Uint32Array(size), new Float64Array(size * K1)];
    id.set(this.id);
    key.set(this.key);
    counts.set(this.counts);
    [this.id, this.key, this.counts] = [id, key, counts];
  }

  push(id: number, key: number, counts: Float64Array, at: number): number {
    const j = this.size++;
    const K1 = this.K + 1;
    this.id[j] = id;
    this.key[j] = key;
    for (let c = 0; c < K1; c++) this.counts[j * K1 + c] = counts[at + c]!;
    return j;
  }
}

/** Each node's best split so far, and how many of its drawn features were scanned. */
class BestSplits {
  readonly feature: Int32Array;
  readonly bin: Int32Array;
  readonly defaultLeft: Uint8Array;
  readonly score: Float64Array;
  readonly left: Float64Array;
  readonly valid: Uint8Array;
  readonly tried: Int32Array;
  readonly first: Int32Array;
  readonly count: Int32Array;

  constructor(
    readonly capacity: number,
    private readonly K1: number,
  ) {
    this.feature = new Int32Array(capacity);
    this.bin = new Int32Array(capacity);
    this.defaultLeft = new Uint8Array(capacity);
    this.score = new Float64Array(capacity);
    this.left = new Float64Array(capacity * K1);
    this.valid = new Uint8Array(capacity);
    this.tried = new Int32Array(capacity);
    this.first = new Int32Array(capacity);
    this.count = new Int32Array(capacity);
  }

  clear(size: number): void {
    this.feature.fill(-1, 0, size);
    this.score.fill(-Infinity, 0, size);
    this.valid.fill(0, 0, size);
    this.tried.fill(0, 0, size);
  }

  take(j: number, feature: number, c: Candidates, r: number): void {
    const K1 = this.K1;
    this.feature[j] = feature;
    this.bin[j] = c.bin[r]!;
    this.defaultLeft[j] = c.defaultLeft[r]!;
    this.score[j] = c.score[r]!;
    this.left.set(c.left.subarray(r * K1, (r + 1) * K1), j * K1);
  }
}

/** A tree's nodes in creation order, as plain arrays until `finish`. */
class TreeBuilder {
  private readonly feature: number[] = [];
  private readonly splitBin: number[] = [];
  private readonly defaultLeft: number[] = [];
  private readonly left: number[] = [];
  private readonly gain: number[] = [];
  private readonly value: number[] = [];

  constructor(
    private readonly K: number,
    private readonly cw: Float64Array,
  ) {}

  /** A new leaf whose class draws are counts[at … at + K): its value is the weighted class frequencies. */
  add(counts: Float64Array, at: number): number {
    const { K, cw } = this;
    const { weight } = nodeWeight(counts, at, cw, K);
    for (let c = 0; c < K; c++) this.value.push(weight > 0 ? (cw[c]! * counts[at + c]!) / weight : 1 / K);
    this.feature.push(-1);
    this.splitBin.push(0);
    this.defaultLeft.push(0);
    this.left.push(-1);
    this.gain.push(0);
    return this.feature.length - 1;
  }

  split(node: number, feature: number, bin: number, defaultLeft: number, left: number, gain: number): void {
    this.feature[node] = feature;
    this.splitBin[node] = bin;
    this.defaultLeft[node] = defaultLeft;
    this.left[node] = left;
    this.gain[node] = gain;
  }

  finish(): ForestTree {
    return {
      feature: Int32Array.from(this.feature),
      splitBin: Int32Array.from(this.splitBin),
      defaultLeft: Uint8Array.from(this.defaultLeft),
      left: Int32Array.from(this.left),
      value: Float64Array.from(this.value),
      gain: Float64Array.from(this.gain),
    };
  }
}

function reserveRequests(scratch: ForestScratch, count: number): HistogramRequests {
  if (scratch.requests.node.length < count) {
    const size = Math.max(count, scratch.requests.node.length * 2);
    scratch.requests = { count: 0, node: new Int32Array(size), feature: new Int32Array(size) };
  }
  return scratch.requests;
}

function reserveSplits(scratch: ForestScratch, nodes: number): LevelSplits {
  if (scratch.splits.feature.length < nodes) scratch.splits = emptySplits(Math.max(nodes, scratch.splits.feature.length * 2));
  return scratch.splits;
}

function emptySplits(size: number): LevelSplits {
  return {
    nodes: 0,
    nextNodes: 0,
    feature: new Int32Array(size),
    bin: new Int32Array(size),
    defaultLeft: new Uint8Array(size),
    leftNext: new Int32Array(size),
    rightNext: new Int32Array(size),
    nextRows: new Int32Array(size),
  };
}
