import type { FeatureMatrix } from '../core/models/binning/types.ts';
import type { SharedRows } from '../core/models/gbdt/boost-rows.ts';
import { cpuGrower, type GrowerFactory, type TreeGrower } from '../core/models/gbdt/grower.ts';
import type { Quantised } from '../core/models/gbdt/quantise.ts';
import type { GbdtParams, Tree } from '../core/models/gbdt/types.ts';
import type { LogisticPartnerFactory } from '../core/models/logistic/partner.ts';
import { helperReady } from './helper-ready.ts';
import { roundPoolPartners } from './round-pool-partner.ts';
import type { RoundHelperMessage, RoundHelperReply } from './round-pool-protocol.ts';

/** A helper thread as the pool sees it, whatever the platform (round-pool.node.ts, round-pool.browser.ts). */
export interface RoundHelperThread {
  /** `transfer`: buffers that move rather than copy. */
  postMessage(message: RoundHelperMessage, transfer?: ArrayBuffer[]): void;
  onMessage(listener: (reply: RoundHelperReply) => void): void;
  onError(listener: (error: Error) => void): void;
  terminate(): Promise<void>;
  /** Node: whether the thread keeps the process alive (only while it grows a tree). */
  hold?(on: boolean): void;
}

export type SpawnRoundHelper = (index: number) => RoundHelperThread;

/** A GrowerFactory whose helper threads outlive one training (started on first use, or by `start`). */
export interface RoundGrowerFactory extends GrowerFactory {
  readonly threads: number;
  /** A logistic fit's partner on the first helper (see LogisticPartner), for parts of at least `logisticPartMin` (LOGISTIC_PART_MIN). */
  readonly logisticPartner: LogisticPartnerFactory;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Softmax boosting on several threads: a round's trees (one per class, all from the round's
 * gradients) grow at once, whole, one per thread, each with the one-thread grower (WebAssembly
 * loops) on its own copy of the matrix; the caller grows its share after the helpers' trees are
 * sent (RoundGrower.shareOut). Every tree is the one-thread grower's, so the model is the same bit
 * for bit. Binary boosting has one tree a round: it runs on the caller alone.
 */
export function roundGrowerFactory(threads: number, spawn: SpawnRoundHelper, options: { sharedRowsMin?: number; logisticPartMin?: number } = {}): RoundGrowerFactory {
  let helpers: Promise<Helper[]> | undefined;
  const start = (): Promise<Helper[]> => (helpers ??= Promise.all(Array.from({ length: threads - 1 }, (_, index) => Helper.spawn(spawn, index))));
  const factory: GrowerFactory = async (matrix, params) => {
    const local = await cpuGrower(matrix, params);
    if (threads === 1) return local;
    let started: Helper[];
    try {
      started = await start();
    } catch {
      // Helpers that would not start (a worker script the page may not load, no memory): this
      // training runs on one thread, the same model; a later one tries again.
      helpers = undefined;
      return local;
    }
    return new RoundGrower(local, started, matrix, params, options.sharedRowsMin ?? SHARED_ROWS_MIN);
  };
  const firstHelper = async (): Promise<Helper | undefined> => {
    try {
      return (await start())[0];
    } catch {
      helpers = undefined;
      return undefined;
    }
  };
  const logisticPartner = roundPoolPartners(threads, firstHelper, options.logisticPartMin);
  return Object.assign(factory, {
    threads,
    logisticPartner,
    start: async () => void (await start().catch(() => (helpers = undefined))),
    close: async () => {
      const running = helpers;
      helpers = undefined;
      await Promise.all((await running?.catch(() => []))?.map((h) => h.terminate()) ?? []);
    },
  });
}

/** The fewest rows × outputs whose evaluation is shared with a helper (see shareRows). */
export const SHARED_ROWS_MIN = 200_000;

/** A tree asked for, waiting for its round's requests to be shared out. */
interface Request {
  args: [Quantised, Uint8Array, Int32Array, Int32Array];
  resolve: (tree: Tree | PromiseLike<Tree>) => void;
  reject: (error: unknown) => void;
}

class RoundGrower implements TreeGrower {
  readonly concurrency: number;
  /** Whether trees went to the helpers (and the matrix with the first): a binary training never sends one. */
  private shared = false;
  /** Whether the first helper holds the boosting rows (shareRows). */
  private rowsShared = false;
  private pending: Request[] = [];
  /** The round announced by beginRound, and how many of its trees have been asked for. */
  private round: { trees: number; asked: number } | undefined;
  /** Trees of an announced round the caller grows itself (see balance). */
  private own: number | undefined;
  /**
   * The last announced round's timings (performance.timeOrigin + now(), ms): when the caller's
   * part was done (its own trees, or the last tree sent), when the helpers' last tree was, and
   * how many of the helpers' trees came back.
   */
  private timing = { localDone: 0, helperDone: 0, helperTrees: 0 };
  /** What each of the last announced round's trees cost (ms) where it grew, by its place in the round. */
  private readonly costs: number[] = [];

  constructor(
    private readonly local: TreeGrower,
    private readonly helpers: Helper[],
    private readonly matrix: FeatureMatrix,
    private readonly params: GbdtParams,
    private readonly sharedRowsMin: number,
  ) {
    this.concurrency = helpers.length + 1;
  }

  /** `cpu ×N` once trees have grown on the helpers, else `cpu`. */
  get device(): string {
    return this.shared ? `cpu ×${this.concurrency}` : 'cpu';
  }

  beginRound(trees: number): void {
    this.balance(trees);
    this.round = { trees, asked: 0 };
  }

  /**
   * Moves a tree between the caller and the helpers when the last round's finishing times say
   * that one side waited on the other for longer than that tree took: the caller also runs the
   * round's row loops (gradients, probabilities, loss), which cost as much as several trees on a
   * large set (KDD99: about three of its five trees' time) and little on a small one. Who grows a
   * tree changes no tree.
   */
  private balance(trees: number): void {
    const t = this.timing;
    this.own ??= this.ownShare(trees);
    if (trees > 1 && t.helperTrees > 0) {
      // The tree that would move, at what it cost last round: moving a tree of cost c turns a wait
      // of `gap` into one of |gap − 2c|, shorter only when c < gap (trees of one class cost about
      // the same from round to round; a round's classes differ a lot: KDD99's u2r and dos).
      const gap = t.localDone - t.helperDone;
      if (gap > 0 && this.own > 0 && (this.costs[trees - this.own] ?? Infinity) < gap) this.own--;
      else if (gap < 0 && this.own < trees - 1 && (this.costs[trees - this.own - 1] ?? Infinity) < -gap) this.own++;
    }
    this.timing = { localDone: 0, helperDone: 0, helperTrees: 0 };
  }

  grow(q: Quantised, active: Uint8Array, features: Int32Array, nodeOfRow: Int32Array): Promise<Tree> {
    const round = this.round;
    if (round && round.asked < round.trees) {
      // The round's size is known: the helpers' trees leave as soon as they are asked for (the
      // first ones), while the caller computes the gradients of the next; the caller grows the
      // last ones itself, there and then.
      const j = round.asked++;
      if (j < this.sentOf(round)) {
        this.shareMatrix();
        return this.timed(this.helpers[j % this.helpers.length]!.grow(q, active, features, nodeOfRow), j);
      }
      try {
        const start = performance.now();
        const tree = this.local.grow(q, active, features, nodeOfRow);
        const done = performance.now();
        this.costs[j] = done - start;
        this.timing.localDone = performance.timeOrigin + done;
        return Promise.resolve(tree);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    // Otherwise a round asks for its trees in one synchronous run; they are shared out when it ends.
    if (this.pending.length === 0) queueMicrotask(() => this.shareOut());
    return new Promise((resolve, reject) => this.pending.push({ args: [q, active, features, nodeOfRow], resolve, reject }));
  }

  /** The trees of a round the caller grows: ⌊trees / threads⌋, or the one tree of a one-tree round. */
  private ownShare(trees: number): number {
    return trees === 1 ? 1 : Math.floor(trees / this.concurrency);
  }

  /** The helpers get the matrix with the first tree they grow (never, in a binary training). */
  private shareMatrix(): void {
    if (this.shared) return;
    const { rows, features, bins, binCounts } = this.matrix;
    for (const h of this.helpers) h.send({ type: 'matrix', rows, features, bins, binCounts, params: this.params });
    this.shared = true;
  }

  /**
   * An announced round's tree that goes to a helper (as in `grow`), from the shared rows: the
   * helper computes its gradients itself. Undefined for the caller's own trees, or without shared rows.
   */
  growFromRows(c: number, j: number, features: Int32Array): Promise<Tree> | undefined {
    const round = this.round;
    if (!this.rowsShared || !round || round.asked >= this.sentOf(round)) return undefined;
    const k = round.asked++;
    const helper = this.helpers[k % this.helpers.length]!;
    this.shareMatrix();
    return this.timed(helper.growFromRows(c, j, features), k);
  }

  /** Trees of an announced round that go to the helpers (the first ones): none of a one-tree round. */
  private sentOf(round: { trees: number }): number {
    return round.trees === 1 ? 0 : round.trees - (this.own ?? this.ownShare(round.trees));
  }

  /** A helper's tree (the round's `j`th), its finishing time and cost kept for `balance`; the caller's part of the round is done when it is sent. */
  private timed(grown: Promise<{ tree: Tree; doneAt: number; busy: number }>, j: number): Promise<Tree> {
    this.timing.localDone = performance.timeOrigin + performance.now();
    return grown.then(({ tree, doneAt, busy }) => {
      const t = this.timing;
      [t.helperDone, t.helperTrees] = [Math.max(t.helperDone, doneAt), t.helperTrees + 1];
      this.costs[j] = busy;
      return tree;
    });
  }

  /**
   * The helpers get the boosting rows (shared memory), for their trees' gradients (growFromRows);
   * the first evaluates the rows from `from` on between rounds, when it has no tree to grow.
   */
  shareRows(rows: SharedRows): ((from: number, to: number) => Promise<number>) | undefined {
    const helper = this.helpers[0];
    // Below sharedRowsMin row-outputs (SHARED_ROWS_MIN) a round's evaluation takes less than the messages.
    if (!helper || rows.rows * (rows.classes === 2 ? 1 : rows.classes) < this.sharedRowsMin) return undefined;
    for (const h of this.helpers) h.send({ type: 'rows', rows });
    this.rowsShared = true;
    return (from, to) => helper.evaluate(from, to);
  }

  dispose(): void {
    this.local.dispose();
    if (this.shared || this.rowsShared) for (const h of this.helpers) h.send({ type: 'drop' });
  }

  /**
   * The helpers take the first trees of the round, in turn, and the caller the last
   * ⌊trees / threads⌋ (all of a one-tree round, which then needs no copies): the caller also runs
   * the round's per-row loops, so it grows fewer.
   */
  private shareOut(): void {
    const requests = this.pending;
    this.pending = [];
    const sent = requests.length - this.ownShare(requests.length);
    if (sent > 0) this.shareMatrix();
    requests.slice(0, sent).forEach((r, j) =>
      this.helpers[j % this.helpers.length]!.grow(...r.args).then(({ tree }) => r.resolve(tree), r.reject),
    );
    for (const r of requests.slice(sent)) {
      try {
        r.resolve(this.local.grow(...r.args));
      } catch (error) {
        r.reject(error);
      }
    }
  }
}

type GrownTree = Extract<RoundHelperReply, { type: 'tree' }>;

/** One helper thread: its trees are answered in the order asked. */
class Helper {
  private readonly waiting: { resolve: (reply: GrownTree) => void; reject: (error: Error) => void }[] = [];
  private readonly evaluations: { resolve: (loss: number) => void; reject: (error: Error) => void }[] = [];
  private failure: Error | undefined;

  private constructor(private readonly thread: RoundHelperThread) {
    thread.onMessage((reply) => {
      if (reply.type === 'error') return this.fail(new Error(`boosting helper: ${reply.message}`));
      if (reply.type === 'tree') this.waiting.shift()?.resolve(reply);
      if (reply.type === 'evaluated') this.evaluations.shift()?.resolve(reply.loss);
      if (this.waiting.length === 0 && this.evaluations.length === 0) thread.hold?.(false);
    });
    thread.onError((error) => this.fail(error));
  }

  static async spawn(spawn: SpawnRoundHelper, index: number): Promise<Helper> {
    const thread = spawn(index);
    // Ready (its listeners set, which may hold it): from now on it holds the process open only
    // while it grows a tree.
    await helperReady(thread, 'boosting helper');
    return new Helper(thread);
  }

  /** Whether the thread failed (an error, or it ended). */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  send(message: RoundHelperMessage): void {
    this.thread.postMessage(message);
  }

  /** A message with buffers that move (see RoundHelperThread). */
  post(message: RoundHelperMessage, transfer: ArrayBuffer[]): void {
    this.thread.postMessage(message, transfer);
  }

  /** A tree grown there, and when it was done and how long it took (see RoundHelperReply). */
  async grow(q: Quantised, active: Uint8Array, features: Int32Array, nodeOfRow: Int32Array): Promise<{ tree: Tree; doneAt: number; busy: number }> {
    if (this.failure) throw this.failure;
    this.thread.hold?.(true);
    const reply = new Promise<GrownTree>((resolve, reject) => this.waiting.push({ resolve, reject }));
    // Copies of just these rows, moved: the arrays may be views of a larger memory (the boosting
    // row loops' WebAssembly memory), which a message would copy whole.
    const [g, h, on] = [q.g.slice(), q.h.slice(), active.slice()];
    this.thread.postMessage({ type: 'tree', q: { ...q, g, h }, active: on, features }, [g.buffer, h.buffer, on.buffer]);
    const { tree, nodeOfRow: leaves, doneAt, busy } = await reply;
    nodeOfRow.set(leaves);
    return { tree, doneAt, busy };
  }

  /** Class c's tree grown there from set j of the shared rows (gradients, fixed point and leaves in the shared memory). */
  async growFromRows(c: number, j: number, features: Int32Array): Promise<{ tree: Tree; doneAt: number; busy: number }> {
    if (this.failure) throw this.failure;
    this.thread.hold?.(true);
    const reply = new Promise<GrownTree>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.send({ type: 'treeFromRows', c, j, features });
    const { tree, doneAt, busy } = await reply;
    return { tree, doneAt, busy };
  }

  /** Rows [from, to) of the shared boosting rows evaluated there (`evaluateRows`): their loss sum. */
  evaluate(from: number, to: number): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    this.thread.hold?.(true);
    const loss = new Promise<number>((resolve, reject) => this.evaluations.push({ resolve, reject }));
    this.send({ type: 'evaluate', from, to });
    return loss;
  }

  async terminate(): Promise<void> {
    await this.thread.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
    for (const e of this.evaluations.splice(0)) e.reject(this.failure);
  }
}
