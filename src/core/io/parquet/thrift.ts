/**
 * A reader for the Thrift compact protocol, the encoding of Parquet's footer and page headers.
 * It decodes any struct generically, as an object keyed by field id; parquet-footer.ts names the
 * fields. Integers are JS numbers (64-bit ones exact up to 2^53, which covers offsets, sizes and
 * counts), binary fields stay bytes, nesting is capped so garbage cannot overflow the stack.
 */

/** A decoded struct: field id → value. */
export type ThriftStruct = { [field: number]: ThriftValue };
export type ThriftValue = number | boolean | Uint8Array | ThriftStruct | ThriftValue[];

const STOP = 0;
const TRUE = 1;
const FALSE = 2;
const BYTE = 3;
const I16 = 4;
const I32 = 5;
const I64 = 6;
const DOUBLE = 7;
const BINARY = 8;
const LIST = 9;
const SET = 10;
const MAP = 11;
const STRUCT = 12;

const MAX_DEPTH = 32;

export class ThriftReader {
  pos: number;
  private readonly bytes: Uint8Array;
  private readonly end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  /** A whole struct from the current position; pos ends just after it. */
  struct(depth = 0): ThriftStruct {
    if (depth > MAX_DEPTH) throw new Error('thrift: structures nested too deeply');
    const out: ThriftStruct = {};
    let id = 0;
    for (;;) {
      const header = this.byte();
      const type = header & 0x0f;
      if (type === STOP) return out;
      const delta = header >> 4;
      id = delta ? id + delta : this.zigzag();
      out[id] = type === TRUE ? true : type === FALSE ? false : this.value(type, depth);
    }
  }

  private value(type: number, depth: number): ThriftValue {
    switch (type) {
      case TRUE:
      case FALSE:
        return this.byte() === TRUE; // a bool inside a list or map: one byte (writers differ on the element type)
      case BYTE:
        return (this.byte() << 24) >> 24;
      case I16:
      case I32:
      case I64:
        return this.zigzag();
      case DOUBLE: {
        const v = new DataView(this.bytes.buffer, this.bytes.byteOffset).getFloat64(this.take(8), true);
        return v;
      }
      case BINARY: {
        const n = this.varint();
        const at = this.take(n);
        return this.bytes.subarray(at, at + n);
      }
      case LIST:
      case SET:
        return this.list(depth);
      case MAP:
        return this.map(depth);
      case STRUCT:
        return this.struct(depth + 1);
      default:
        throw new Error(`thrift: unknown field type ${type} at byte ${this.pos}`);
    }
  }

  private list(depth: number): ThriftValue[] {
    const header = this.byte();
    const size = header >> 4 === 15 ? this.varint() : header >> 4;
    const type = header & 0x0f;
    // Every element takes at least one byte: a size beyond the bytes left is garbage.
    if (size > this.end - this.pos) throw new Error(`thrift: a list of ${size} elements overruns the data`);
    const out: ThriftValue[] = new Array<ThriftValue>(size);
    for (let i = 0; i < size; i++) out[i] = this.value(type, depth + 1);
    return out;
  }

  /** Maps are not used by Parquet's structures; read as a flat list of keys and values. */
  private map(depth: number): ThriftValue[] {
    const size = this.varint();
    if (size === 0) return [];
    if (size * 2 > this.end - this.pos) throw new Error(`thrift: a map of ${size} entries overruns the data`);
    const types = this.byte();
    const out: ThriftValue[] = [];
    for (let i = 0; i < size; i++) out.push(this.value(types >> 4, depth + 1), this.value(types & 0x0f, depth + 1));
    return out;
  }

  private byte(): number {
    if (this.pos >= this.end) throw new Error('thrift: unexpected end of data');
    return this.bytes[this.pos++]!;
  }

  /** Advances over n bytes and returns where they start. */
  private take(n: number): number {
    if (n > this.end - this.pos) throw new Error('thrift: unexpected end of data');
    const at = this.pos;
    this.pos += n;
    return at;
  }

  /** An unsigned varint of up to 64 bits, as a number (exact below 2^53). */
  private varint(): number {
    let v = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 128;
    }
    throw new Error('thrift: a varint runs past 10 bytes');
  }

  private zigzag(): number {
    const v = this.varint();
    return v % 2 ? -(v + 1) / 2 : v / 2;
  }
}
