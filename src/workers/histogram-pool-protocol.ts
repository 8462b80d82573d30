/**
 * The histogram pool's protocol. Jobs go through a shared Int32Array (the control block), so the
 * calling thread can hand out work and wait for it synchronously (Atomics.wait / notify) inside a
 * tree's growth; messages carry only what a helper must hold: the control block once, then the
 * shared buffers the jobs name by id.
 */
export const CONTROL = {
  /** Bumped once per job; helpers wait on it. */
  GENERATION: 0,
  OP: 1,
  /** Helpers that finished the current job; the caller waits on it. */
  DONE: 2,
  /** The index of the first helper whose share of the job threw (its message: the error buffer). */
  FAILED: 3,
  ROWS: 4,
  SLOT_SIZE: 5,
  /** Buffer ids of the job's arrays. */
  BINS: 6,
  OFFSETS: 7,
  FEATURES: 8,
  ROW_LIST: 9,
  /** Each row's g and h side by side. */
  GH: 10,
  HIST: 12,
  SEGMENTS: 13,
  SEGMENT_COUNT: 14,
  /** The previous level's histograms (a level job subtracts from them). */
  PARENT: 15,
  /** A partition job's splits (sextuples, as LevelWork.partition) and pieces (start, end, split, left count out). */
  SPLITS: 16,
  PIECES: 17,
  SPARE_ROWS: 18,
  /** Slots whose best split a histogram job searches (0: none), and the search's arrays. */
  SEARCH_SLOTS: 19,
  SEARCH_PARAMS: 20,
  BIN_COUNTS: 21,
  CANDIDATES: 22,
  /**
   * The WebAssembly jobs: the id of the shared WebAssembly memory they work in, and byte offsets in
   * it of the matrix, the rows' (g, h), the level's histograms, the previous level's and the row list.
   */
  MEMORY: 23,
  BINS_AT: 24,
  GH_AT: 25,
  HIST_AT: 26,
  PARENT_AT: 27,
  ROWS_AT: 28,
  /**
   * WebAssembly jobs hand out their features in chunks of four, first come first served: ITEMS
   * chunks of the first FEATURE_COUNT entries of the feature list, NEXT_ITEM the next unclaimed one
   * (Atomics.add). A chunk's split search writes its candidates at chunk · 4 · slots.
   */
  ITEMS: 29,
  NEXT_ITEM: 30,
  FEATURE_COUNT: 31,
  /**
   * Thread t takes items [BOUNDS + t] … [BOUNDS + t + 1] of the job (t = 0: the caller): features of
   * the job's feature list, or pieces of a partition job.
   */
  BOUNDS: 32,
} as const;

export const OP = {
  ROOT: 1,
  LEVEL: 2,
  PARTITION: 5,
  /** ROOT and LEVEL with the WebAssembly loops, every array in one shared WebAssembly memory. */
  WASM_ROOT: 6,
  WASM_LEVEL: 7,
  /** Return to the event loop to receive a message (new buffers), then wait for jobs again. */
  YIELD: 3,
  /** Stop waiting for jobs, for good. */
  EXIT: 4,
} as const;

/**
 * How long a helper polls the control block for the next job before sleeping in Atomics.wait, and
 * how long the caller polls for the helpers to finish. Waking a sleeping thread costs ~60–110 µs on
 * this 2-vCPU virtual machine (an idle vCPU halts) against ~3 µs when it polls; jobs come every
 * ~100–300 µs while a tree grows (the caller searches splits and partitions in between), so a
 * helper that polls half a millisecond sleeps about once per tree. Polling longer hurts when other
 * processes want the cores: a polling thread holds one while the thread it waits for is queued.
 */
export const HELPER_SPIN_MS = 0.5;
export const CALLER_SPIN_MS = 0.1;

export function controlLength(threads: number): number {
  return CONTROL.BOUNDS + threads + 1;
}

export const BUFFER_KINDS = ['u8', 'i32', 'f64'] as const;
export type BufferKind = (typeof BUFFER_KINDS)[number];

/** A shared buffer jobs name by id: a typed array's, or a shared WebAssembly memory (whose kernels a helper instantiates). */
export type SharedEntry = { id: number; kind: BufferKind; buffer: SharedArrayBuffer } | { id: number; kind: 'memory'; memory: WebAssembly.Memory };

export type PoolMessage =
  | { type: 'init'; control: SharedArrayBuffer; errors: SharedArrayBuffer; index: number }
  | { type: 'update'; add: SharedEntry[]; drop: number[] };

export type HelperReply = { type: 'ready' } | { type: 'error'; message: string };

// Checked by hand rather than with zod: a helper imports nothing else, and each helper thread
// starts faster without it (the pool's start is paid by every process that trains).
const isShared = (v: unknown): v is SharedArrayBuffer => typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer;
const isId = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function parsePoolMessage(data: unknown): PoolMessage {
  if (isObject(data)) {
    if (data.type === 'init' && isShared(data.control) && isShared(data.errors) && isId(data.index)) return data as PoolMessage;
    const { add, drop } = data;
    const entryOk = (e: unknown) =>
      isObject(e) && isId(e.id) && ((BUFFER_KINDS.includes(e.kind as BufferKind) && isShared(e.buffer)) || (e.kind === 'memory' && e.memory instanceof WebAssembly.Memory));
    if (data.type === 'update' && Array.isArray(add) && add.every(entryOk) && Array.isArray(drop) && drop.every(isId)) return data as PoolMessage;
  }
  throw new Error('histogram helper: not a pool message');
}

export function parseHelperReply(data: unknown): HelperReply {
  if (isObject(data) && (data.type === 'ready' || (data.type === 'error' && typeof data.message === 'string'))) return data as HelperReply;
  throw new Error('histogram pool: not a helper reply');
}

/**
 * The first failure of a job, as text in a small shared buffer (byte length first): the caller is
 * blocked while helpers fail, so it could not receive a message about it before throwing.
 */
export const ERROR_BYTES = 2048;

export function writeError(buffer: SharedArrayBuffer, text: string): void {
  const bytes = new Uint8Array(buffer, 4);
  const { written } = new TextEncoder().encodeInto(text, bytes);
  new Int32Array(buffer, 0, 1)[0] = written;
}

export function readError(buffer: SharedArrayBuffer): string {
  const length = new Int32Array(buffer, 0, 1)[0]!;
  // TextDecoder refuses views of shared memory: copy the bytes out first.
  return new TextDecoder().decode(new Uint8Array(buffer, 4, length).slice());
}
