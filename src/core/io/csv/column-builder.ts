import { QUOTE } from './bytes.ts';
import { Bool, Float64, Int32, TimestampMillisecond, makeData, type Data } from 'apache-arrow';
import { dictionaryData } from '../../table/dictionary-data.ts';
import { packBits } from '../../table/pack-bits.ts';
import { ByteDictionary } from '../../table/byte-dictionary.ts';
import { isNullToken, parseBool, parseFloatBytes, parseSmallInt } from './parse-number.ts';
import { parseIsoTimestamp } from './parse-timestamp.ts';

/** What a column's values have looked like so far; a column only ever moves down this list. */
export type InferredKind = 'null' | 'int' | 'float' | 'bool' | 'timestamp' | 'string';

const utf8 = new TextEncoder();

/**
 * One CSV column: takes field bytes, infers the type on the fly and writes straight into a typed
 * buffer. A value that does not fit the type so far widens it (int → float) or turns the column
 * into text (earlier values are re-rendered as strings; the line where that happened is kept).
 */
export class ColumnBuilder {
  kind: InferredKind = 'null';
  length = 0;
  nullCount = 0;
  nan = 0;
  posInf = 0;
  negInf = 0;
  /** Line where a typed column first met a value of another type and became text. */
  becameTextAt: number | null = null;
  /** Values by kind: ints (int, string codes), floats (float, timestamp ms), bytes (bool). */
  // Read (not written) by FastRows, the fast path for plain rows; only this class resizes them.
  cap: number;
  ints = EMPTY_I32;
  floats = EMPTY_F64;
  private bools = EMPTY_U8;
  valid: Uint8Array | null = null;
  dict: ByteDictionary | null = null;

  /** capacity: the expected row count, so most columns never reallocate. */
  constructor(capacity = 1024) {
    this.cap = Math.max(16, capacity);
  }

  add(b: Uint8Array, s: number, e: number, line: number): void {
    if (this.length === this.cap) this.grow();
    const kind = this.kind;
    if (s === e || isNullToken(b, s, e)) {
      this.pushNull();
      return;
    }
    if (kind === 'int') {
      const v = parseSmallInt(b, s, e);
      if (v !== undefined) {
        this.ints[this.length] = v;
        this.pushedValid();
        return;
      }
      const f = parseFloatBytes(b, s, e);
      if (f !== undefined) {
        this.toFloat();
        this.pushFloat(f);
        return;
      }
    } else if (kind === 'float') {
      const f = parseFloatBytes(b, s, e);
      if (f !== undefined) {
        this.pushFloat(f);
        return;
      }
    } else if (kind === 'string') {
      this.ints[this.length] = this.dict!.code(b, s, e);
      this.pushedValid();
      return;
    } else if (kind === 'bool') {
      const v = parseBool(b, s, e);
      if (v >= 0) {
        this.bools[this.length] = v;
        this.pushedValid();
        return;
      }
    } else if (kind === 'timestamp') {
      const t = parseIsoTimestamp(b, s, e);
      if (t !== undefined) {
        this.floats[this.length] = t;
        this.pushedValid();
        return;
      }
    } else {
      this.startTyped(b, s, e);
      this.add(b, s, e, line);
      return;
    }
    this.toText(line);
    this.add(b, s, e, line);
  }

  /** Adds a value that held doubled quotes (""), unescaped first. */
  addEscaped(b: Uint8Array, s: number, e: number, line: number): void {
    const out = new Uint8Array(e - s);
    let n = 0;
    for (let i = s; i < e; i++) {
      out[n++] = b[i]!;
      if (b[i] === QUOTE && b[i + 1] === QUOTE) i++;
    }
    this.add(out, 0, n, line);
  }

  pushNull(): void {
    if (this.length === this.cap) this.grow();
    if (!this.valid) {
      this.valid = new Uint8Array(this.cap);
      this.valid.fill(1, 0, this.length);
    }
    this.valid[this.length] = 0;
    this.nullCount++;
    this.length++;
  }

  /** True when every text value is valid UTF-8 (else the file is read as Latin-1). */
  isUtf8(decoder: TextDecoder): boolean {
    if (!this.dict) return true;
    try {
      decoder.decode(this.dict.bytes.values.subarray(0, this.dict.bytes.length));
      return true;
    } catch {
      return false;
    }
  }

  /** The Arrow data of the column; all-missing columns become Float64 nulls. */
  finish(latin1: boolean, asEpoch: 'seconds' | 'milliseconds' | null): Data {
    const n = this.length;
    const nullBitmap = this.valid ? packBits(this.valid, n) : undefined;
    const common = { length: n, nullCount: this.nullCount, nullBitmap };
    switch (this.kind) {
      case 'null':
        return makeData({ type: new Float64(), ...common, data: new Float64Array(n) });
      case 'int':
        if (asEpoch) return timestampData(Float64Array.from(this.ints.subarray(0, n)), asEpoch, common);
        return makeData({ type: new Int32(), ...common, data: fit(this.ints, n) });
      case 'float':
        if (asEpoch) return timestampData(this.floats.subarray(0, n), asEpoch, common);
        return makeData({ type: new Float64(), ...common, data: fit(this.floats, n) });
      case 'bool':
        return makeData({ type: new Bool(), ...common, data: packBits(this.bools, n) });
      case 'timestamp':
        return timestampData(this.floats.subarray(0, n), 'milliseconds', common);
      case 'string':
        return dictionaryData(this.dict!, fit(this.ints, n), latin1, common);
    }
  }

  /** Numeric range of the valid values, for recognising epoch-second columns. */
  range(): [number, number] {
    const src = this.kind === 'int' ? this.ints : this.kind === 'float' ? this.floats : null;
    let lo = Infinity;
    let hi = -Infinity;
    if (!src) return [lo, hi];
    const valid = this.valid;
    for (let i = 0; i < this.length; i++) {
      if (valid && !valid[i]) continue;
      const v = src[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return [lo, hi];
  }

  private pushedValid(): void {
    if (this.valid) this.valid[this.length] = 1;
    this.length++;
  }

  private pushFloat(f: number): void {
    if (f !== f) this.nan++;
    else if (f === Infinity) this.posInf++;
    else if (f === -Infinity) this.negInf++;
    this.floats[this.length] = f;
    this.pushedValid();
  }

  private grow(): void {
    const cap = this.cap * 2;
    const resize = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => {
      if (a.length === 0) return a;
      const next = new (a.constructor as { new (n: number): T })(cap);
      next.set(a as never);
      return next;
    };
    this.ints = resize(this.ints);
    this.floats = resize(this.floats);
    this.bools = resize(this.bools);
    if (this.valid) this.valid = resize(this.valid);
    this.cap = cap;
  }

  private startTyped(b: Uint8Array, s: number, e: number): void {
    if (parseSmallInt(b, s, e) !== undefined) {
      this.kind = 'int';
      this.ints = new Int32Array(this.cap);
    } else if (parseFloatBytes(b, s, e) !== undefined) {
      this.kind = 'float';
      this.floats = new Float64Array(this.cap);
    } else if (parseBool(b, s, e) >= 0) {
      this.kind = 'bool';
      this.bools = new Uint8Array(this.cap);
    } else if (parseIsoTimestamp(b, s, e) !== undefined) {
      this.kind = 'timestamp';
      this.floats = new Float64Array(this.cap);
    } else {
      this.kind = 'string';
      this.dict = new ByteDictionary();
      this.ints = new Int32Array(this.cap);
    }
  }

  private toFloat(): void {
    this.floats = Float64Array.from(this.ints);
    this.ints = EMPTY_I32;
    this.kind = 'float';
  }

  /** Re-renders the values so far as text, then carries on as a string column. */
  private toText(line: number): void {
    const dict = new ByteDictionary();
    const codes = new Int32Array(this.cap);
    const valid = this.valid;
    for (let i = 0; i < this.length; i++) {
      if (valid && !valid[i]) continue;
      const bytes = utf8.encode(this.render(i));
      codes[i] = dict.code(bytes, 0, bytes.length);
    }
    this.floats = EMPTY_F64;
    this.bools = EMPTY_U8;
    this.ints = codes;
    this.dict = dict;
    this.kind = 'string';
    this.becameTextAt = line;
    this.nan = this.posInf = this.negInf = 0;
  }

  private render(i: number): string {
    switch (this.kind) {
      case 'int':
        return String(this.ints[i]);
      case 'float':
        return String(this.floats[i]);
      case 'bool':
        return this.bools[i] ? 'true' : 'false';
      case 'timestamp':
        return new Date(this.floats[i]!).toISOString();
      default:
        return '';
    }
  }
}

const EMPTY_I32 = new Int32Array(0);
const EMPTY_F64 = new Float64Array(0);
const EMPTY_U8 = new Uint8Array(0);

/** The first n values; copied only when the spare capacity is worth freeing. */
function fit<T extends Int32Array | Float64Array>(a: T, n: number): T {
  return (a.length - n > n / 8 ? a.slice(0, n) : a.subarray(0, n)) as T;
}

type Common = { length: number; nullCount: number; nullBitmap: Uint8Array | undefined };

function timestampData(values: Float64Array, unit: 'seconds' | 'milliseconds', common: Common): Data {
  const scale = unit === 'seconds' ? 1000 : 1;
  const data = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = BigInt(Math.round(values[i]! * scale));
  return makeData({ type: new TimestampMillisecond(), ...common, data });
}
