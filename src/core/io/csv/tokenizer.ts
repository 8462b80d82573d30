/**
 * A resumable byte-level CSV tokenizer (RFC 4180 plus the leniencies real logs need): chunks go
 * in as they arrive, complete rows come out as field offsets into an internal buffer. A row may
 * span any number of chunks (a 30 MB field costs amortised copying, not a rescan).
 */

import { CR, LF, QUOTE } from './bytes.ts';

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** Just read a quote inside a quoted field: either an escaped quote or the closing one. */
const QUOTE_IN_QUOTED = 3;
/** After a closing quote: expects a delimiter or a line end. */
const AFTER_QUOTE = 4;

export const FLAG_QUOTED = 1;
export const FLAG_ESCAPED = 2;
/** Characters followed a closing quote; they were kept as part of the field. */
export const FLAG_BAD_QUOTE = 4;

export interface RowSink {
  /** A complete row: fields [starts[i], ends[i]) of bytes, count fields, starting on 1-based line. */
  row(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, flags: Uint8Array, count: number, line: number): void;
  /**
   * Optionally parses whole plain rows from bytes[i…] itself, each ending before `end` (just past
   * a line break): where the first row it did not take starts (i when none).
   */
  fastRow?(bytes: Uint8Array, i: number, end: number): number;
  /** Rows (lines) the last fastRow call took. */
  fastParsed?: number;
}

export class CsvTokenizer {
  private buf: Uint8Array = new Uint8Array(1 << 16);
  private len = 0;
  private pos = 0;
  private rowStart = 0;
  private state = FIELD_START;
  private fieldStart = 0;
  private fieldFlags = 0;
  private starts: Int32Array = new Int32Array(64);
  private ends: Int32Array = new Int32Array(64);
  private flags: Uint8Array = new Uint8Array(64);
  private count = 0;
  /** Line number at the scan position, and where the current row began. */
  private line = 1;
  private rowLine = 1;
  /** A CR ended the last row; a following LF belongs to it. */
  private afterCR = false;
  /** Just past the last line break (LF or CR) in the buffer: rows before it are complete. */
  private safeEnd = 0;
  private readonly delim: number;
  private readonly sink: RowSink;
  private readonly fastRow: boolean;

  constructor(delimiter: string, sink: RowSink) {
    this.delim = delimiter.charCodeAt(0);
    this.sink = sink;
    this.fastRow = sink.fastRow !== undefined;
    // Run the scanner's exit once before any data: an optimised (OSR) scan otherwise meets its
    // write-back stores without type feedback and deoptimises at the end of every chunk.
    this.scan();
  }

  /** Line where an unfinished quoted field began, when the input ended inside it. */
  openQuoteLine: number | null = null;

  push(chunk: Uint8Array): void {
    this.compact(chunk.length);
    this.buf.set(chunk, this.len);
    const from = this.len;
    this.len += chunk.length;
    const b = this.buf;
    for (let i = this.len - 1; i >= from; i--) {
      const c = b[i];
      if (c === 0x0a || c === 0x0d) {
        this.safeEnd = i + 1;
        break;
      }
    }
    this.scan();
  }

  /** Ends the input: flushes a last row without a final newline. */
  finish(): void {
    this.scan();
    if (this.state === QUOTED) {
      this.openQuoteLine = this.rowLine;
      return;
    }
    if (this.state === UNQUOTED) this.endField(this.fieldStart, this.len);
    else if (this.state === AFTER_QUOTE || this.state === QUOTE_IN_QUOTED) this.endField(this.fieldStart, this.len - 1);
    else if (this.state === FIELD_START && this.count > 0) this.endField(this.len, this.len);
    if (this.count > 0) this.endRow(this.len);
  }

  private scan(): void {
    const b = this.buf;
    const n = this.len;
    const delim = this.delim;
    let i = this.pos;
    let state = this.state;
    while (i < n) {
      if (state === FIELD_START) {
        if (this.afterCR) {
          this.afterCR = false;
          if (b[i] === LF && this.count === 0) {
            i++;
            this.rowStart = i;
            continue;
          }
        }
        if (this.count === 0 && this.fastRow && i < this.safeEnd) {
          const next = this.sink.fastRow!(b, i, this.safeEnd);
          if (next > i) {
            i = next;
            this.rowStart = i;
            this.line += this.sink.fastParsed!;
            this.rowLine = this.line;
            continue;
          }
        }
        if (b[i] === QUOTE) {
          state = QUOTED;
          this.fieldStart = i + 1;
          this.fieldFlags = FLAG_QUOTED;
          i++;
          continue;
        }
        this.fieldStart = i;
        this.fieldFlags = 0;
        state = UNQUOTED;
      }
      if (state === UNQUOTED) {
        let c = 0;
        while (i < n) {
          c = b[i]!;
          if (c === delim || c === LF || c === CR) break;
          i++;
        }
        if (i === n) break;
        this.endField(this.fieldStart, i);
        state = FIELD_START;
        i++;
        if (c !== delim) i = this.lineEnd(c, i);
        continue;
      }
      if (state === QUOTED) {
        while (i < n) {
          const c = b[i]!;
          if (c === QUOTE) break;
          if (c === LF) this.line++;
          i++;
        }
        if (i === n) break;
        state = QUOTE_IN_QUOTED;
        i++;
        continue;
      }
      if (state === QUOTE_IN_QUOTED) {
        if (b[i] === QUOTE) {
          this.fieldFlags |= FLAG_ESCAPED;
          state = QUOTED;
          i++;
          continue;
        }
        state = AFTER_QUOTE;
        continue;
      }
      // AFTER_QUOTE: the field ended one byte before i (the closing quote).
      const c = b[i]!;
      if (c === delim || c === LF || c === CR) {
        this.endField(this.fieldStart, i - 1);
        state = FIELD_START;
        i++;
        if (c !== delim) i = this.lineEnd(c, i);
        continue;
      }
      // Stray text after a closing quote: keep it, quote included, as part of the field.
      this.fieldFlags |= FLAG_BAD_QUOTE;
      state = UNQUOTED;
    }
    this.pos = i;
    this.state = state;
  }

  /** A row ended at a line break c; returns where scanning goes on. */
  private lineEnd(c: number, i: number): number {
    this.endRow(i);
    this.line++;
    this.rowLine = this.line;
    if (c === CR) this.afterCR = true;
    return i;
  }

  private endField(s: number, e: number): void {
    if (this.count === this.starts.length) {
      const cap = this.count * 2;
      this.starts = grow(this.starts, cap) as Int32Array;
      this.ends = grow(this.ends, cap) as Int32Array;
      const f = new Uint8Array(cap);
      f.set(this.flags);
      this.flags = f;
    }
    this.starts[this.count] = s;
    this.ends[this.count] = e;
    this.flags[this.count] = this.fieldFlags;
    this.count++;
  }

  private endRow(next: number): void {
    const blank = this.count === 1 && this.starts[0] === this.ends[0] && this.flags[0] === 0;
    if (!blank) this.sink.row(this.buf, this.starts, this.ends, this.flags, this.count, this.rowLine);
    this.count = 0;
    this.rowStart = next;
  }

  /** Drops consumed bytes and makes room for `incoming` more, shifting the open row's offsets. */
  private compact(incoming: number): void {
    const keep = this.len - this.rowStart;
    const shift = this.rowStart;
    if (shift > 0) {
      this.buf.copyWithin(0, shift, this.len);
      for (let k = 0; k < this.count; k++) {
        this.starts[k]! -= shift;
        this.ends[k]! -= shift;
      }
      this.fieldStart -= shift;
      this.pos -= shift;
      this.safeEnd = Math.max(0, this.safeEnd - shift);
      this.len = keep;
      this.rowStart = 0;
    }
    if (this.len + incoming > this.buf.length) {
      let cap = this.buf.length;
      while (cap < this.len + incoming) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
  }
}

function grow(a: Int32Array, cap: number): Int32Array {
  const next = new Int32Array(cap);
  next.set(a);
  return next;
}
