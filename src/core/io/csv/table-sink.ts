import type { RowIssue } from '../types.ts';
import { ColumnBuilder } from './column-builder.ts';
import type { PlainRows } from './fast-rows.ts';
import { plainRows } from './fast-rows-wasm.ts';
import { FLAG_BAD_QUOTE, FLAG_ESCAPED, type RowSink } from './tokenizer.ts';

const MAX_ISSUES = 200;
/** Data rows the general path reads before the fast path starts (the column types settle). */
const WARM_ROWS = 1000;

/** Receives tokenized rows: the header (when there is one), then data rows into column builders. */
export class TableSink implements RowSink {
  headerBytes: Uint8Array[] | null = null;
  columns: ColumnBuilder[] = [];
  rows = 0;
  skipped = 0;
  repaired = 0;
  readonly issues: RowIssue[] = [];
  private expectHeader: boolean;
  private width = -1;

  private readonly capacity: number;
  private readonly delimiter: number;
  private fast: PlainRows | null = null;
  fastRows = 0;
  private fastTried = 0;
  private fastFailed = 0;

  private readonly allowFast: boolean;
  private readonly allowWasm: boolean;

  /** capacity: the expected number of rows, to size column buffers once. */
  constructor(header: boolean, width: number | undefined, capacity: number, delimiter: string, allowFast = true, allowWasm = true) {
    this.expectHeader = header;
    this.allowFast = allowFast;
    this.allowWasm = allowWasm;
    this.delimiter = delimiter.charCodeAt(0);
    this.capacity = capacity;
    if (width !== undefined) this.setWidth(width);
  }

  /** Rows the last fastRow call read (each is one line). */
  fastParsed = 0;

  /**
   * The fast path for plain rows from b[i…], each ending before `end` (just past a line break):
   * where the first row it did not take starts (i when none); fastParsed says how many it took.
   */
  fastRow(b: Uint8Array, i: number, end: number): number {
    const fast = this.fast;
    this.fastParsed = 0;
    if (fast === null) return i;
    const next = fast.parseRows(b, i, end);
    const rows = fast.parsed;
    this.fastParsed = rows;
    this.rows += rows;
    this.fastRows += rows;
    this.fastTried += rows;
    if (next === end) return next;
    // Rows the fast path keeps giving back (many blanks, quotes): stop trying.
    this.fastTried++;
    if (++this.fastFailed * 4 > this.fastTried && this.fastTried > 2000) {
      fast.sync();
      this.fast = null;
    }
    return next;
  }

  /** Column lengths are final (call after the last row). */
  flush(): void {
    this.fast?.sync();
  }

  row(b: Uint8Array, starts: Int32Array, ends: Int32Array, flags: Uint8Array, count: number, line: number): void {
    this.fast?.sync();
    if (this.expectHeader) {
      this.expectHeader = false;
      this.headerBytes = [];
      for (let i = 0; i < count; i++) this.headerBytes.push(b.slice(starts[i]!, ends[i]!));
      if (this.width < 0) this.setWidth(count);
      return;
    }
    if (this.width < 0) this.setWidth(count);
    const width = this.width;
    let n = count;
    if (count > width) {
      let extraEmpty = true;
      for (let i = width; i < count; i++) if (ends[i] !== starts[i]) extraEmpty = false;
      if (!extraEmpty) {
        this.note(line, 'skipped', `${count} fields where the header has ${width}`);
        return;
      }
      this.note(line, 'repaired', `${count - width} trailing empty field(s) dropped`);
      n = width;
    } else if (count < width) {
      this.note(line, 'repaired', `${count} fields where the header has ${width}; the missing ones are empty`);
    }
    const cols = this.columns;
    let badQuote = -1;
    for (let i = 0; i < n; i++) {
      const f = flags[i]!;
      if (f & FLAG_ESCAPED) cols[i]!.addEscaped(b, starts[i]!, ends[i]!, line);
      else cols[i]!.add(b, starts[i]!, ends[i]!, line);
      if (f & FLAG_BAD_QUOTE && badQuote < 0) badQuote = i;
    }
    for (let i = n; i < width; i++) cols[i]!.pushNull();
    if (badQuote >= 0 && count <= width) this.note(line, 'repaired', `text after a closing quote in field ${badQuote + 1} kept`);
    this.rows++;
    if (this.fast) this.fast.refresh();
    else if (this.rows === WARM_ROWS && this.fastTried === 0 && this.allowFast) {
      const fast = plainRows(this.columns, this.delimiter, this.allowWasm);
      if (fast.usable()) this.fast = fast;
    }
  }

  private setWidth(width: number): void {
    this.width = width;
    this.columns = Array.from({ length: width }, () => new ColumnBuilder(this.capacity));
  }

  private note(line: number, action: RowIssue['action'], reason: string): void {
    if (action === 'skipped') this.skipped++;
    else this.repaired++;
    if (this.issues.length < MAX_ISSUES) this.issues.push({ line, action, reason });
  }
}
