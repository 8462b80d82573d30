import { Bool, DataType, Float64, TimestampMillisecond, makeData, type Data, type Vector } from 'apache-arrow';
import { ByteDictionary } from '../../table/byte-dictionary.ts';
import { dictionaryData } from '../../table/dictionary-data.ts';
import { packBits } from '../../table/pack-bits.ts';

type Target = 'keep' | 'float64' | 'timestamp' | 'text' | 'bool';

const encoder = new TextEncoder();

/**
 * Gathers one column across Parquet row groups into a single contiguous Arrow column of the
 * workbench's types: numbers as they are (64-bit and unsigned 32-bit integers as Float64),
 * dates and timestamps as TimestampMillisecond, text (plain or dictionary) as one
 * Dictionary<Utf8, Int32> shared by every row group, anything else as its printed text.
 */
export class ColumnAssembler {
  readonly name: string;
  private target: Target | null = null;
  private type: DataType | null = null;
  private values: Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array | Float32Array | null = null;
  private readonly valid: Uint8Array;
  private readonly dict = new ByteDictionary();
  private codes: Int32Array | null = null;
  private at = 0;
  nullCount = 0;
  /** Values beyond 2^53 that lost precision as Float64. */
  inexact = 0;
  /** Set when the column's type is printed as text (lists, structs, binary, decimals). */
  printed = false;

  constructor(name: string, rows: number) {
    this.name = name;
    this.valid = new Uint8Array(rows);
  }

  add(vector: Vector): void {
    for (const data of vector.data) this.addData(data, vector);
  }

  private addData(data: Data, vector: Vector): void {
    const type = data.type as DataType;
    if (!this.target) this.start(type);
    const n = data.length;
    const off = data.offset;
    const at = this.at;
    const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
    if (!bitmap) this.valid.fill(1, at, at + n);
    else for (let i = 0; i < n; i++) {
      const j = off + i;
      const ok = (bitmap[j >> 3]! >> (j & 7)) & 1;
      this.valid[at + i] = ok ? 1 : 0;
      if (!ok) this.nullCount++;
    }
    const raw = data.values as ArrayLike<number | bigint>;
    switch (this.target) {
      case 'keep': {
        const out = this.values as unknown as { set(a: ArrayLike<number>, at: number): void };
        out.set((raw as unknown as { subarray(a: number, b: number): ArrayLike<number> }).subarray(off, off + n), at);
        break;
      }
      case 'bool': {
        const out = this.values as Uint8Array;
        const bits = raw as Uint8Array;
        for (let i = 0; i < n; i++) out[at + i] = (bits[(off + i) >> 3]! >> ((off + i) & 7)) & 1;
        break;
      }
      case 'float64':
      case 'timestamp': {
        const out = this.values as Float64Array;
        const scale = this.target === 'timestamp' ? toMillis(type) : 1;
        for (let i = 0; i < n; i++) {
          const v = Number(raw[off + i]!) * scale;
          if (Math.abs(v) > Number.MAX_SAFE_INTEGER && this.target === 'float64') this.inexact++;
          out[at + i] = v;
        }
        break;
      }
      case 'text':
        this.addText(data, vector, at);
        break;
    }
    this.at += n;
  }

  private addText(data: Data, vector: Vector, at: number): void {
    const codes = this.codes!;
    const n = data.length;
    if (DataType.isDictionary(data.type) && data.dictionary && DataType.isUtf8(data.dictionary.type)) {
      // Re-code the row group's dictionary into the column's shared one.
      const local = data.dictionary.data[0]!;
      const map = new Int32Array(local.length);
      for (let k = 0; k < local.length; k++) map[k] = this.codeUtf8(local, k);
      const idx = data.values as ArrayLike<number>;
      for (let i = 0; i < n; i++) codes[at + i] = this.valid[at + i] ? map[idx[data.offset + i]!]! : 0;
    } else if (DataType.isUtf8(data.type) || DataType.isLargeUtf8(data.type)) {
      for (let i = 0; i < n; i++) codes[at + i] = this.valid[at + i] ? this.codeUtf8(data, data.offset + i) : 0;
    } else {
      this.printed = true;
      const start = vector.data.indexOf(data);
      let base = 0;
      for (let c = 0; c < start; c++) base += vector.data[c]!.length;
      for (let i = 0; i < n; i++) {
        if (!this.valid[at + i]) continue;
        const bytes = encoder.encode(String(vector.get(base + i)));
        codes[at + i] = this.dict.code(bytes, 0, bytes.length);
      }
    }
  }

  private codeUtf8(data: Data, k: number): number {
    const offsets = data.valueOffsets as ArrayLike<number | bigint>;
    const s = Number(offsets[k]!);
    const e = Number(offsets[k + 1]!);
    return this.dict.code(data.values as Uint8Array, s, e);
  }

  private start(type: DataType): void {
    const rows = this.valid.length;
    this.type = type;
    if (DataType.isTimestamp(type) || DataType.isDate(type)) {
      this.target = 'timestamp';
      this.values = new Float64Array(rows);
    } else if (DataType.isBool(type)) {
      this.target = 'bool';
      this.values = new Uint8Array(rows);
    } else if (DataType.isInt(type) && (type.bitWidth === 64 || (type.bitWidth === 32 && !type.isSigned))) {
      this.target = 'float64';
      this.values = new Float64Array(rows);
    } else if ((DataType.isInt(type) || DataType.isFloat(type)) && !(DataType.isFloat(type) && type.precision === 0)) {
      this.target = 'keep';
      const Ctor = (type as unknown as { ArrayType: { new (n: number): NonNullable<ColumnAssembler['values']> } }).ArrayType;
      this.values = new Ctor(rows);
    } else if (DataType.isFloat(type)) {
      this.target = 'float64';
      this.values = new Float64Array(rows);
    } else {
      this.target = 'text';
      this.codes = new Int32Array(rows);
    }
  }

  finish(): Data {
    const length = this.at;
    const common = { length, nullCount: this.nullCount, nullBitmap: this.nullCount ? packBits(this.valid, length) : undefined };
    switch (this.target) {
      case null:
        return makeData({ type: new Float64(), ...common, data: new Float64Array(length) });
      case 'keep':
        return makeData({ type: this.type!, ...common, data: this.values! } as never);
      case 'bool':
        return makeData({ type: new Bool(), ...common, data: packBits(this.values as Uint8Array, length) });
      case 'float64':
        return makeData({ type: new Float64(), ...common, data: this.values as Float64Array });
      case 'timestamp': {
        const ms = this.values as Float64Array;
        const data = new BigInt64Array(length);
        for (let i = 0; i < length; i++) data[i] = BigInt(Math.round(ms[i]!));
        return makeData({ type: new TimestampMillisecond(), ...common, data });
      }
      case 'text':
        return dictionaryData(this.dict, this.codes!, false, common);
    }
  }
}

/** Multiplier to milliseconds for a date or timestamp type. */
function toMillis(type: DataType): number {
  if (DataType.isDate(type)) return type.unit === 0 ? 86_400_000 : 1;
  if (DataType.isTimestamp(type)) return [1000, 1, 1e-3, 1e-6][type.unit] ?? 1;
  return 1;
}
