import type { ColumnBuilder } from './column-builder.ts';
import { POW10, isNullToken } from './parse-number.ts';

/** Column kinds on the fast paths; 0 is a kind they leave to the general tokenizer. */
export const INT = 1;
export const FLOAT = 2;
export const TEXT = 3;

/**
 * A fast path for plain rows (FastRows, or WasmFastRows in fast-rows-wasm.ts): the columns it
 * writes, their kinds, and the rows it has read, which the columns' lengths catch up with in sync().
 */
export abstract class PlainRows {
  protected readonly columns: ColumnBuilder[];
  protected readonly delim: number;
  protected kinds = new Uint8Array(0);
  /** Rows below this index fit every column's buffer. */
  protected limit = 0;
  /** The next row's index; column lengths catch up in sync(). */
  protected row = 0;
  /** Rows read by the last parseRows call. */
  parsed = 0;

  /** Subclasses call refresh() once their own fields exist. */
  constructor(columns: ColumnBuilder[], delimiter: number) {
    this.columns = columns;
    this.delim = delimiter;
  }

  /** True when every column has a type this path parses (int, float or text). */
  usable(): boolean {
    return this.kinds.every((k) => k !== 0);
  }

  /**
   * Brings every column's length up to the rows this path has read: before the general path
   * takes a row, and at the end. (Writing 42 lengths per row would cost more than parsing.)
   */
  sync(): void {
    for (const col of this.columns) col.length = this.row;
  }

  /** Re-reads the columns' types and buffers (after the general path changed or grew one). */
  refresh(): void {
    const cols = this.columns;
    this.kinds = Uint8Array.from(cols, (c) => (c.kind === 'int' ? INT : c.kind === 'float' ? FLOAT : c.kind === 'string' ? TEXT : 0));
    this.limit = Math.min(...cols.map((c) => c.cap));
    this.row = cols[0]?.length ?? 0;
  }

  /**
   * Parses plain rows from b[i…]; every row must end before `end`, which lies just past a line
   * break. Returns where the first row it did not take starts (i when none); `parsed` says how
   * many it took.
   */
  abstract parseRows(b: Uint8Array, i: number, end: number): number;
}

/**
 * The fast path for plain rows, once the column types have settled: one pass over the bytes of a
 * run of rows that parses every field in place (no field offsets, no call per field except text
 * hashing). Anything unusual — a quote, a value that does not fit its column, a missing or extra
 * field — stops the run and the general tokenizer takes that row; values this path wrote for it
 * are overwritten there, because a row is committed only at its end.
 *
 * Hot-loop notes (measured on KDD99, 75 MB): byte values are literals, not imported constants
 * (unbundled ES modules re-read an imported binding, with a hole check, on every use); callers
 * pass `end` just past the last line break in the buffer, so the inner loops need no bounds test
 * (every field ends at a delimiter or a line break before `end`); a text field equal to the same
 * column's field in the row before takes its code without hashing.
 */
export class FastRows extends PlainRows {
  private ints: Int32Array[] = [];
  private floats: Float64Array[] = [];
  /** stamp[c] === row + 1 marks column c missing in the row being parsed (no per-field reset). */
  private stamp = new Int32Array(0);
  /** Columns with a validity buffer: the only ones whose values may be missing on this path. */
  private validCols = new Int32Array(0);
  /** The previous row's text field per column, within the current buffer: start, end, code. */
  private prevStart = new Int32Array(0);
  private prevEnd = new Int32Array(0);
  private prevCode = new Int32Array(0);

  constructor(columns: ColumnBuilder[], delimiter: number) {
    super(columns, delimiter);
    this.refresh();
  }

  override refresh(): void {
    super.refresh();
    const cols = this.columns;
    this.ints = cols.map((c) => c.ints);
    this.floats = cols.map((c) => c.floats);
    this.stamp = new Int32Array(cols.length);
    this.validCols = Int32Array.from(cols.flatMap((c, i) => (c.valid ? [i] : [])));
    this.prevStart = new Int32Array(cols.length);
    this.prevEnd = new Int32Array(cols.length).fill(-1);
    this.prevCode = new Int32Array(cols.length);
  }

  parseRows(b: Uint8Array, i: number, end: number): number {
    const cols = this.columns;
    const k = cols.length;
    const limit = this.limit;
    const kinds = this.kinds;
    const stamp = this.stamp;
    const delim = this.delim;
    const ints = this.ints;
    const floats = this.floats;
    const validCols = this.validCols;
    const prevStart = this.prevStart;
    const prevEnd = this.prevEnd;
    const prevCode = this.prevCode;
    const pow10 = POW10;
    // Offsets into b from an earlier call may point at bytes the tokenizer has since moved.
    prevEnd.fill(-1);
    // A call ends at a row it gave back; if the general path then skipped that row, the next row
    // gets the same mark, so that row's stamps must not survive.
    stamp.fill(0);
    const first = this.row;
    let row = first;
    let next = i;
    rows: while (next < end && row < limit) {
      const mark = row + 1;
      let p = next;
      let anyNull = false;
      for (let c = 0; c < k; c++) {
        const s = p;
        const kind = kinds[c];
        let ch = b[p]!;
        if (kind === TEXT) {
          // 0x0a LF, 0x0d CR, 0x22 quote.
          while (ch !== delim && ch !== 0x0a && ch !== 0x0d) ch = b[++p]!;
          if (b[s] === 0x22) break rows;
          if (p === s) {
            stamp[c] = mark;
            anyNull = true;
          } else {
            const len = p - s;
            const ps = prevStart[c]!;
            let same = prevEnd[c]! - ps === len;
            for (let j = 0; same && j < len; j++) same = b[s + j] === b[ps + j];
            if (same) ints[c]![row] = prevCode[c]!;
            else if (isNullToken(b, s, p)) break rows;
            else {
              const code = cols[c]!.dict!.code(b, s, p);
              ints[c]![row] = code;
              prevStart[c] = s;
              prevEnd[c] = p;
              prevCode[c] = code;
            }
          }
        } else {
          // 0x2d minus, 0x2e dot, 0x30–0x39 digits.
          const neg = ch === 0x2d;
          if (neg) ch = b[++p]!;
          const digits = p;
          let m = 0;
          while (ch >= 0x30 && ch <= 0x39) {
            m = m * 10 + (ch - 0x30);
            ch = b[++p]!;
          }
          if (kind === FLOAT && ch === 0x2e) {
            const dot = ++p;
            ch = b[p]!;
            while (ch >= 0x30 && ch <= 0x39) {
              m = m * 10 + (ch - 0x30);
              ch = b[++p]!;
            }
            const frac = p - dot;
            if (frac === 0 || p - digits - 1 > 15) break rows;
            const v = m / pow10[frac]!;
            floats[c]![row] = neg ? -v : v;
          } else {
            const len = p - digits;
            if (len === 0) {
              if (neg) break rows;
              stamp[c] = mark;
              anyNull = true;
            } else if (kind === INT) {
              if (len > 9) break rows;
              ints[c]![row] = neg ? -m : m;
            } else {
              if (len > 15) break rows;
              floats[c]![row] = neg ? -m : m;
            }
          }
        }
        if (c < k - 1) {
          if (ch !== delim) break rows;
          p++;
        } else if (ch === 0x0a) p++;
        else if (ch === 0x0d) {
          if (p + 1 >= end) break rows;
          p += b[p + 1] === 0x0a ? 2 : 1;
        } else break rows;
      }
      // Commit: nulls need a validity buffer, which only the general path allocates.
      if (anyNull) for (let c = 0; c < k; c++) if (stamp[c] === mark && !cols[c]!.valid) break rows;
      for (let v = 0; v < validCols.length; v++) {
        const col = cols[validCols[v]!]!;
        const missing = stamp[validCols[v]!] === mark;
        col.valid![row] = missing ? 0 : 1;
        if (missing) col.nullCount++;
      }
      row = mark;
      next = p;
    }
    this.row = row;
    this.parsed = row - first;
    return next;
  }
}
