import { partitionRows, searchSlots } from '../core/models/gbdt/level-work.ts';
import { buildLevelHistograms, buildRootHistogram, type HistogramLayout } from '../core/models/gbdt/histogram.ts';
import { histogramKernels, type HistogramKernels } from '../core/models/gbdt/histogram-kernels.ts';
import { wasmLevel, wasmRoot } from '../core/models/gbdt/histogram-wasm.ts';
import { CONTROL, OP, parsePoolMessage, HELPER_SPIN_MS, writeError, type BufferKind, type HelperReply } from './histogram-pool-protocol.ts';

type View = Uint8Array | Int32Array | Float64Array;

/**
 * A helper thread of the histogram pool, whatever the platform: give it every message the thread
 * receives; it answers through `reply`. Between messages it sits in a loop waiting on the control
 * block for jobs (blocking its event loop), and leaves the loop only when told to receive a message.
 */
export function histogramHelper(reply: (message: HelperReply) => void): (data: unknown) => void {
  let control: Int32Array | undefined;
  let errors: SharedArrayBuffer | undefined;
  let index = 0;
  let seen = 0;
  const views = new Map<number, View>();
  /** Shared WebAssembly memories by id, with this thread's kernels on each (undefined: they would not start here). */
  const memories = new Map<number, { memory: WebAssembly.Memory; kernels: HistogramKernels | undefined }>();
  const goesLeft = new Uint8Array(256);
  const view = <T extends View>(slot: number): T => {
    const v = views.get(control![slot]!);
    if (!v) throw new Error(`histogram helper: no buffer ${control![slot]}`);
    return v as T;
  };

  function run(op: number): void {
    const c = control!;
    const from = c[CONTROL.BOUNDS + index]!;
    const to = c[CONTROL.BOUNDS + index + 1]!;
    // No early return for an empty share: the split search must still say "none" for its slots.
    const rows = c[CONTROL.ROWS]!;
    if (op === OP.PARTITION) {
      const matrix = { rows, bins: view<Uint8Array>(CONTROL.BINS) };
      const lists = { rows: view<Int32Array>(CONTROL.ROW_LIST), spareRows: view<Int32Array>(CONTROL.SPARE_ROWS) };
      const splits = view<Int32Array>(CONTROL.SPLITS);
      const pieces = view<Int32Array>(CONTROL.PIECES);
      for (let p = from; p < to; p++) pieces[4 * p + 3] = partitionRows(matrix, lists, splits, pieces[4 * p + 2]!, pieces[4 * p]!, pieces[4 * p + 1]!, goesLeft);
      return;
    }
    const layout = { offsets: view<Int32Array>(CONTROL.OFFSETS), slotSize: c[CONTROL.SLOT_SIZE]! };
    const features = view<Int32Array>(CONTROL.FEATURES).subarray(from, to);
    if (op === OP.WASM_ROOT || op === OP.WASM_LEVEL) {
      const wasm = memories.get(c[CONTROL.MEMORY]!);
      if (!wasm) throw new Error(`histogram helper: no memory ${c[CONTROL.MEMORY]}`);
      if (!wasm.kernels) throw new Error('histogram helper: the WebAssembly kernels would not start on the shared memory');
      const histAt = c[CONTROL.HIST_AT]!;
      const hist = new Float64Array(wasm.memory.buffer, histAt);
      const kernels = wasm.kernels;
      const all = view<Int32Array>(CONTROL.FEATURES).subarray(0, c[CONTROL.FEATURE_COUNT]!);
      const items = c[CONTROL.ITEMS]!;
      for (let chunk = Atomics.add(c, CONTROL.NEXT_ITEM, 1); chunk < items; chunk = Atomics.add(c, CONTROL.NEXT_ITEM, 1)) {
        const part = all.subarray(4 * chunk, 4 * chunk + 4);
        if (op === OP.WASM_ROOT) wasmRoot(kernels, c[CONTROL.BINS_AT]!, rows, layout.offsets, part, c[CONTROL.GH_AT]!, histAt, c[CONTROL.PARENT_AT]!);
        else {
          const segments = view<Int32Array>(CONTROL.SEGMENTS);
          wasmLevel(kernels, c[CONTROL.BINS_AT]!, rows, layout, part, c[CONTROL.ROWS_AT]!, c[CONTROL.GH_AT]!, segments, c[CONTROL.SEGMENT_COUNT]!, hist, histAt, c[CONTROL.PARENT_AT]!);
        }
        search(hist, layout, part, chunk);
      }
      return;
    }
    const matrix = { rows, bins: view<Uint8Array>(CONTROL.BINS) };
    const gh = view<Float64Array>(CONTROL.GH);
    const hist = view<Float64Array>(CONTROL.HIST);
    if (op === OP.ROOT) buildRootHistogram(matrix, layout, features, gh, hist);
    else if (op === OP.LEVEL) {
      const segments = view<Int32Array>(CONTROL.SEGMENTS);
      buildLevelHistograms(matrix, layout, features, view<Int32Array>(CONTROL.ROW_LIST), gh, segments, c[CONTROL.SEGMENT_COUNT]!, hist, view<Float64Array>(CONTROL.PARENT));
    } else throw new Error(`histogram helper: unknown job ${op}`);
    search(hist, layout, features, index);
  }

  /** The job's split search over these features, when it asks for one, into candidate run `run` (this thread's, or a chunk's). */
  function search(hist: Float64Array, layout: HistogramLayout, features: Int32Array, run: number): void {
    const c = control!;
    const slots = c[CONTROL.SEARCH_SLOTS]!;
    if (slots === 0) return;
    const p = view<Float64Array>(CONTROL.SEARCH_PARAMS);
    const params = { binCounts: view<Int32Array>(CONTROL.BIN_COUNTS), units: { g: p[0]!, h: p[1]! }, params: { lambda: p[2]!, minChildWeight: p[3]!, gamma: p[4]! } };
    searchSlots(hist, slots, layout, features, params, view<Float64Array>(CONTROL.CANDIDATES).subarray(4 * slots * run, 4 * slots * (run + 1)));
  }

  function waitForJobs(): void {
    const c = control!;
    for (;;) {
      const until = performance.now() + HELPER_SPIN_MS;
      for (let s = 1; Atomics.load(c, CONTROL.GENERATION) === seen; s++) if ((s & 1023) === 0 && performance.now() > until) break;
      Atomics.wait(c, CONTROL.GENERATION, seen);
      const generation = Atomics.load(c, CONTROL.GENERATION);
      if (generation === seen) continue;
      seen = generation;
      const op = c[CONTROL.OP]!;
      if (op !== OP.YIELD && op !== OP.EXIT) {
        try {
          run(op);
        } catch (error) {
          const text = error instanceof Error ? error.message : String(error);
          if (Atomics.compareExchange(c, CONTROL.FAILED, 0, index) === 0) writeError(errors!, `helper ${index}: ${text}`);
          reply({ type: 'error', message: text });
        }
      }
      Atomics.add(c, CONTROL.DONE, 1);
      Atomics.notify(c, CONTROL.DONE);
      if (op === OP.YIELD || op === OP.EXIT) return;
    }
  }

  return (data) => {
    const message = parsePoolMessage(data);
    if (message.type === 'init') {
      control = new Int32Array(message.control);
      errors = message.errors;
      index = message.index;
      seen = Atomics.load(control, CONTROL.GENERATION);
      reply({ type: 'ready' });
    } else {
      for (const entry of message.add) {
        if (entry.kind !== 'memory') views.set(entry.id, viewOf(entry.kind, entry.buffer));
        // The caller made its kernels on this memory, so ours fail only on a broken host: the next job says so.
        else memories.set(entry.id, { memory: entry.memory, kernels: histogramKernels(entry.memory, true) });
      }
      for (const id of message.drop) {
        views.delete(id);
        memories.delete(id);
      }
    }
    waitForJobs();
  };
}

function viewOf(kind: BufferKind, buffer: SharedArrayBuffer): View {
  if (kind === 'u8') return new Uint8Array(buffer);
  return kind === 'i32' ? new Int32Array(buffer) : new Float64Array(buffer);
}
