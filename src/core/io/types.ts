import type { ParquetColumnHelper } from './parquet/column-share.ts';

/** What the loaders read from: a browser File, a Node file, or bytes in memory, behind one shape. */
export interface ByteSource {
  /** File name as the user knows it; every message names it. */
  readonly name: string;
  /** Size in bytes on disk (compressed size for .gz). */
  readonly size: number;
  /** The bytes from start to end (exclusive); used for magic numbers, gzip trailers, Parquet. */
  slice(start: number, end: number): Promise<Uint8Array>;
  /** The whole file as a stream of chunks, never as one string. */
  stream(): ReadableStream<Uint8Array>;
  /** The Blob behind the source, when there is one (Parquet reads row groups from it lazily). */
  readonly blob?: Blob;
}

export type FileFormat = 'csv' | 'csv.gz' | 'parquet';

export interface Progress {
  /** e.g. "reading", "parsing", "profiling". */
  stage: string;
  /** Units done and total (bytes for loading, columns for profiling). total 0 = unknown. */
  done: number;
  total: number;
}

export type ProgressCallback = (progress: Progress) => void;

export interface LoadOptions {
  /** Column names to use instead of the header (or of generated names for headerless files). */
  names?: string[];
  /** true: first row is a header; false: it is data; 'auto' (default): sniffed. */
  header?: boolean | 'auto';
  /** Field delimiter; sniffed among , ; tab | when absent. */
  delimiter?: string;
  /** Refuse to load when the estimated in-memory size exceeds this many bytes. */
  memoryLimitBytes?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /**
   * Gzip decompression. Defaults to the web-standard DecompressionStream (native in browsers);
   * Node passes its zlib, several times faster there than Node's DecompressionStream.
   */
  gunzip?: (compressed: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array>;
  /**
   * Helper threads that decode shares of a Parquet file's columns while this thread decodes the
   * rest (src/workers/parquet-pool*.ts); without it, one thread decodes them all (the same table).
   */
  parquetHelper?: ParquetColumnHelper;
}

/** One row the loader changed or dropped, with its 1-based line number in the file. */
export interface RowIssue {
  line: number;
  action: 'skipped' | 'repaired';
  reason: string;
}

export interface LoadReport {
  file: string;
  format: FileFormat;
  rows: number;
  columns: number;
  seconds: number;
  /** Bytes of the file as given, and after decompression. */
  bytes: number;
  uncompressedBytes: number;
  /** Bytes held by the Arrow table's buffers. */
  arrowBytes: number;
  /** CSV only. */
  delimiter?: string;
  header: boolean;
  encoding: 'utf-8' | 'latin-1' | 'binary';
  /** Final, unique, trimmed column names, and what the file said (null where it said nothing). */
  columnNames: string[];
  originalNames: (string | null)[];
  skippedRows: number;
  repairedRows: number;
  /** The first issues with line numbers (capped; the counts above are complete). */
  rowIssues: RowIssue[];
  warnings: string[];
}

/** A load that cannot go on: names the file and, where it applies, the line and column. */
export class LoadError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly column?: string;

  constructor(file: string, message: string, where: { line?: number; column?: string } = {}) {
    const at = [where.line !== undefined ? `line ${where.line}` : '', where.column ? `column "${where.column}"` : '']
      .filter(Boolean)
      .join(', ');
    super(`${file}: ${message}${at ? ` (${at})` : ''}`);
    this.name = 'LoadError';
    this.file = file;
    this.line = where.line;
    this.column = where.column;
  }
}

/** Thrown when the AbortSignal fires; callers tell it from a failure by name. */
export class CancelledError extends Error {
  constructor(file: string) {
    super(`${file}: loading cancelled`);
    this.name = 'CancelledError';
  }
}
