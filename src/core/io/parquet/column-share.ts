import { uniqueNames } from '../column-names.ts';
import { ColumnAssembler, type ColumnParts } from './column-assembler.ts';
import { decodeColumns, type ColumnQueue, type DecodeFailure } from './decode-columns.ts';
import { NativeColumn } from './native-column.ts';
import { planColumns, type LeafPlan } from './native-schema.ts';
import { parseFooter, type FileMeta } from './parquet-footer.ts';

/**
 * Decodes some of a Parquet file's columns on other threads (src/workers/parquet-pool*.ts):
 * injected through LoadOptions, as gunzip is, so core starts no threads.
 */
export interface ParquetColumnHelper {
  /** Threads besides the caller's. */
  readonly helpers: number;
  /** Files with fewer rows are decoded on the caller's thread alone (a round trip would cost more). */
  readonly minRows: number;
  /**
   * Has one helper thread take columns from each queue (decodeShare) while the caller takes its
   * own; null for a queue no helper could take, whose columns the caller then decodes itself.
   */
  decode(file: Uint8Array, queues: ColumnQueue[]): Promise<(ShareResult | null)[]>;
}

/** A column decoded on a helper thread: its index in the file and its buffers. */
export interface SharedColumn {
  index: number;
  parts: ColumnParts;
}

/** The columns a helper took (what was decoded of them, when it failed) and its first failure. */
export interface ShareResult {
  columns: SharedColumn[];
  failure: DecodeFailure | null;
}

/**
 * The columns, costliest first (so threads taking them in turn finish together): a column's work
 * is its output bytes (writing fresh memory is most of a load) plus its compressed bytes (what
 * snappy and the index decoder walk).
 */
export function costOrder(meta: FileMeta, plans: readonly LeafPlan[]): number[] {
  const rows = meta.rowGroups.reduce((s, g) => s + g.rows, 0);
  const cost = plans.map((p, c) => rows * outputBytes(p) + meta.rowGroups.reduce((s, g) => s + (g.columns[c]?.compressedSize ?? 0), 0));
  return plans.map((_, c) => c).sort((a, b) => cost[b]! - cost[a]! || a - b);
}

/**
 * The queues of the caller (first) and of `helpers` helper threads: one queue they all take from
 * where memory can be shared (SharedArrayBuffer: Node, cross-origin isolated pages), else the
 * columns split ahead into shares of about equal cost.
 */
export function columnQueues(meta: FileMeta, plans: readonly LeafPlan[], helpers: number): ColumnQueue[] {
  const order = costOrder(meta, plans);
  if (typeof SharedArrayBuffer === 'function') {
    const queue = { order, next: new Int32Array(new SharedArrayBuffer(4)) };
    return Array.from({ length: helpers + 1 }, () => queue);
  }
  return splitColumns(meta, plans, helpers + 1).map((share) => ({ order: share, next: new Int32Array(1) }));
}

/** Splits the columns into `parts` shares of about equal cost (costOrder), each to the lightest so far. */
export function splitColumns(meta: FileMeta, plans: readonly LeafPlan[], parts: number): number[][] {
  const rows = meta.rowGroups.reduce((s, g) => s + g.rows, 0);
  const cost = (c: number) => rows * outputBytes(plans[c]!) + meta.rowGroups.reduce((s, g) => s + (g.columns[c]?.compressedSize ?? 0), 0);
  const shares: number[][] = Array.from({ length: parts }, () => []);
  const load = new Array<number>(parts).fill(0);
  for (const c of costOrder(meta, plans)) {
    const s = load.indexOf(Math.min(...load));
    shares[s]!.push(c);
    load[s]! += cost(c);
  }
  return shares;
}

/** Bytes a row takes in the column (see ColumnAssembler): narrow types as stored, the rest as Float64. */
function outputBytes(p: LeafPlan): number {
  if (p.convert === 'bool') return 1 / 8;
  if (p.convert === 'bytes') return 4;
  const stored = (p.type as unknown as { ArrayType?: { BYTES_PER_ELEMENT?: number } }).ArrayType?.BYTES_PER_ELEMENT;
  return (p.convert === 'int32' || p.convert === 'float') && stored ? stored : 8;
}

/**
 * A helper thread's work: takes columns of the file from the queue (the same footer, plan and
 * decoders as the caller's, so the same columns) and returns their parts for the caller to adopt,
 * or hands each to `send` as soon as it is decoded (so its transfer overlaps the decoding of the
 * rest), returning only the failure.
 */
export async function decodeShare(file: Uint8Array, queue: ColumnQueue, send?: (column: SharedColumn) => void): Promise<ShareResult> {
  const fileEnd = file.length - 8;
  const footerLength = new DataView(file.buffer, file.byteOffset).getUint32(fileEnd, true);
  const meta = parseFooter(file, fileEnd - footerLength, fileEnd);
  const plans = planColumns(meta);
  if (typeof plans === 'string') throw new Error(plans);
  const rows = meta.rowGroups.reduce((s, g) => s + g.rows, 0);
  const names = uniqueNames(plans.map((p) => p.name));
  const columns = new Map<number, ColumnAssembler>();
  const decoderOf = (c: number) => {
    const asm = new ColumnAssembler(names[c]!, plans[c]!.type, rows);
    columns.set(c, asm);
    return new NativeColumn(plans[c]!, asm);
  };
  const sendNow = send && ((index: number) => {
    send({ index, parts: columns.get(index)!.parts() });
    columns.delete(index);
  });
  const { failure } = await decodeColumns(file, meta, fileEnd, queue, decoderOf, undefined, sendNow);
  return { columns: [...columns].map(([index, asm]) => ({ index, parts: asm.parts() })), failure };
}

/** The buffers of a helper's columns, to transfer rather than copy. */
export function columnTransfers(columns: readonly SharedColumn[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const { parts: p } of columns) {
    for (const a of [p.values, p.codes, p.validity, p.entries?.bytes, p.entries?.offsets]) if (a) buffers.add(a.buffer as ArrayBuffer);
  }
  return [...buffers];
}
