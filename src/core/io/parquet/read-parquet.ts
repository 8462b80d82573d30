import { Table, makeVector, tableFromIPC, type Data, type Schema, type Vector } from 'apache-arrow';
import { parseRecordBatch, parseSchema } from 'arrow-js-ffi';
import type { ParquetFile } from 'parquet-wasm';
import { uniqueNames } from '../column-names.ts';
import { CancelledError, LoadError, type ByteSource, type LoadOptions } from '../types.ts';
import { ColumnAssembler } from './column-assembler.ts';
import { checkEnvelope, unsupportedCompression } from './parquet-checks.ts';
import { parquetWasm, type ParquetWasm } from './parquet-wasm.ts';

/** Yield to the event loop at most this often (ms), so a cancel message can arrive. */
const YIELD_EVERY_MS = 16;

/**
 * Reads a Parquet file one row group at a time into one Arrow table of the workbench's types
 * (see ColumnAssembler). Row groups are read lazily from the source's Blob; each is decoded by
 * parquet-wasm and its columns are copied straight out of wasm memory (Arrow C data interface,
 * no IPC serialisation) into preallocated columns, so peak memory is the table plus one group.
 */
export async function readParquet(
  source: ByteSource,
  options: Pick<LoadOptions, 'signal' | 'onProgress'> = {},
): Promise<{ table: Table; warnings: string[] }> {
  const name = source.name;
  await checkEnvelope(source);
  let pq: ParquetWasm;
  try {
    pq = await parquetWasm();
  } catch (err) {
    throw new LoadError(name, `the Parquet reader (WebAssembly) could not start (${describe(err)})`);
  }
  let file: ParquetFile;
  try {
    const blob = source.blob ?? new Blob([(await source.slice(0, source.size)) as Uint8Array<ArrayBuffer>]);
    file = await pq.ParquetFile.fromFile(blob);
  } catch (err) {
    throw new LoadError(name, `not a readable Parquet file: its metadata is damaged (${describe(err)})`);
  }
  try {
    return await readGroups(pq, file, source, options);
  } finally {
    file.free();
  }
}

async function readGroups(
  pq: ParquetWasm,
  file: ParquetFile,
  source: ByteSource,
  options: Pick<LoadOptions, 'signal' | 'onProgress'>,
): Promise<{ table: Table; warnings: string[] }> {
  const name = source.name;
  const meta = file.metadata();
  const groups = meta.rowGroups().map((g) => g.numRows());
  const codec = unsupportedCompression(meta);
  if (codec) throw new LoadError(name, `compressed with ${codec.codec}, which this reader does not support; re-save it with snappy, gzip or zstd`, { column: codec.column });
  const rows = groups.reduce((a, b) => a + b, 0);
  const schema = fileSchema(pq, file);
  const names = uniqueNames(schema.fields.map((f) => f.name));
  const columns = schema.fields.map((f, c) => new ColumnAssembler(names[c]!, f.type, rows));

  let done = 0;
  let lastYield = performance.now();
  for (let g = 0; g < groups.length; g++) {
    if (options.signal?.aborted) throw new CancelledError(name);
    try {
      await readGroup(pq, file, g, groups[g]!, columns);
    } catch (err) {
      if (err instanceof LoadError) throw err;
      const text = describe(err);
      if (/codec|compression/i.test(text) && /support|unknown|disabled/i.test(text)) {
        throw new LoadError(name, `uses a compression this reader does not support (${text}); re-save it with snappy, gzip or zstd`);
      }
      throw new LoadError(name, `row group ${g + 1} of ${groups.length} cannot be read: the file is damaged (${text})`);
    }
    done += groups[g]!;
    options.onProgress?.({ stage: 'reading', done: Math.round((source.size * done) / Math.max(1, rows)), total: source.size });
    if (performance.now() - lastYield >= YIELD_EVERY_MS) {
      await new Promise((r) => setTimeout(r, 0));
      lastYield = performance.now();
    }
  }
  if (options.signal?.aborted) throw new CancelledError(name);

  const warnings: string[] = [];
  const renamed = schema.fields.filter((f, c) => f.name !== names[c]).map((f) => `"${f.name}"`);
  if (renamed.length) warnings.push(`blank or repeated column names made unique: ${renamed.join(', ')}`);
  const vectors: Record<string, Vector> = {};
  for (const col of columns) {
    warnings.push(...col.warnings());
    vectors[col.name] = makeVector(col.finish());
  }
  return { table: new Table(vectors), warnings };
}

/** The file's Arrow schema, through the C data interface (a small struct in wasm memory). */
function fileSchema(pq: ParquetWasm, file: ParquetFile): Schema {
  const ffi = file.schema().intoFFI();
  try {
    return parseSchema(pq.wasmMemory().buffer, ffi.addr());
  } catch {
    // A type arrow-js-ffi cannot describe: fall back to the schema's IPC form.
    return tableFromIPC(file.schema().intoIPCStream()).schema;
  } finally {
    ffi.free();
  }
}

/**
 * Decodes one row group in wasm and appends its columns. The Arrow views point into wasm memory,
 * valid only until the next wasm call, so they are copied out before the group is freed.
 */
async function readGroup(pq: ParquetWasm, file: ParquetFile, g: number, rows: number, columns: ColumnAssembler[]): Promise<void> {
  const part = await file.read({ rowGroups: [g], batchSize: Math.max(1, rows) });
  const ffi = part.intoFFI();
  try {
    const memory = pq.wasmMemory().buffer;
    for (const addr of ffi.arrayAddrs()) {
      let children: Data[];
      try {
        children = parseRecordBatch(memory, addr, ffi.schemaAddr(), false).data.children;
      } catch {
        children = [];
      }
      if (children.length !== columns.length) {
        await readGroupByIpc(file, g, rows, columns);
        return;
      }
      columns.forEach((col, c) => col.add(children[c]!));
    }
  } finally {
    ffi.free();
  }
}

/** The slower path for types the C data interface reader does not know: Arrow IPC bytes. */
async function readGroupByIpc(file: ParquetFile, g: number, rows: number, columns: ColumnAssembler[]): Promise<void> {
  const part = tableFromIPC((await file.read({ rowGroups: [g], batchSize: Math.max(1, rows) })).intoIPCStream());
  for (const batch of part.batches) columns.forEach((col, c) => col.add(batch.data.children[c]!));
}

function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split('\n')[0] ?? '').slice(0, 200);
}
