import { CR, LF, QUOTE } from './bytes.ts';
import type { ColumnBuilder } from './column-builder.ts';
import { POW10, isNullToken } from './parse-number.ts';

const INT = 1;
const FLOAT = 2;
const TEXT = 3;

/**
 * The fast path for plain rows, once the column types have settled: one pass over a row's bytes
 * that parses every field in place (no field offsets, no call per field except text hashing).
 * Anything unusual — a quote, a value that does not fit its column, a missing or extra field, a
 * row cut by the end of the buffer — returns -1 and the general tokenizer takes the row; values
 * this path wrote for it are overwritten there, because a row is committed only at its end.
 */
export class FastRows {
  private readonly columns: ColumnBuilder[];
  private readonly delim: number;
  private kinds = new Uint8Array(0);
  private ints: Int32Array[] = [];
  private floats: Float64Array[] = [];
  /** stamp[c] === row + 1 marks column c missing in the row being parsed (no per-field reset). */
  private stamp = new Int32Array(0);
  /** Columns with a validity buffer: the only ones whose values may be missing on this path. */
  private validCols = new Int32Array(0);
  /** Rows below this index fit every column's buffer. */
  private limit = 0;
  /** The next row's index; column lengths catch up in sync(). */
  private row = 0;

  constructor(columns: ColumnBuilder[], delimiter: number) {
    this.columns = columns;
    this.delim = delimiter;
    this.refresh();
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
    this.ints = cols.map((c) => c.ints);
    this.floats = cols.map((c) => c.floats);
    this.stamp = new Int32Array(cols.length);
    this.validCols = Int32Array.from(cols.flatMap((c, i) => (c.valid ? [i] : [])));
    this.limit = Math.min(...cols.map((c) => c.cap));
    this.row = cols[0]?.length ?? 0;
  }

  /** Parses the row at b[i…]; returns where the next row starts, or -1 to leave the row to the tokenizer. */
  parse(b: Uint8Array, i: number, n: number): number {
    const cols = this.columns;
    const k = cols.length;
    const row = this.row;
    if (row >= this.limit) return -1;
    const kinds = this.kinds;
    const stamp = this.stamp;
    const mark = row + 1;
    const delim = this.delim;
    const ints = this.ints;
    const floats = this.floats;
    let p = i;
    let anyNull = false;
    for (let c = 0; c < k; c++) {
      const s = p;
      const kind = kinds[c];
      if (kind === TEXT) {
        while (p < n) {
          const ch = b[p]!;
          if (ch === delim || ch === LF || ch === CR) break;
          p++;
        }
        if (p >= n || b[s] === QUOTE) return -1;
        if (p === s) {
          stamp[c] = mark;
          anyNull = true;
        }
        else if (isNullToken(b, s, p)) return -1;
        else ints[c]![row] = cols[c]!.dict!.code(b, s, p);
      } else {
        const neg = b[p] === 0x2d;
        if (neg) p++;
        const digits = p;
        let m = 0;
        let frac = -1;
        while (p < n) {
          const ch = b[p]!;
          const d = ch - 0x30;
          if (d >= 0 && d <= 9) {
            m = m * 10 + d;
            if (frac >= 0) frac++;
          } else if (ch === 0x2e && frac < 0 && kind === FLOAT) frac = 0;
          else break;
          p++;
        }
        if (p >= n) return -1;
        const len = p - digits;
        if (len === 0) {
          if (neg) return -1;
          stamp[c] = mark;
          anyNull = true;
        } else if (kind === INT) {
          if (len > 9) return -1;
          ints[c]![row] = neg ? -m : m;
        } else {
          if (len - (frac >= 0 ? 1 : 0) > 15 || frac === 0) return -1;
          const v = frac > 0 ? m / POW10[frac]! : m;
          floats[c]![row] = neg ? -v : v;
        }
      }
      const t = b[p];
      if (c < k - 1) {
        if (t !== delim) return -1;
        p++;
      } else if (t === LF) p++;
      else if (t === CR) {
        if (p + 1 >= n) return -1;
        p += b[p + 1] === LF ? 2 : 1;
      } else return -1;
    }
    // Commit: nulls need a validity buffer, which only the general path allocates.
    if (anyNull) for (let c = 0; c < k; c++) if (stamp[c] === mark && !cols[c]!.valid) return -1;
    const validCols = this.validCols;
    for (let v = 0; v < validCols.length; v++) {
      const col = cols[validCols[v]!]!;
      const missing = stamp[validCols[v]!] === mark;
      col.valid![row] = missing ? 0 : 1;
      if (missing) col.nullCount++;
    }
    this.row = mark;
    return p;
  }
}
