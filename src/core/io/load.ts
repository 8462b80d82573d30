import type { Table } from 'apache-arrow';
import { readCsv } from './csv/read-csv.ts';
import { detectFormat } from './detect-format.ts';
import { readParquet } from './parquet/read-parquet.ts';
import { tableBytes } from '../table/table-bytes.ts';
import { LoadError, type ByteSource, type FileFormat, type LoadOptions, type LoadReport } from './types.ts';

export interface LoadResult {
  table: Table;
  report: LoadReport;
}

/** Bytes of memory a load needs per byte of CSV text: typed columns plus buffer doubling. */
const CSV_MEMORY_FACTOR = 1.6;
/** Parquet decompresses and expands; a conservative multiple of the file size. */
const PARQUET_MEMORY_FACTOR = 12;

/** The estimated memory a load of this source needs, and the uncompressed size when known. */
export async function estimateLoad(
  source: ByteSource,
  format?: FileFormat,
): Promise<{ format: FileFormat; bytes: number; memoryBytes: number }> {
  format ??= detectFormat(source.name, await source.slice(0, 8)).format;
  if (format === 'parquet') return { format, bytes: source.size, memoryBytes: source.size * PARQUET_MEMORY_FACTOR };
  let text = source.size;
  if (format === 'csv.gz' && source.size >= 18) {
    // ISIZE: the uncompressed size mod 2^32, in the gzip trailer.
    const t = await source.slice(source.size - 4, source.size);
    const isize = (t[0]! | (t[1]! << 8) | (t[2]! << 16) | (t[3]! << 24)) >>> 0;
    text = Math.max(isize, source.size * 3);
  }
  return { format, bytes: text, memoryBytes: text * CSV_MEMORY_FACTOR };
}

/** Loads a CSV, CSV.gz or Parquet file into an Arrow table, with a report of what happened. */
export async function loadTable(source: ByteSource, options: LoadOptions = {}): Promise<LoadResult> {
  const t0 = performance.now();
  const name = source.name;
  if (source.size === 0) throw new LoadError(name, 'the file is empty (0 bytes)');
  const { format, warnings } = detectFormat(name, await source.slice(0, 8));
  const estimate = await estimateLoad(source, format);
  if (options.memoryLimitBytes && estimate.memoryBytes > options.memoryLimitBytes) {
    throw new LoadError(
      name,
      `loading needs about ${mb(estimate.memoryBytes)} of memory but only about ${mb(options.memoryLimitBytes)} is available; load a sample of the file instead`,
    );
  }

  let consumed = 0;
  let lastReport = 0;
  const report = (force = false): void => {
    const now = performance.now();
    if (!options.onProgress || (!force && now - lastReport < 100)) return;
    lastReport = now;
    options.onProgress({ stage: 'reading', done: consumed, total: source.size });
  };
  report(true);

  if (format === 'parquet') {
    const { table, warnings: pw } = await readParquet(source, options);
    const names = table.schema.fields.map((f) => f.name);
    return done(table, {
      format,
      delimiter: undefined,
      header: true,
      encoding: 'binary',
      columnNames: names,
      originalNames: names,
      uncompressedBytes: source.size,
      skippedRows: 0,
      repairedRows: 0,
      rowIssues: [],
      warnings: [...warnings, ...pw],
    });
  }

  const counted = source.stream().pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        consumed += chunk.length;
        controller.enqueue(chunk);
      },
    }),
  );
  const text = format === 'csv.gz' ? (options.gunzip ?? webGunzip)(counted) : counted;
  const csv = await readCsv(name, text, options, report, estimate.bytes);
  const { table, fastRows: _, ...rest } = csv;
  return done(table, { format, ...rest, warnings: [...warnings, ...rest.warnings] });

  function done(table: Table, parts: Omit<LoadReport, 'file' | 'rows' | 'columns' | 'seconds' | 'bytes' | 'arrowBytes'>): LoadResult {
    consumed = source.size;
    report(true);
    return {
      table,
      report: {
        file: name,
        rows: table.numRows,
        columns: table.numCols,
        seconds: (performance.now() - t0) / 1000,
        bytes: source.size,
        arrowBytes: tableBytes(table),
        ...parts,
      },
    };
  }
}

function webGunzip(compressed: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  return compressed.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
}

function mb(bytes: number): string {
  return bytes >= 1 << 30 ? `${(bytes / (1 << 30)).toFixed(1)} GB` : `${Math.ceil(bytes / (1 << 20))} MB`;
}
