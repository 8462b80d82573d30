import type { ColumnAssembler, NumberArray } from './column-assembler.ts';
import { gatherWords } from './dictionary-gather.ts';
import { decodeHybrid, RunList } from './hybrid.ts';
import { HybridGatherJs, hybridGatherWasm, type HybridGather } from './hybrid-gather.ts';
import type { LeafPlan } from './native-schema.ts';
import { decodeDictionary, decodePlain, decodeTextEntries, type PlainTarget } from './native-values.ts';
import { chunkRange, compressedStart, UNCOMPRESSED, type PageInflater } from './page-inflater.ts';
import { parsePageHeader, type ColumnChunkMeta, type PageHeader } from './parquet-footer.ts';

/** Thrown when a page needs what the native reader does not do; the whole file goes to parquet-wasm. */
export class NativeUnsupported extends Error {}

/** Encodings (parquet.thrift Encoding). */
const PLAIN = 0;
const PLAIN_DICTIONARY = 2;
const RLE = 3;
const RLE_DICTIONARY = 8;

const DATA_PAGE = 0;
const DICTIONARY_PAGE = 2;
const DATA_PAGE_V2 = 3;

/**
 * This thread's index kernel, kept from load to load: its memory stays grown and faulted in. Safe
 * to share: a page's look-up runs start to end without a pause, and its dictionary is copied in
 * whenever another array comes.
 */
let threadGather: HybridGather | undefined;

/** Buffers reused from page to page (each page is finished before the next is read). */
export class Scratch {
  /** Int32 like the indices, so the hybrid decoder sees one array type (and stays monomorphic). */
  levels: Int32Array = new Int32Array(1024);
  indices: Int32Array = new Int32Array(1024);
  /** Values of narrow integer columns on their way through 32-bit words. */
  words: Int32Array = new Int32Array(1024);
  readonly runs = new RunList();
  private kernel: HybridGather | undefined;

  /** The index decoder and look-up (hybrid-gather.ts): WebAssembly, or its JS twin where there is none. */
  gatherKernel(): HybridGather {
    return (this.kernel ??= threadGather ??= hybridGatherWasm() ?? new HybridGatherJs());
  }

  levelBuffer(n: number): Int32Array {
    return (this.levels = atLeast(this.levels, n));
  }

  indexBuffer(n: number): Int32Array {
    return (this.indices = atLeast(this.indices, n));
  }

  wordBuffer(n: number): Int32Array {
    return (this.words = atLeast(this.words, n));
  }
}

function atLeast(buffer: Int32Array, n: number): Int32Array {
  return buffer.length >= n ? buffer : new Int32Array(n * 2);
}

/**
 * Decodes one flat column's chunks (PLAIN and dictionary pages, v1 and v2) straight into its
 * preallocated column: dictionary pages become arrays in the column's own value type (codes, for
 * text), so a row costs one index lookup; rows with nulls go through a dense buffer and are spread.
 */
export class NativeColumn {
  private readonly asm: ColumnAssembler;
  private readonly target: PlainTarget;
  private readonly optional: boolean;
  private readonly isBool: boolean;
  /** The chunk's dictionary as 32-bit words, `words` per entry (see gatherWords). */
  private dict: Int32Array | null = null;
  private words: 1 | 2 = 1;
  /** Lazily coded text: entries not yet coded. */
  private unresolved = 0;
  private dictInexact: Uint8Array | null = null;
  private readonly wholeDictionary: boolean;
  /** Text coded in row order: the page dictionary's entries, coded at first use (code -1 until then). */
  private entries: { bytes: Uint8Array; bounds: Int32Array } | null = null;

  constructor(plan: LeafPlan, asm: ColumnAssembler) {
    this.asm = asm;
    this.optional = plan.optional;
    this.isBool = plan.convert === 'bool';
    this.wholeDictionary = plan.wholeDictionary;
    this.target = { convert: plan.convert, scale: plan.scale, dict: asm.dictionary, inexact: 0 };
  }

  /** Reads one row group's chunk of this column, which must hold `rows` values. */
  readChunk(file: Uint8Array, chunk: ColumnChunkMeta, rows: number, fileEnd: number, pages: PageInflater, scratch: Scratch): void {
    const [start, end] = chunkRange(chunk, fileEnd);
    this.dict = null;
    this.dictInexact = null;
    this.entries = null;
    this.unresolved = 0;
    let done = 0;
    let pos = start;
    while (done < rows) {
      if (pos >= end) throw new Error(`the column chunk ends after ${done} of its ${rows} values`);
      const h = parsePageHeader(file, pos, end);
      const dataEnd = h.dataStart + h.compressedSize;
      if (h.compressedSize < 0 || dataEnd > end) throw new Error('a page runs past its column chunk');
      if (h.type === DICTIONARY_PAGE) this.readDictionary(file, h, chunk.codec, pages);
      else if (h.type === DATA_PAGE || h.type === DATA_PAGE_V2) {
        if (h.values <= 0 || h.values > rows - done) throw new Error(`a page of ${h.values} values in a chunk of ${rows - done} more rows`);
        this.readPage(file, h, chunk.codec, pages, scratch);
        done += h.values;
      }
      pos = dataEnd;
    }
    this.asm.inexact += this.target.inexact;
    this.target.inexact = 0;
  }

  private readDictionary(file: Uint8Array, h: PageHeader, codec: number, pages: PageInflater): void {
    if (h.encoding !== PLAIN && h.encoding !== PLAIN_DICTIONARY) throw new NativeUnsupported(`dictionary encoding ${h.encoding}`);
    if (this.isBool) throw new NativeUnsupported('a dictionary of booleans');
    const body = pages.inflate(codec, file, h.dataStart, h.dataStart + h.compressedSize, h.uncompressedSize);
    // Every entry takes at least a byte: a bigger count is damage, not something to allocate.
    if (h.values < 0 || h.values > body.length) throw new Error(`a dictionary page of ${h.values} entries in ${body.length} bytes`);
    if (this.target.convert === 'bytes' && !this.wholeDictionary) {
      this.entries = decodeTextEntries(body, 0, body.length, h.values);
      this.dict = new Int32Array(h.values).fill(-1);
      this.unresolved = h.values;
      this.words = 1;
      return;
    }
    // Narrow integer columns keep their dictionary in Int32 (see readValues).
    const column = this.out();
    const Ctor = (column.BYTES_PER_ELEMENT < 4 ? Int32Array : column.constructor) as new (n: number) => NumberArray;
    const { values, inexact } = decodeDictionary(this.target, Ctor, body, 0, body.length, h.values);
    this.dict = wordsOf(values);
    this.words = values.BYTES_PER_ELEMENT === 8 ? 2 : 1;
    this.dictInexact = inexact;
  }

  private readPage(file: Uint8Array, h: PageHeader, codec: number, pages: PageInflater, scratch: Scratch): void {
    const n = h.values;
    this.asm.room(n);
    let levels: Uint8Array;
    let lpos: number;
    let lend: number;
    let body: Uint8Array;
    let pos = 0;
    if (h.type === DATA_PAGE_V2) {
      if (h.repBytes !== 0) throw new Error('repetition levels in a flat column');
      levels = file;
      lpos = h.dataStart;
      lend = h.dataStart + h.defBytes;
      const from = compressedStart(h);
      const size = h.uncompressedSize - h.defBytes - h.repBytes;
      body = pages.inflate(h.compressed ? codec : UNCOMPRESSED, file, from, h.dataStart + h.compressedSize, size);
    } else {
      body = pages.inflate(codec, file, h.dataStart, h.dataStart + h.compressedSize, h.uncompressedSize);
      levels = body;
      lpos = 0;
      lend = 0;
      if (this.optional) {
        if (h.defEncoding !== RLE) throw new NativeUnsupported(`definition levels in encoding ${h.defEncoding}`);
        if (body.length < 4) throw new Error('the page ends before its definition levels');
        lpos = 4;
        lend = 4 + ((body[0]! | (body[1]! << 8) | (body[2]! << 16) | (body[3]! << 24)) >>> 0);
        if (lend > body.length) throw new Error('definition levels run past the page');
        pos = lend;
      }
    }
    // Definition levels: 1 = a value, 0 = null. A v2 header counts the nulls, so a page without
    // any skips them.
    let valid: Int32Array | null = null;
    let nulls = 0;
    if (this.optional && !(h.type === DATA_PAGE_V2 && h.nulls === 0)) {
      valid = scratch.levelBuffer(n);
      decodeHybrid(levels, lpos, lend, 1, n, valid);
      for (let i = 0; i < n; i++) nulls += valid[i]! ^ 1;
    } else if (!this.optional && h.type === DATA_PAGE_V2 && h.nulls !== 0) throw new Error('nulls in a required column');
    const present = n - nulls;
    const at = this.asm.position;
    if (this.isBool) this.readBools(h, body, pos, n, valid, present, at);
    else if (nulls === 0) this.readValues(h, body, pos, present, this.out(), at, scratch);
    else {
      const Ctor = this.out().constructor as new (n: number) => NumberArray;
      const dense = new Ctor(present);
      this.readValues(h, body, pos, present, dense, 0, scratch);
      const out = this.out();
      for (let i = 0, j = 0; i < n; i++) if (valid![i]) out[at + i] = dense[j++]!;
    }
    this.asm.advance(n, valid, nulls);
  }

  private out(): NumberArray {
    return this.asm.values ?? this.asm.codes!;
  }

  private readValues(h: PageHeader, body: Uint8Array, pos: number, n: number, out: NumberArray, at: number, scratch: Scratch): void {
    const enc = h.encoding;
    if (enc === PLAIN) {
      decodePlain(this.target, body, pos, body.length, n, out, at);
      return;
    }
    if (enc !== PLAIN_DICTIONARY && enc !== RLE_DICTIONARY) throw new NativeUnsupported(`encoding ${enc}`);
    const dict = this.dict;
    if (!dict) throw new Error('dictionary indices without a dictionary page');
    if (pos >= body.length) throw new Error('the page ends before its values');
    const flags = this.dictInexact;
    if (!flags) {
      // One pass decodes the indices and looks them up (WebAssembly, or its JS twin); narrow
      // integer columns go through 32-bit words.
      const kernel = scratch.gatherKernel();
      const narrow = out.BYTES_PER_ELEMENT < 4;
      const words = narrow ? scratch.wordBuffer(n) : wordsOf(out);
      const to = narrow ? 0 : at;
      if (this.unresolved > 0) kernel.gatherText(body, pos + 1, body.length, body[pos]!, n, dict, words, to, (entries) => this.codeText(entries));
      else kernel.gather(body, pos + 1, body.length, body[pos]!, n, dict, this.words, words, to);
      if (narrow) out.set(words.subarray(0, n), at);
      return;
    }
    // 64-bit integers, some beyond 2^53: the rows of those entries are counted, so the indices are kept.
    const indices = scratch.indexBuffer(n);
    const runs = scratch.runs;
    runs.count = 0;
    decodeHybrid(body, pos + 1, body.length, body[pos]!, n, indices, runs);
    gatherWords(indices, n, runs, dict, this.words, wordsOf(out), at);
    for (let i = 0; i < n; i++) this.target.inexact += flags[indices[i]!]!;
  }

  /** Codes text entries used for the first time, in the order of first use (as parquet-wasm's rows are). */
  private codeText(entries: Int32Array): void {
    const { bytes, bounds } = this.entries!;
    const map = this.dict!;
    const dict = this.target.dict;
    for (const k of entries) {
      map[k] = dict.code(bytes, bounds[2 * k]!, bounds[2 * k + 1]!);
      this.unresolved--;
    }
  }

  /** Booleans, PLAIN (bit-packed) or RLE (length-prefixed), into the column's bitmap. */
  private readBools(h: PageHeader, body: Uint8Array, pos: number, n: number, valid: Int32Array | null, present: number, at: number): void {
    const bits = new Int32Array(present);
    if (h.encoding === PLAIN) decodePlain(this.target, body, pos, body.length, present, bits, 0);
    else if (h.encoding === RLE) {
      if (pos + 4 > body.length) throw new Error('the page ends before its values');
      decodeHybrid(body, pos + 4, body.length, 1, present, bits);
    } else throw new NativeUnsupported(`boolean encoding ${h.encoding}`);
    const bitmap = this.asm.values as Uint8Array;
    for (let i = 0, j = 0; i < n; i++) {
      if (valid && !valid[i]) continue;
      const r = at + i;
      if (bits[j++]) bitmap[r >> 3]! |= 1 << (r & 7);
    }
  }
}

/** A 4- or 8-byte typed array's storage as 32-bit words. */
function wordsOf(a: NumberArray): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.byteLength >> 2);
}
