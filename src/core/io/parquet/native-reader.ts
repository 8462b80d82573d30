import type { Table } from 'apache-arrow';
import { uniqueNames } from '../column-names.ts';
import { LoadError, type LoadOptions } from '../types.ts';
import { assembledTable } from './assembled-table.ts';
import { ColumnAssembler } from './column-assembler.ts';
import { NativeColumn, NativeUnsupported, Scratch } from './native-column.ts';
import { planColumns, type LeafPlan } from './native-schema.ts';
import { NATIVE_CODECS, PageInflater } from './page-inflater.ts';
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
export async function readNativeParquet(name: string, bytes: Uint8Array, options: Pick<LoadOptions, 'signal' | 'onProgress'>): Promise<NativeResult> {
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
  const columns = plans.map((p, c) => new ColumnAssembler(names[c]!, p.type, rows));
  const decoders = plans.map((p, c) => new NativeColumn(p, columns[c]!));
  const pages = new PageInflater();
  const scratch = new Scratch();
  const total = meta.rowGroups.length;
  const progress = new GroupProgress(name, options, bytes.length, rows);
  for (let g = 0; g < total; g++) {
    progress.check();
    const group = meta.rowGroups[g]!;
    let c = -1;
    try {
      await pages.prepare(bytes, group.columns, fileEnd);
      for (c = 0; c < decoders.length; c++) decoders[c]!.readChunk(bytes, group.columns[c]!, group.rows, fileEnd, pages, scratch);
    } catch (err) {
      if (err instanceof NativeUnsupported) return { fallback: err.message };
      const column = c >= 0 ? { column: plans[c]!.name } : {};
      throw new LoadError(name, `row group ${g + 1} of ${total} cannot be read: the file is damaged (${describe(err)})`, column);
    }
    await progress.step(group.rows);
  }
  progress.check();
  return assembledTable(plans.map((p) => p.name), columns);
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
