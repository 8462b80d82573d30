import type { ColumnBuilder } from './column-builder.ts';
import { fastRowsModule } from './fast-rows-kernel.ts';
import { FastRows, FLOAT, INT, PlainRows } from './fast-rows.ts';
import { isNullToken } from './parse-number.ts';

/** Scratch for one batch of rows: values, missing marks and row ends, about 9 bytes a field. */
const BATCH_BYTES = 1 << 22;
const PAGE = 1 << 16;

/**
 * FastRows with its row loop in WebAssembly (fast-rows-kernel.ts): the bytes of a call are copied
 * into the kernel's memory, parsed a batch of rows at a time into per-column scratch, and the
 * batch is then moved into the columns: numbers by typed-array copies, text coded here (a field
 * equal to the column's last one takes its code without hashing). Null tokens in text and
 * missing values in columns without validity end a batch where FastRows would stop too, so the
 * rows taken, their values and the dictionaries' order are the same as FastRows'.
 */
export class WasmFastRows extends PlainRows {
  private readonly memory = new WebAssembly.Memory({ initial: 64 });
  private readonly kernel: (...args: number[]) => number;
  private textCols: number[] = [];
  /** Columns with a validity buffer (the only ones whose values may be missing here). */
  private validCols: number[] = [];

  constructor(columns: ColumnBuilder[], delimiter: number, module: WebAssembly.Module) {
    super(columns, delimiter);
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.kernel = instance.exports.parseRows as (...args: number[]) => number;
    this.refresh();
  }

  override refresh(): void {
    super.refresh();
    const cols = this.columns;
    this.textCols = cols.flatMap((c, i) => (c.kind === 'string' ? [i] : []));
    this.validCols = cols.flatMap((c, i) => (c.valid ? [i] : []));
  }

  parseRows(b: Uint8Array, i: number, end: number): number {
    const cols = this.columns;
    const k = cols.length;
    const first = this.row;
    const len = end - i;
    // Layout: kinds, powers of ten, the last text field per column, any-null flags, the input,
    // then the batch: row ends, missing marks, values.
    const align = (n: number) => (n + 7) & ~7;
    const POW = align(k);
    const PREV = POW + 16 * 8;
    const ANY = PREV + 8 * k;
    const IN = align(ANY + k);
    const ROWS = align(IN + len + 16);
    const B = Math.max(1, Math.min(Math.floor(BATCH_BYTES / (9 * k + 4)), Math.floor(len / k) + 1));
    const MISS = ROWS + 4 * B;
    const OUT = align(MISS + k * B);
    const need = OUT + 8 * k * B;
    if (need > this.memory.buffer.byteLength) {
      try {
        this.memory.grow(Math.ceil((need - this.memory.buffer.byteLength) / PAGE));
      } catch {
        // No memory for this run of rows (a huge field): the JS loop takes it.
        return this.jsRows(b, i, end);
      }
    }
    const buffer = this.memory.buffer;
    const u8 = new Uint8Array(buffer);
    const i32 = new Int32Array(buffer);
    const f64 = new Float64Array(buffer);
    u8.set(this.kinds, 0);
    for (let e = 0; e < 16; e++) f64[POW / 8 + e] = 10 ** e;
    // prev: start 0, end −1, a length no field has.
    for (let c = 0; c < k; c++) {
      i32[PREV / 4 + 2 * c] = 0;
      i32[PREV / 4 + 2 * c + 1] = -1;
    }
    u8.set(b.subarray(i, end), IN);
    const lastCode = new Int32Array(k);
    let at = IN;
    for (;;) {
      const room = Math.min(B, this.limit - this.row);
      if (room <= 0 || at >= IN + len) break;
      u8.fill(0, ANY, ANY + k);
      u8.fill(0, MISS, MISS + k * B);
      let rows = this.kernel(at, IN + len, k, B, this.delim, 0, OUT, MISS, ROWS, PREV, ANY, POW, room);
      const full = rows === room;
      rows = this.keptRows(rows, u8, i32, B, MISS, OUT, ANY);
      this.commit(rows, u8, i32, f64, B, MISS, OUT, ANY, lastCode);
      if (rows > 0) at = i32[ROWS / 4 + rows - 1]!;
      if (!full || rows < room) break;
    }
    this.parsed = this.row - first;
    return i + (at - IN);
  }

  /** FastRows over this call's rows, on the same columns (their lengths synced before and after). */
  private jsRows(b: Uint8Array, i: number, end: number): number {
    this.sync();
    const js = new FastRows(this.columns, this.delim);
    const next = js.parseRows(b, i, end);
    this.parsed = js.parsed;
    this.row += js.parsed;
    return next;
  }

  /** How many of the kernel's rows FastRows would take: up to the first null token in text or null without validity. */
  private keptRows(rows: number, u8: Uint8Array, i32: Int32Array, B: number, MISS: number, OUT: number, ANY: number): number {
    const cols = this.columns;
    for (let c = 0; c < cols.length; c++) {
      if (!u8[ANY + c] || cols[c]!.valid) continue;
      const miss = MISS + B * c;
      for (let r = 0; r < rows; r++) {
        if (u8[miss + r]) {
          rows = r;
          break;
        }
      }
    }
    for (const c of this.textCols) {
      const base = (OUT + 8 * B * c) >> 2;
      for (let r = 0; r < rows; r++) {
        const s = i32[base + 2 * r]!;
        if (s > 0 && isNullToken(u8, s, i32[base + 2 * r + 1]!)) {
          rows = r;
          break;
        }
      }
    }
    return rows;
  }

  /** Moves the batch's first `rows` rows into the columns. */
  private commit(rows: number, u8: Uint8Array, i32: Int32Array, f64: Float64Array, B: number, MISS: number, OUT: number, ANY: number, lastCode: Int32Array): void {
    if (rows === 0) return;
    const cols = this.columns;
    const kinds = this.kinds;
    const row = this.row;
    for (let c = 0; c < cols.length; c++) {
      const col = cols[c]!;
      const slot = OUT + 8 * B * c;
      const kind = kinds[c];
      if (kind === INT) col.ints.set(i32.subarray(slot >> 2, (slot >> 2) + rows), row);
      else if (kind === FLOAT) col.floats.set(f64.subarray(slot >> 3, (slot >> 3) + rows), row);
      else {
        const dict = col.dict!;
        const codes = col.ints;
        const base = slot >> 2;
        const miss = MISS + B * c;
        let last = lastCode[c]!;
        for (let r = 0; r < rows; r++) {
          const s = i32[base + 2 * r]!;
          if (s < 0) codes[row + r] = last;
          else if (!u8[miss + r]) codes[row + r] = last = dict.code(u8, s, i32[base + 2 * r + 1]!);
        }
        lastCode[c] = last;
      }
    }
    for (const c of this.validCols) {
      const col = cols[c]!;
      const valid = col.valid!;
      if (!u8[ANY + c]) {
        valid.fill(1, row, row + rows);
        continue;
      }
      const miss = MISS + B * c;
      let nulls = 0;
      for (let r = 0; r < rows; r++) {
        const m = u8[miss + r]!;
        valid[row + r] = m ^ 1;
        nulls += m;
      }
      col.nullCount += nulls;
    }
    this.row = row + rows;
  }
}

/** The fast path for plain rows: the WebAssembly one where the host runs it, else FastRows. */
export function plainRows(columns: ColumnBuilder[], delimiter: number, allowWasm = true): PlainRows {
  const module = allowWasm ? fastRowsModule() : null;
  return module ? new WasmFastRows(columns, delimiter, module) : new FastRows(columns, delimiter);
}
