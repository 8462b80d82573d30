import { tableFromIPC, type Data, type Schema, type Table } from 'apache-arrow';
import { parseRecordBatch, parseSchema } from 'arrow-js-ffi';
import { uniqueNames } from '../column-names.ts';
import { LoadError, type ByteSource, type LoadOptions } from '../types.ts';
import { assembledTable } from './assembled-table.ts';
import { ColumnAssembler } from './column-assembler.ts';
import { readNativeParquet } from './native-reader.ts';
import { checkEnvelope, checkEnvelopeBytes } from './parquet-checks.ts';
import { readLayout, type GroupBatch } from './parquet-layout.ts';
import { parquetWasm, type ParquetWasm } from './parquet-wasm.ts';
import { describe } from './describe.ts';
import { GroupProgress } from './group-progress.ts';

/**
 * Reads a Parquet file into one Arrow table of the workbench's types (see ColumnAssembler). Flat
 * files in the common encodings and codecs are decoded in TypeScript (native-reader.ts); anything
 * else goes, whole, to parquet-wasm (readParquetWasm). Both give the same table.
 */
export async function readParquet(
  source: ByteSource,
  options: Pick<LoadOptions, 'signal' | 'onProgress' | 'parquetHelper'> = {},
): Promise<{ table: Table; warnings: string[] }> {
  // One read of the whole file (the envelope checked on its bytes): each read of a file costs a
  // round trip to the file system.
  const bytes = await source.slice(0, source.size);
  checkEnvelopeBytes(source.name, bytes);
  const native = await readNativeParquet(source.name, bytes, options);
  if ('table' in native) return native;
  return readParquetWasm(source, options, bytes);
}

/**
 * Reads a Parquet file row group by row group with parquet-wasm: each group is decoded by its
 * synchronous reader and its columns are copied straight out of wasm memory (Arrow C data
 * interface, no IPC serialisation) into preallocated columns, so memory holds the file, one
 * decoded group and the table.
 *
 * Why synchronous: parquet-wasm's async ParquetFile reader panics on damaged pages inside a
 * microtask, so its promise never settles (a hang); the synchronous reader returns an error.
 */
export async function readParquetWasm(
  source: ByteSource,
  options: Pick<LoadOptions, 'signal' | 'onProgress'> = {},
  fileBytes?: Uint8Array,
): Promise<{ table: Table; warnings: string[] }> {
  const name = source.name;
  if (!fileBytes) await checkEnvelope(source);
  let pq: ParquetWasm;
  try {
    pq = await parquetWasm();
  } catch (err) {
    throw new LoadError(name, `the Parquet reader (WebAssembly) could not start (${describe(err)})`);
  }
  const bytes = fileBytes ?? (await source.slice(0, source.size));
  const { batches, rows } = await readLayout(pq, source, bytes);
  const schema = fileSchema(pq, bytes, name);
  const names = uniqueNames(schema.fields.map((f) => f.name));
  const columns = schema.fields.map((f, c) => new ColumnAssembler(names[c]!, f.type, rows));

  const progress = new GroupProgress(name, options, source.size, rows);
  for (const batch of batches) {
    progress.check();
    try {
      readBatch(pq, bytes, batch, columns);
    } catch (err) {
      const where = batch.groups.length === 1 ? `row group ${batch.groups[0]! + 1}` : `row groups ${batch.groups[0]! + 1}–${batch.groups.at(-1)! + 1}`;
      throw new LoadError(name, `${where} of ${batch.total} cannot be read: the file is damaged (${describe(err)})`);
    }
    await progress.step(batch.rows);
  }
  progress.check();
  return assembledTable(schema.fields.map((f) => f.name), columns);
}

/** The file's Arrow schema, through the C data interface (a small struct in wasm memory). */
function fileSchema(pq: ParquetWasm, bytes: Uint8Array, name: string): Schema {
  try {
    const ffi = pq.readSchema(bytes).intoFFI();
    try {
      return parseSchema(pq.wasmMemory().buffer, ffi.addr());
    } catch {
      // A type arrow-js-ffi cannot describe: the schema's IPC form.
      return tableFromIPC(pq.readSchema(bytes).intoIPCStream()).schema;
    } finally {
      ffi.free();
    }
  } catch (err) {
    throw new LoadError(name, `not a readable Parquet file: its schema cannot be read (${describe(err)})`);
  }
}

/**
 * Decodes some row groups in wasm and appends their columns. The Arrow views point into wasm
 * memory, valid only until the next wasm call, so they are copied out before the groups are freed.
 */
function readBatch(pq: ParquetWasm, bytes: Uint8Array, batch: GroupBatch, columns: ColumnAssembler[]): void {
  const read = () => pq.readParquet(bytes, { rowGroups: batch.groups, batchSize: Math.max(1, batch.rows) });
  const ffi = read().intoFFI();
  let parts: Data[][] | null = [];
  try {
    const memory = pq.wasmMemory().buffer;
    for (const addr of ffi.arrayAddrs()) {
      const children = parseRecordBatch(memory, addr, ffi.schemaAddr(), false).data.children;
      if (children.length !== columns.length) throw new Error('column count differs from the schema');
      parts.push(children);
    }
  } catch {
    parts = null; // a type arrow-js-ffi does not know: take the IPC path below
  }
  try {
    if (parts) for (const children of parts) columns.forEach((col, c) => col.add(children[c]!));
  } finally {
    ffi.free();
  }
  if (!parts) {
    for (const b of tableFromIPC(read().intoIPCStream()).batches) columns.forEach((col, c) => col.add(b.data.children[c]!));
  }
}
