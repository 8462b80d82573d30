import { describe } from './describe.ts';
import type { GroupProgress } from './group-progress.ts';
import { NativeColumn, NativeUnsupported, Scratch } from './native-column.ts';
import { PageInflater } from './page-inflater.ts';
import type { FileMeta } from './parquet-footer.ts';

/**
 * Where decoding stopped: the row group, the column (-1: before any column, gunzipping the
 * group's pages) and why. One reader's first failure in row-group-then-column order, so the
 * earliest of several threads' failures is the one a single thread would have met.
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
 * Decodes the chunks of the columns `own` (indices into the file's columns), row group by row
 * group, through their decoders; returns the first failure, or null. Cancellation (progress.check)
 * is thrown, not returned.
 */
export async function decodeGroups(
  file: Uint8Array,
  meta: FileMeta,
  fileEnd: number,
  own: readonly number[],
  decoders: readonly (NativeColumn | undefined)[],
  progress?: GroupProgress,
): Promise<DecodeFailure | null> {
  const pages = new PageInflater();
  const scratch = new Scratch();
  const groups = meta.rowGroups;
  for (let g = 0; g < groups.length; g++) {
    progress?.check();
    const group = groups[g]!;
    // A group's GZIP pages are all gunzipped before any of its chunks is decoded (order: the
    // chunk's column − the number of columns, ahead of every decoding failure in the group).
    let column = -1;
    let order = 0;
    try {
      pages.reset();
      for (const k of own) {
        order = k - decoders.length;
        await pages.prepare(file, group.columns[k]!, fileEnd);
      }
      for (const k of own) {
        column = order = k;
        decoders[k]!.readChunk(file, group.columns[k]!, group.rows, fileEnd, pages, scratch);
      }
    } catch (err) {
      const unsupported = err instanceof NativeUnsupported;
      return { group: g, column, order, unsupported, message: unsupported ? err.message : describe(err) };
    }
    await progress?.step(group.rows);
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
