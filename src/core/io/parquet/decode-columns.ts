import { describe } from './describe.ts';
import type { GroupProgress } from './group-progress.ts';
import { NativeColumn, NativeUnsupported, Scratch } from './native-column.ts';
import { PageInflater } from './page-inflater.ts';
import type { FileMeta } from './parquet-footer.ts';

/**
 * Where decoding stopped: the row group, the column (-1: gunzipping a page, before any column of
 * the group) and why. The earliest failure in row-group-then-column order over all columns is the
 * one a single thread reading the groups in turn would have met (firstFailure).
 */
export interface DecodeFailure {
  group: number;
  column: number;
  /** Within the group: which of the failures a single thread would have met first. */
  order: number;
  /** A page needing what the native reader does not do: the file goes to parquet-wasm. */
  unsupported: boolean;
  message: string;
}

/**
 * Columns to decode, taken one at a time: next[0] is the next position in `order` (taken with
 * Atomics.add, so threads sharing a SharedArrayBuffer-backed queue share out the columns as they
 * go; a queue in ordinary memory is one reader's own list).
 */
export interface ColumnQueue {
  order: number[];
  next: Int32Array;
}

/**
 * Takes columns from the queue until it is empty and decodes each whole (every row group) through
 * the decoder `decoderOf` makes; returns the columns taken and the first failure among them, or
 * null. Progress is reported, and the signal checked (cancellation is thrown), chunk by chunk;
 * `onDecoded` hears of each column decoded whole while no failure is known.
 */
export async function decodeColumns(
  file: Uint8Array,
  meta: FileMeta,
  fileEnd: number,
  queue: ColumnQueue,
  decoderOf: (column: number) => NativeColumn,
  progress?: GroupProgress,
  onDecoded?: (column: number) => void,
): Promise<{ taken: number[]; failure: DecodeFailure | null }> {
  const reader = { file, meta, fileEnd, columns: meta.rowGroups[0]?.columns.length ?? 0, pages: new PageInflater(), scratch: new Scratch(), progress };
  const taken: number[] = [];
  let failure: DecodeFailure | null = null;
  try {
    for (;;) {
      progress?.check();
      const at = Atomics.add(queue.next, 0, 1);
      if (at >= queue.order.length) break;
      const k = queue.order[at]!;
      taken.push(k);
      // Groups after a failure already met cannot hold an earlier one.
      const found = await decodeColumn(reader, k, decoderOf(k), failure ? failure.group : meta.rowGroups.length - 1);
      if (found) failure = firstFailure([failure, found]);
      else if (!failure) onDecoded?.(k);
    }
  } catch (err) {
    // Cancelled: the queue is emptied, so helpers sharing it stop after the column in hand.
    Atomics.store(queue.next, 0, queue.order.length);
    throw err;
  }
  return { taken, failure };
}

interface Reader {
  file: Uint8Array;
  meta: FileMeta;
  fileEnd: number;
  columns: number;
  pages: PageInflater;
  scratch: Scratch;
  progress: GroupProgress | undefined;
}

/** Column k's chunks of row groups 0…last through its decoder; its first failure, or null. */
async function decodeColumn(r: Reader, k: number, decoder: NativeColumn, last: number): Promise<DecodeFailure | null> {
  for (let g = 0; g <= last; g++) {
    if (g > 0) r.progress?.check();
    const group = r.meta.rowGroups[g]!;
    // A single thread gunzips all of a group's GZIP pages before decoding any of its chunks: a
    // gunzip failure comes first in its group (order: the column − the number of columns).
    let order = k - r.columns;
    try {
      r.pages.reset();
      await r.pages.prepare(r.file, group.columns[k]!, r.fileEnd);
      order = k;
      decoder.readChunk(r.file, group.columns[k]!, group.rows, r.fileEnd, r.pages, r.scratch);
    } catch (err) {
      const unsupported = err instanceof NativeUnsupported;
      return { group: g, column: order === k ? k : -1, order, unsupported, message: unsupported ? err.message : describe(err) };
    }
    await r.progress?.step(group.rows / r.columns);
  }
  return null;
}

/** The failure a single thread would have met first (row group, then column), or null. */
export function firstFailure(failures: readonly (DecodeFailure | null)[]): DecodeFailure | null {
  let first: DecodeFailure | null = null;
  for (const f of failures) {
    if (f && (!first || f.group < first.group || (f.group === first.group && f.order < first.order))) first = f;
  }
  return first;
}
