import { Bool, DataType, Float64, TimestampMillisecond, makeData, makeVector, type Data } from 'apache-arrow';
import { ByteDictionary } from '../../table/byte-dictionary.ts';
import { dictionaryData, dictionaryDataOf } from '../../table/dictionary-data.ts';
import { copyBits, setBitRange } from './bits.ts';
import { decimalToFloat64, float16ToFloat64, float64ToInt64, int64ToFloat64 } from './numeric-convert.ts';
import { printValue } from './print-value.ts';
import { TextCoder } from './text-coder.ts';

/**
 * What a Parquet column becomes in the workbench's table contract:
 * - copy: Int8/16/32, Uint8/16, Float32/64 as they are;
 * - float64: Int64, Uint32/64, Float16, Decimal, Duration (in its unit) as Float64;
 * - timestamp: Date32/64 and Timestamp of any unit as TimestampMillisecond;
 * - bool: Bool;
 * - text: Utf8, LargeUtf8, Binary (its bytes read as UTF-8) and dictionaries of them as one
 *   Dictionary<Utf8, Int32> shared by every row group;
 * - printed: anything else (lists, structs, maps, times of day, intervals) as the text of each value.
 */
type Target = 'copy' | 'float64' | 'timestamp' | 'bool' | 'text' | 'printed';

export type NumberArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Float32Array | Float64Array;

/**
 * A column decoded on another thread (column-share.ts): its buffers, to be transferred, and what
 * `finish` and `warnings` need besides. Text carries its dictionary's entries (bytes, offsets).
 */
export interface ColumnParts {
  values: NumberArray | null;
  codes: Int32Array | null;
  validity: Uint8Array | null;
  rows: number;
  nullCount: number;
  inexact: number;
  entries: { bytes: Uint8Array; offsets: Int32Array; size: number } | null;
}

const TIME_UNIT_TO_MS = [1000, 1, 1e-3, 1e-6];
const TIME_UNIT_NAME = ['seconds', 'milliseconds', 'microseconds', 'nanoseconds'];

/** Gathers one column across row groups into a single contiguous Arrow column, preallocated. */
export class ColumnAssembler {
  readonly name: string;
  readonly target: Target;
  private readonly type: DataType;
  private readonly rows: number;
  private valueArray: NumberArray | null = null;
  private codeArray: Int32Array | null = null;
  private readonly dict = new ByteDictionary();
  /** Packed validity, allocated at the first null. */
  private validity: Uint8Array | null = null;
  private at = 0;
  nullCount = 0;
  /** 64-bit integers beyond 2^53 (not exact as Float64). */
  inexact = 0;
  /** Text decoded on another thread: its dictionary's entries (see adopt). */
  private entries: ColumnParts['entries'] = null;

  /** allocate = false: a column another thread decodes, whose arrays `adopt` brings. */
  constructor(name: string, type: DataType, rows: number, allocate = true) {
    this.name = name;
    this.type = type;
    this.rows = rows;
    this.target = targetOf(type);
    if (!allocate) return;
    if (this.target === 'copy') {
      const Ctor = (type as unknown as { ArrayType: new (n: number) => NumberArray }).ArrayType;
      this.valueArray = new Ctor(rows);
    } else if (this.target === 'float64' || this.target === 'timestamp') this.valueArray = new Float64Array(rows);
    else if (this.target === 'bool') this.valueArray = new Uint8Array(((rows + 63) >> 6) << 3);
    else this.codeArray = new Int32Array(rows);
  }

  /** What a load report should say about this column, if anything. */
  warnings(): string[] {
    const out: string[] = [];
    const t = this.type;
    if (this.inexact) out.push(`column "${this.name}": ${this.inexact} integer(s) beyond 2^53 are not exact as Float64`);
    if (DataType.isBinary(t) || DataType.isLargeBinary(t)) out.push(`column "${this.name}" is binary; its bytes were read as UTF-8 text`);
    if (DataType.isDecimal(t) && t.precision > 15) out.push(`column "${this.name}" (${t}) was read as Float64, exact to about 15 digits`);
    if (DataType.isDuration(t)) out.push(`column "${this.name}" is a duration; read as a number of ${TIME_UNIT_NAME[t.unit]}`);
    // Utf8View (Polars' strings) is text already: printed as itself, nothing to warn about.
    if (this.target === 'printed' && !DataType.isUtf8View(t)) out.push(`column "${this.name}" has type ${t}; its values were read as text`);
    return out;
  }

  /** Appends one row group's chunk of this column. */
  add(data: Data): void {
    const n = data.length;
    const off = data.offset;
    const at = this.at;
    if (at + n > this.rows) throw new Error(`column "${this.name}" has more rows than the file's metadata says`);
    this.addValidity(data, n, off, at);
    const raw = data.values as unknown;
    const type = data.type as DataType;
    switch (this.target) {
      case 'copy':
        this.valueArray!.set((raw as NumberArray).subarray(off, off + n), at);
        break;
      case 'bool':
        copyBits(raw as Uint8Array, off, this.valueArray as Uint8Array, at, n);
        break;
      case 'float64':
        this.addFloat64(type, raw, off, n, at);
        break;
      case 'timestamp':
        this.addTimestamp(type, raw, off, n, at);
        break;
      case 'text':
        this.addText(data, off, n, at);
        break;
      case 'printed':
        this.addPrinted(data, n, at);
        break;
    }
    this.at += n;
  }

  private addValidity(data: Data, n: number, off: number, at: number): void {
    const allNull = DataType.isNull(data.type);
    const hasNulls = allNull || (data.nullCount > 0 && data.nullBitmap !== undefined && data.nullBitmap.length > 0);
    if (hasNulls && !this.validity) {
      this.validity = new Uint8Array(((this.rows + 63) >> 6) << 3);
      setBitRange(this.validity, 0, at);
    }
    if (allNull) this.nullCount += n;
    else if (hasNulls) this.nullCount += copyBits(data.nullBitmap!, off, this.validity!, at, n);
    else if (this.validity) setBitRange(this.validity, at, at + n);
  }

  private addFloat64(type: DataType, raw: unknown, off: number, n: number, at: number): void {
    const out = this.valueArray as Float64Array;
    if (DataType.isInt(type) && type.bitWidth === 64) {
      this.inexact += int64ToFloat64(raw as BigInt64Array, off, n, type.isSigned, out, at);
    } else if (DataType.isDuration(type)) {
      this.inexact += int64ToFloat64(raw as BigInt64Array, off, n, true, out, at);
    } else if (DataType.isDecimal(type)) {
      // arrow-js-ffi 0.4 sizes a decimal view in values, not words: re-view the whole span.
      const stride = type.bitWidth / 32;
      const words = new Uint32Array((raw as Uint32Array).buffer, (raw as Uint32Array).byteOffset, (off + n) * stride);
      decimalToFloat64(words, stride, off, n, type.scale, out, at);
    } else if (DataType.isFloat(type) && type.precision === 0) {
      float16ToFloat64(raw as Uint16Array, off, n, out, at);
    } else {
      out.set((raw as Uint32Array).subarray(off, off + n), at);
    }
  }

  private addTimestamp(type: DataType, raw: unknown, off: number, n: number, at: number): void {
    const out = this.valueArray as Float64Array;
    if (DataType.isDate(type) && type.unit === 0) {
      const days = raw as Int32Array;
      for (let i = 0; i < n; i++) out[at + i] = days[off + i]! * 86_400_000;
    } else {
      const scale = DataType.isTimestamp(type) ? TIME_UNIT_TO_MS[type.unit]! : 1;
      int64ToFloat64(raw as BigInt64Array, off, n, true, out, at, scale);
    }
  }

  private addText(data: Data, off: number, n: number, at: number): void {
    const codes = this.codeArray!;
    const valid = data.nullCount > 0 ? (data.nullBitmap ?? null) : null;
    if (DataType.isDictionary(data.type)) {
      // Re-code the row group's dictionary into the column's shared one, then map the indices.
      const local = data.dictionary!.data[0]!;
      const map = new Int32Array(local.length);
      codeBytes(this.dict, local, 0, local.length, null, map, 0);
      const raw = data.values as ArrayLike<number> | BigInt64Array | BigUint64Array;
      // 64-bit dictionary keys are rare (and small): read them as numbers.
      const idx = raw instanceof BigInt64Array || raw instanceof BigUint64Array ? Float64Array.from(raw, Number) : raw;
      for (let i = 0; i < n; i++) {
        const r = off + i;
        codes[at + i] = valid && !((valid[r >> 3]! >> (r & 7)) & 1) ? 0 : map[idx[r]!]!;
      }
    } else codeBytes(this.dict, data, off, n, valid, codes, at);
  }

  private addPrinted(data: Data, n: number, at: number): void {
    const codes = this.codeArray!;
    const vector = makeVector(data);
    const encoder = new TextEncoder();
    for (let i = 0; i < n; i++) {
      const text = printValue(vector.get(i));
      if (text === null) continue;
      const bytes = encoder.encode(text);
      codes[at + i] = this.dict.code(bytes, 0, bytes.length);
    }
  }

  /**
   * For decoders that write rows in place (native-reader.ts): the value array (the bitmap for
   * bool), the codes and dictionary for text, the next row; then `advance` past what was written.
   */
  get values(): NumberArray | null {
    return this.valueArray;
  }

  get codes(): Int32Array | null {
    return this.codeArray;
  }

  get dictionary(): ByteDictionary {
    return this.dict;
  }

  get position(): number {
    return this.at;
  }

  /** Throws unless n more rows fit in the column. */
  room(n: number): void {
    if (this.at + n > this.rows) throw new Error(`column "${this.name}" has more rows than the file's metadata says`);
  }

  /** Moves past n rows written in place; valid[i] = 0 marks row i null (null: none are). */
  advance(n: number, valid: Int32Array | null, nulls: number): void {
    const at = this.at;
    if (nulls > 0) {
      if (!this.validity) {
        this.validity = new Uint8Array(((this.rows + 63) >> 6) << 3);
        setBitRange(this.validity, 0, at);
      }
      const bits = this.validity;
      for (let i = 0; i < n; i++) if (valid![i]) bits[(at + i) >> 3]! |= 1 << ((at + i) & 7);
      this.nullCount += nulls;
    } else if (this.validity) setBitRange(this.validity, at, at + n);
    this.at += n;
  }

  /** This column's buffers and counts, after every row group, for another thread to `adopt`. */
  parts(): ColumnParts {
    const text = this.target === 'text' || this.target === 'printed';
    const entries = text ? { bytes: this.dict.bytes.take(), offsets: this.dict.offsets.take(), size: this.dict.size } : null;
    const { valueArray: values, codeArray: codes, validity, at: rows, nullCount, inexact } = this;
    return { values, codes, validity, rows, nullCount, inexact, entries };
  }

  /** Takes a column decoded elsewhere (its `parts`) as this one's whole content. */
  adopt(parts: ColumnParts): void {
    if (parts.rows !== this.rows) throw new Error(`column "${this.name}" came back with ${parts.rows} of its ${this.rows} rows`);
    this.valueArray = parts.values;
    this.codeArray = parts.codes;
    this.validity = parts.validity;
    this.at = parts.rows;
    this.nullCount = parts.nullCount;
    this.inexact = parts.inexact;
    this.entries = parts.entries;
  }

  /** The assembled column; call once, after every row group. */
  finish(): Data {
    const length = this.at;
    const common = { length, nullCount: this.nullCount, nullBitmap: this.nullCount ? this.validity! : undefined };
    switch (this.target) {
      case 'copy':
        return makeData({ type: this.type, ...common, data: this.valueArray! } as never);
      case 'float64':
        return makeData({ type: new Float64(), ...common, data: this.valueArray as Float64Array });
      case 'timestamp':
        return makeData({ type: new TimestampMillisecond(), ...common, data: float64ToInt64(this.valueArray as Float64Array, length) });
      case 'bool':
        return makeData({ type: new Bool(), ...common, data: this.valueArray as Uint8Array });
      case 'text':
      case 'printed': {
        const e = this.entries;
        return e ? dictionaryDataOf(e.bytes, e.offsets, e.size, this.codeArray!, common) : dictionaryData(this.dict, this.codeArray!, false, common);
      }
    }
  }
}

function targetOf(type: DataType): Target {
  if (DataType.isInt(type)) return type.bitWidth === 64 || (type.bitWidth === 32 && !type.isSigned) ? 'float64' : 'copy';
  if (DataType.isFloat(type)) return type.precision === 0 ? 'float64' : 'copy';
  if (DataType.isDecimal(type) || DataType.isDuration(type)) return 'float64';
  if (DataType.isTimestamp(type) || DataType.isDate(type)) return 'timestamp';
  if (DataType.isBool(type)) return 'bool';
  if (isBytes(type) || DataType.isNull(type)) return 'text';
  if (DataType.isDictionary(type) && isBytes(type.dictionary)) return 'text';
  return 'printed';
}

function isBytes(type: DataType): boolean {
  return DataType.isUtf8(type) || DataType.isLargeUtf8(type) || DataType.isBinary(type) || DataType.isLargeBinary(type);
}

/**
 * Codes rows [off, off+n) of a Utf8 / Binary (or Large) array into dict, writing codes[at…]; null
 * rows get 0. Runs of the same value (common in logs sorted by time or class) skip the hash.
 */
function codeBytes(dict: ByteDictionary, data: Data, off: number, n: number, valid: Uint8Array | null, codes: Int32Array, at: number): void {
  const bytes = data.values as Uint8Array;
  const rawOffsets = data.valueOffsets as Int32Array | BigInt64Array;
  // Large offsets are 64-bit; their low words suffice (wasm32 memory is below 4 GiB).
  const stride = rawOffsets instanceof BigInt64Array ? 2 : 1;
  const offsets = stride === 2 ? new Int32Array(rawOffsets.buffer, rawOffsets.byteOffset, rawOffsets.length * 2) : (rawOffsets as Int32Array);
  const coder = new TextCoder(dict);
  for (let i = 0; i < n; i++) {
    const r = off + i;
    codes[at + i] = valid && !((valid[r >> 3]! >> (r & 7)) & 1) ? 0 : coder.code(bytes, offsets[r * stride]!, offsets[(r + 1) * stride]!);
  }
}
