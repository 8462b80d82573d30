import type { ParquetMetaData } from 'parquet-wasm';
import { LoadError, type ByteSource } from '../types.ts';
import type { ParquetWasm } from './parquet-wasm.ts';
import { describe } from './describe.ts';

/** Row groups decoded by one call: one, or a few consecutive small ones (see batchGroups). */
export interface GroupBatch {
  groups: number[];
  rows: number;
  /** Row groups in the file. */
  total: number;
}

/**
 * Each decode copies the whole file into wasm memory. Row groups are decoded one at a time unless
 * that would copy more than COPY_BUDGET bytes in all (or more than MIN_CALLS copies of the file):
 * then consecutive groups are decoded together, in about that many calls of similar size.
 */
const COPY_BUDGET = 512 << 20;
const MIN_CALLS = 32;

/**
 * Codecs parquet-wasm is built without. Its enum (Compression in parquet_wasm.d.ts) numbers LZO 7;
 * UNCOMPRESSED, SNAPPY, GZIP, BROTLI, LZ4, ZSTD and LZ4_RAW are all read.
 */
const UNSUPPORTED: Record<number, string> = { 7: 'LZO' };

/** Reads the footer: row groups, their sizes, and whether every codec is readable. */
export async function readLayout(pq: ParquetWasm, source: ByteSource, bytes: Uint8Array): Promise<{ batches: GroupBatch[]; rows: number }> {
  const name = source.name;
  let meta: ParquetMetaData;
  try {
    const file = await pq.ParquetFile.fromFile(source.blob ?? new Blob([bytes as Uint8Array<ArrayBuffer>]));
    meta = file.metadata();
    file.free();
  } catch (err) {
    throw new LoadError(name, `not a readable Parquet file: its metadata is damaged (${describe(err)})`);
  }
  const total = meta.numRowGroups();
  const groups: { rows: number; bytes: number }[] = [];
  for (let g = 0; g < total; g++) {
    const group = meta.rowGroup(g);
    for (const chunk of group.columns()) {
      const codec = UNSUPPORTED[chunk.compression() as number];
      if (codec) {
        throw new LoadError(name, `compressed with ${codec}, which this reader does not support; re-save it with snappy, gzip or zstd`, {
          column: chunk.columnPath().join('.'),
        });
      }
    }
    groups.push({ rows: group.numRows(), bytes: group.totalByteSize() });
    group.free();
  }
  meta.free();

  const rows = groups.reduce((s, g) => s + g.rows, 0);
  return { batches: batchGroups(groups, bytes.length, total), rows };
}

function batchGroups(groups: { rows: number; bytes: number }[], fileBytes: number, total: number): GroupBatch[] {
  const calls = Math.max(MIN_CALLS, Math.ceil(COPY_BUDGET / Math.max(1, fileBytes)));
  if (groups.length <= calls) return groups.map((g, i) => ({ groups: [i], rows: g.rows, total }));
  const target = groups.reduce((s, g) => s + g.bytes, 0) / calls;
  const batches: GroupBatch[] = [];
  let current: GroupBatch | null = null;
  let size = 0;
  groups.forEach((g, i) => {
    if (!current || size >= target) {
      current = { groups: [], rows: 0, total };
      batches.push(current);
      size = 0;
    }
    current.groups.push(i);
    current.rows += g.rows;
    size += g.bytes;
  });
  return batches;
}
