import type { ParquetFile } from 'parquet-wasm';
import { Table, makeVector, tableFromIPC, type Vector } from 'apache-arrow';
import { CancelledError, LoadError, type ByteSource, type LoadOptions } from '../types.ts';
import { ColumnAssembler } from './column-assembler.ts';
import { parquetWasm } from './parquet-wasm.ts';

/** Reads a Parquet file one row group at a time into one Arrow table of the workbench's types. */
export async function readParquet(
  source: ByteSource,
  options: Pick<LoadOptions, 'signal' | 'onProgress'>,
): Promise<{ table: Table; warnings: string[] }> {
  const name = source.name;
  const pq = await parquetWasm();
  const tail = await source.slice(Math.max(0, source.size - 4), source.size);
  if (source.size < 12 || String.fromCharCode(...tail) !== 'PAR1') {
    throw new LoadError(name, 'not a complete Parquet file: the footer is missing or damaged (was the file cut short?)');
  }
  let file: ParquetFile;
  let groups: number[];
  try {
    file = await pq.ParquetFile.fromFile(source.blob ?? new Blob([(await source.slice(0, source.size)) as Uint8Array<ArrayBuffer>]));
    const meta = file.metadata();
    groups = meta.rowGroups().map((g: { numRows(): number }) => g.numRows());
  } catch (err) {
    throw new LoadError(name, `not a readable Parquet file (${describe(err)})`);
  }
  const rows = groups.reduce((a, b) => a + b, 0);
  const warnings: string[] = [];
  let columns: ColumnAssembler[] | null = null;
  let done = 0;
  for (let g = 0; g < groups.length; g++) {
    if (options.signal?.aborted) throw new CancelledError(name);
    let part: Table;
    try {
      const wasmTable = await file.read({ rowGroups: [g], batchSize: Math.max(1024, groups[g]!) });
      part = tableFromIPC(wasmTable.intoIPCStream());
    } catch (err) {
      throw new LoadError(name, `row group ${g + 1} of ${groups.length} cannot be read (${describe(err)})`);
    }
    columns ??= part.schema.fields.map((f) => new ColumnAssembler(f.name, rows));
    part.schema.fields.forEach((_, c) => columns![c]!.add(part.getChildAt(c)!));
    done += groups[g]!;
    options.onProgress?.({ stage: 'reading', done: Math.round((source.size * done) / Math.max(1, rows)), total: source.size });
    await new Promise((r) => setTimeout(r, 0));
  }
  file.free();
  const vectors: Record<string, Vector> = {};
  for (const col of columns ?? []) {
    if (col.inexact) warnings.push(`column "${col.name}": ${col.inexact} integer(s) beyond 2^53 lost precision as Float64`);
    const data = col.finish();
    if (col.printed) warnings.push(`column "${col.name}" has a nested or binary type; its values were read as text`);
    vectors[col.name] = makeVector(data);
  }
  return { table: new Table(vectors), warnings };
}

function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.slice(0, 200);
}
