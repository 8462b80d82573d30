import type { Table } from 'apache-arrow';
import { uniqueNames } from '../column-names.ts';
import { LoadError, type LoadOptions } from '../types.ts';
import { assembledTable } from './assembled-table.ts';
import { ColumnAssembler } from './column-assembler.ts';
import { columnQueues } from './column-share.ts';
import { decodeColumns, firstFailure } from './decode-columns.ts';
import { NativeColumn } from './native-column.ts';
import { planColumns, type LeafPlan } from './native-schema.ts';
import { NATIVE_CODECS } from './page-inflater.ts';
import { parseFooter, type FileMeta } from './parquet-footer.ts';
import { describe } from './describe.ts';
import { GroupProgress } from './group-progress.ts';

/** Encodings a chunk may list: PLAIN, PLAIN_DICTIONARY, RLE, BIT_PACKED (levels, listed by parquet-mr), RLE_DICTIONARY. */
const NATIVE_ENCODINGS = new Set([0, 2, 3, 4, 8]);

/** Physical type of each conversion, to check the chunks against the schema. */
const PHYSICAL: Record<LeafPlan['convert'], number> = {
  bool: 0,
  int32: 1,
  uint32: 1,
  date: 1,
  int64: 2,
  uint64: 2,
  timestamp: 2,
  float: 4,
  double: 5,
  bytes: 6,
};

export type NativeResult = { table: Table; warnings: string[] } | { fallback: string };

/**
 * Reads a flat Parquet file (required or optional columns; PLAIN and dictionary pages, v1 or v2;
 * uncompressed, snappy or gzip) in TypeScript, row group by row group, straight into the
 * workbench's columns (see ColumnAssembler), or says why it leaves the file to parquet-wasm. That is
 * decided from the footer before any page is decoded; a page that turns out to need more (an
 * encoding the footer did not list) also hands the whole file over.
 */
export async function readNativeParquet(
  name: string,
  bytes: Uint8Array,
  options: Pick<LoadOptions, 'signal' | 'onProgress' | 'parquetHelper'>,
): Promise<NativeResult> {
  const fileEnd = bytes.length - 8;
  const footerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(fileEnd, true);
  let meta: FileMeta;
  try {
    meta = parseFooter(bytes, fileEnd - footerLength, fileEnd);
  } catch (err) {
    return { fallback: `footer: ${describe(err)}` };
  }
  const plans = planColumns(meta);
  if (typeof plans === 'string') return { fallback: plans };
  const why = unsupportedChunk(meta, plans);
  if (why) return { fallback: why };

  const rows = meta.rowGroups.reduce((s, g) => s + g.rows, 0);
  const names = uniqueNames(plans.map((p) => p.name));
  // Helper threads take columns from their queues while we take ours (column-share.ts); each
  // writes whole columns, which come back as transfers.
  const helper = options.parquetHelper;
  const helpers = helper && rows >= helper.minRows ? helper.helpers : 0;
  const queues = helpers > 0 ? columnQueues(meta, plans, helpers) : [{ order: plans.map((_, c) => c), next: new Int32Array(1) }];
  // A helper that fails leaves its columns to us.
  const helped = helpers > 0 ? helper!.decode(bytes, queues.slice(1)).catch(() => queues.slice(1).map(() => null)) : Promise.resolve([]);
  const columns: (ColumnAssembler | undefined)[] = [];
  const decoderOf = (c: number) => new NativeColumn(plans[c]!, (columns[c] = new ColumnAssembler(names[c]!, plans[c]!.type, rows)));
  const progress = new GroupProgress(name, options, bytes.length, rows);
  // Cancelled (thrown here): the helpers finish their columns unheard.
  const failures = [(await decodeColumns(bytes, meta, fileEnd, queues[0]!, decoderOf, progress)).failure];
  for (const result of await helped) {
    if (!result) continue;
    failures.push(result.failure);
    for (const { index, parts } of result.columns) {
      const asm = (columns[index] = new ColumnAssembler(names[index]!, plans[index]!.type, rows, false));
      if (!result.failure) asm.adopt(parts);
    }
  }
  const missing = plans.map((_, c) => c).filter((c) => !columns[c]);
  if (missing.length) failures.push((await decodeColumns(bytes, meta, fileEnd, { order: missing, next: new Int32Array(1) }, decoderOf)).failure);
  progress.check();
  const failure = firstFailure(failures);
  if (failure?.unsupported) return { fallback: failure.message };
  if (failure) {
    const column = failure.column >= 0 ? { column: plans[failure.column]!.name } : {};
    throw new LoadError(name, `row group ${failure.group + 1} of ${meta.rowGroups.length} cannot be read: the file is damaged (${failure.message})`, column);
  }
  return assembledTable(plans.map((p) => p.name), columns as ColumnAssembler[]);
}

/** Why some column chunk is beyond the native reader (codec, encoding, layout), or null. */
function unsupportedChunk(meta: FileMeta, plans: LeafPlan[]): string | null {
  for (const group of meta.rowGroups) {
    if (group.columns.length !== plans.length) return 'a row group whose columns differ from the schema';
    for (let c = 0; c < plans.length; c++) {
      const chunk = group.columns[c]!;
      const plan = plans[c]!;
      if (chunk.filePath !== undefined) return 'columns stored in other files';
      if (chunk.path.length !== 1 || chunk.path[0] !== plan.name || chunk.type !== PHYSICAL[plan.convert]) return 'column chunks that do not match the schema';
      if (!NATIVE_CODECS.has(chunk.codec)) return `codec ${chunk.codec}`;
      const encoding = chunk.encodings.find((e) => !NATIVE_ENCODINGS.has(e));
      if (encoding !== undefined) return `encoding ${encoding}`;
    }
  }
  return null;
}
