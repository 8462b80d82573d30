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
  const pages = new PageInflater();
  const scratch = new Scratch();
  const columns = meta.rowGroups[0]?.columns.length ?? 0;
  const taken: number[] = [];
  let failure: DecodeFailure | null = null;
  for (;;) {
    progress?.check();
    const at = Atomics.add(queue.next, 0, 1);
    if (at >= queue.order.length) break;
    const k = queue.order[at]!;
    taken.push(k);
    const decoder = decoderOf(k);
    // Groups after a failure already met cannot hold an earlier one.
    const last = failure ? failure.group : meta.rowGroups.length - 1;
    let whole = !failure;
    for (let g = 0; g <= last; g++) {
      if (g > 0) progress?.check();
      const group = meta.rowGroups[g]!;
      // A single thread gunzips all of a group's GZIP pages before decoding any of its chunks: a
      // gunzip failure comes first in its group (order: the column − the number of columns).
      let order = k - columns;
      try {
        pages.reset();
        await pages.prepare(file, group.columns[k]!, fileEnd);
        order = k;
        decoder.readChunk(file, group.columns[k]!, group.rows, fileEnd, pages, scratch);
      } catch (err) {
        const unsupported = err instanceof NativeUnsupported;
        const column = order === k ? k : -1;
        failure = firstFailure([failure, { group: g, column, order, unsupported, message: unsupported ? err.message : describe(err) }]);
        whole = false;
        break;
      }
      await progress?.step(group.rows / columns);
    }
    if (whole) onDecoded?.(k);
  }
  return { taken, failure };
}

/** The failure a single thread would have met first (row group, then column), or null. */
export function firstFailure(failures: readonly (DecodeFailure | null)[]): DecodeFailure | null {
  let first: DecodeFailure | null = null;
  for (const f of failures) {
    if (f && (!first || f.group < first.group || (f.group === first.group && f.order < first.order))) first = f;
  }
  return first;
}
