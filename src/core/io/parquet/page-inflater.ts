import { parsePageHeader, type ColumnChunkMeta, type PageHeader } from './parquet-footer.ts';
import { snappyUncompress } from './snappy.ts';
import { snappyWasm, type SnappyDecoder } from './snappy-wasm.ts';

/** Codecs (parquet.thrift CompressionCodec) the native reader decompresses; others go to parquet-wasm. */
export const UNCOMPRESSED = 0;
export const SNAPPY = 1;
export const GZIP = 2;
export const NATIVE_CODECS = new Set([UNCOMPRESSED, SNAPPY, GZIP]);

/** A page beyond this size (uncompressed) is taken as a damaged header rather than allocated. */
const MAX_PAGE_BYTES = 1 << 30;

/** A column chunk's pages, header by header: [start, end) of the chunk in the file. */
export function chunkRange(chunk: ColumnChunkMeta, fileEnd: number): [number, number] {
  const dict = chunk.dictionaryPageOffset;
  const start = dict !== undefined && dict > 0 && dict < chunk.dataPageOffset ? dict : chunk.dataPageOffset;
  const end = start + chunk.compressedSize;
  if (start < 4 || end > fileEnd) throw new Error('a column chunk lies outside the file');
  return [start, end];
}

/** Where a page's compressed bytes start: after the levels of a DATA_PAGE_V2, which are never compressed. */
export function compressedStart(h: PageHeader): number {
  return h.type === 3 ? h.dataStart + h.defBytes + h.repBytes : h.dataStart;
}

/**
 * Decompresses pages. Snappy goes into one reused buffer (a page is decoded before the next is
 * read: WebAssembly memory, or the JS loop's buffer where there is no WebAssembly); GZIP pages are gunzipped ahead, per row group, by the web-standard DecompressionStream
 * (asynchronous, native in browsers and Node).
 */
export class PageInflater {
  private scratch = new Uint8Array(1 << 16);
  /** The WebAssembly decoder (snappy-wasm.ts), started at the first snappy page; null: the JS loop. */
  private snappy: SnappyDecoder | null | undefined;
  private readonly gunzipped = new Map<number, Uint8Array>();

  /** Forgets the pages gunzipped for the last row group. */
  reset(): void {
    this.gunzipped.clear();
  }

  /** Gunzips the GZIP pages of this chunk, so `inflate` finds them. */
  async prepare(file: Uint8Array, chunk: ColumnChunkMeta, fileEnd: number): Promise<void> {
    if (chunk.codec !== GZIP) return;
    const [start, end] = chunkRange(chunk, fileEnd);
    for (let pos = start; pos < end; ) {
      const h = parsePageHeader(file, pos, end);
      const dataEnd = h.dataStart + h.compressedSize;
      if (dataEnd > end) throw new Error('a page runs past its column chunk');
      const from = compressedStart(h);
      if (h.type !== 1 && (h.type !== 3 || h.compressed) && from < dataEnd) {
        this.gunzipped.set(from, await gunzip(file.subarray(from, dataEnd)));
      }
      pos = dataEnd;
    }
  }

  /** The `size` bytes that file[start, end) decompresses to. */
  inflate(codec: number, file: Uint8Array, start: number, end: number, size: number): Uint8Array {
    if (size < 0 || size > MAX_PAGE_BYTES) throw new Error(`a page claims ${size} bytes`);
    if (codec === UNCOMPRESSED) {
      if (end - start !== size) throw new Error('an uncompressed page has the wrong size');
      return file.subarray(start, end);
    }
    if (codec === SNAPPY) {
      if (this.snappy === undefined) this.snappy = threadSnappy === undefined ? (threadSnappy = snappyWasm()) : threadSnappy;
      if (this.snappy) return this.snappy.uncompress(file, start, end, size);
      if (this.scratch.length < size) this.scratch = new Uint8Array(Math.max(size, this.scratch.length * 2));
      snappyUncompress(file, start, end, this.scratch, size);
      return this.scratch.subarray(0, size);
    }
    const out = this.gunzipped.get(start);
    if (!out) throw new Error('a gzip page was not prepared');
    if (out.length !== size) throw new Error(`gzip: ${out.length} bytes, not the ${size} the page header says`);
    return out;
  }
}

/**
 * This thread's snappy decoder (null: none here), kept from load to load as the index kernel is
 * (native-column.ts): a page's bytes are read out of its memory before the next page is inflated.
 */
let threadSnappy: ReturnType<typeof snappyWasm> | undefined;

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
