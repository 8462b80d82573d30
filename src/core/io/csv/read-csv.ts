import { LF } from './bytes.ts';
import { Table, makeVector, type Vector } from 'apache-arrow';
import { uniqueNames } from '../column-names.ts';
import { CancelledError, LoadError, type LoadOptions, type RowIssue } from '../types.ts';
import { sniffDialect } from './sniff.ts';
import { TableSink } from './table-sink.ts';
import { CsvTokenizer } from './tokenizer.ts';

export interface CsvResult {
  table: Table;
  delimiter: string;
  header: boolean;
  encoding: 'utf-8' | 'latin-1';
  columnNames: string[];
  originalNames: (string | null)[];
  uncompressedBytes: number;
  skippedRows: number;
  repairedRows: number;
  rowIssues: RowIssue[];
  warnings: string[];
  /** Rows read by the fast path (the rest went through the general tokenizer). */
  fastRows: number;
}

/** Enough of the file's start to sniff the dialect: a few lines, capped. */
const SAMPLE_LINES = 20;
const SAMPLE_MAX = 4 << 20;
/** How often a long parse yields to the event loop so a cancel message can arrive. */
const YIELD_MS = 50;

const EPOCH_NAME = /(^|[^a-z])(time|timestamp|ts|date|datetime|epoch)([^a-z]|$)|^(start|end|event|first|last)_?time/i;

/**
 * Reads CSV text (already decompressed) into an Arrow table. `progress` is called with the
 * count of bytes the caller has consumed, which for gzip is the compressed count.
 */
export async function readCsv(
  name: string,
  stream: ReadableStream<Uint8Array>,
  options: LoadOptions,
  progress: () => void,
  expectedBytes = 0,
  /**
   * fastRows: false reads every row through the general tokenizer; wasmRows: false takes the JS
   * fast path instead of the WebAssembly one (tests compare the three).
   */
  tuning: { fastRows?: boolean; wasmRows?: boolean } = {},
): Promise<CsvResult> {
  const reader = stream.getReader();
  const warnings: string[] = [];
  let total = 0;
  const readChunk = async (): Promise<Uint8Array | null> => {
    try {
      const { value, done } = await reader.read();
      if (done) return null;
      total += value.length;
      return value;
    } catch (err) {
      throw new LoadError(name, `the data is corrupt or truncated (${(err as Error).message})`);
    }
  };

  // Sample the start for sniffing; these chunks are parsed afterwards like any other.
  const pending: Uint8Array[] = [];
  let sampled = 0;
  let lines = 0;
  for (;;) {
    const chunk = await readChunk();
    if (!chunk) break;
    pending.push(chunk);
    sampled += chunk.length;
    // indexOf is a native scan: a byte loop here cost ~25 ms on a 4 MiB first chunk.
    for (let i = chunk.indexOf(LF); i >= 0; i = chunk.indexOf(LF, i + 1)) lines++;
    if (lines >= SAMPLE_LINES || sampled >= SAMPLE_MAX) break;
  }
  const sample = concat(pending);
  let bom = 0;
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) bom = 3;
  if (sample.length - bom === 0) throw new LoadError(name, 'the file is empty');
  const nul = sample.subarray(0, 1 << 16).indexOf(0);
  if (nul >= 0) throw new LoadError(name, `this is binary data, not CSV text (a zero byte at offset ${nul})`);
  const sampleText = new TextDecoder('latin1').decode(sample.subarray(bom, Math.min(sample.length, 1 << 20)));
  if (!/\S/.test(sampleText)) throw new LoadError(name, 'the file holds only blank lines');

  const dialect = sniffDialect(sampleText, options.delimiter);
  const header = options.header === undefined || options.header === 'auto' ? dialect.header : options.header;
  // Size the column buffers from the sample's bytes per line, with a little headroom.
  const bytesPerLine = sampled / Math.max(1, lines);
  const expectedRows = Math.ceil((Math.max(expectedBytes, sample.length) / bytesPerLine) * 1.02) + 16;
  const sink = new TableSink(header, options.names?.length, Math.min(expectedRows, 1 << 27), dialect.delimiter, tuning.fastRows ?? true, tuning.wasmRows ?? true);
  const tokenizer = new CsvTokenizer(dialect.delimiter, sink);

  let lastYield = Date.now();
  const step = async (chunk: Uint8Array): Promise<void> => {
    tokenizer.push(chunk);
    progress();
    if (Date.now() - lastYield > YIELD_MS) {
      await new Promise((r) => setTimeout(r, 0));
      lastYield = Date.now();
      if (options.signal?.aborted) throw new CancelledError(name);
    }
  };
  if (options.signal?.aborted) throw new CancelledError(name);
  tokenizer.push(bom ? sample.subarray(bom) : sample);
  for (;;) {
    const chunk = await readChunk();
    if (!chunk) break;
    await step(chunk);
  }
  tokenizer.finish();
  sink.flush();
  if (tokenizer.openQuoteLine !== null) {
    throw new LoadError(name, 'a quoted field is never closed: the quote opens and the file ends', {
      line: tokenizer.openQuoteLine,
    });
  }

  // Names: the header (or generated ones), replaced by the caller's when given.
  const fatal = new TextDecoder('utf-8', { fatal: true });
  const utf8ok = (sink.headerBytes ?? []).every((b) => isUtf8(fatal, b)) && sink.columns.every((c) => c.isUtf8(fatal));
  const encoding = utf8ok ? 'utf-8' : 'latin-1';
  if (!utf8ok) warnings.push('the text is not valid UTF-8; it was read as Latin-1 (ISO-8859-1)');
  const textDecoder = new TextDecoder(utf8ok ? 'utf-8' : 'latin1');
  const width = sink.columns.length;
  const fileNames: (string | null)[] = sink.headerBytes
    ? Array.from({ length: width }, (_, i) => (sink.headerBytes![i] ? textDecoder.decode(sink.headerBytes![i]) : null))
    : Array.from({ length: width }, () => null);
  if (sink.headerBytes && sink.headerBytes.length !== width) {
    warnings.push(`the header has ${sink.headerBytes.length} names for ${width} columns`);
  }
  if (options.names && options.names.length !== width) {
    throw new LoadError(name, `${options.names.length} column names were given but the file has ${width} columns`);
  }
  const columnNames = uniqueNames(options.names ?? fileNames);
  if (!sink.headerBytes) warnings.push(`no header row: columns were named ${columnNames[0] ?? ''} … ${columnNames[width - 1] ?? ''}`);
  if (sink.rows === 0) warnings.push('the file has no data rows');

  const vectors: Record<string, Vector> = {};
  sink.columns.forEach((col, i) => {
    const colName = columnNames[i]!;
    let epoch: 'seconds' | 'milliseconds' | null = null;
    if ((col.kind === 'int' || col.kind === 'float') && EPOCH_NAME.test(colName)) {
      const [lo, hi] = col.range();
      if (lo >= 1e8 && hi <= 4.2e9) epoch = 'seconds';
      else if (lo >= 1e11 && hi <= 4.2e12) epoch = 'milliseconds';
      if (epoch) warnings.push(`column "${colName}" read as a timestamp (epoch ${epoch})`);
    }
    if (col.becameTextAt !== null) {
      warnings.push(`column "${colName}" is read as text: values of mixed types (first at line ${col.becameTextAt})`);
    }
    const nonFinite = col.nan + col.posInf + col.negInf;
    if (nonFinite > 0) {
      warnings.push(
        `column "${colName}" has ${nonFinite} non-finite value(s) (${col.nan} NaN, ${col.posInf} Infinity, ${col.negInf} -Infinity), kept as such`,
      );
    }
    vectors[colName] = makeVector(col.finish(!utf8ok, epoch));
  });

  return {
    table: new Table(vectors),
    delimiter: dialect.delimiter,
    header: sink.headerBytes !== null,
    encoding,
    columnNames,
    originalNames: fileNames,
    uncompressedBytes: total,
    skippedRows: sink.skipped,
    repairedRows: sink.repaired,
    rowIssues: sink.issues,
    warnings,
    fastRows: sink.fastRows,
  };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function isUtf8(decoder: TextDecoder, bytes: Uint8Array): boolean {
  try {
    decoder.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
