import {
  Binary,
  Bool,
  DataType,
  DateDay,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  tableFromIPC,
  type Field,
} from 'apache-arrow';
import type { FileMeta, SchemaElement } from './parquet-footer.ts';

/** How a leaf's physical values become the column's values (see native-values.ts). */
export type Convert = 'bool' | 'int32' | 'uint32' | 'date' | 'int64' | 'uint64' | 'timestamp' | 'float' | 'double' | 'bytes';

/** One flat column: its Arrow type (as parquet-wasm would give it) and how to convert values. */
export interface LeafPlan {
  name: string;
  type: DataType;
  convert: Convert;
  optional: boolean;
  /** Timestamps: milliseconds per stored unit. */
  scale: number;
  /**
   * Text stored as an Arrow dictionary (pandas categoricals): parquet-wasm then hands over each
   * page dictionary whole, so its entries are coded in their order, used or not. Other text is
   * coded in row order.
   */
  wholeDictionary: boolean;
}

/** Physical types (parquet.thrift Type). */
export const BOOLEAN = 0;
export const INT32 = 1;
export const INT64 = 2;
export const FLOAT = 4;
export const DOUBLE = 5;
export const BYTE_ARRAY = 6;

const UNIT_SCALE = [0, 1, 1e-3, 1e-6];
const UNIT_TYPE = [null, TimestampMillisecond, TimestampMicrosecond, TimestampNanosecond];

/**
 * The columns of a flat file, typed the way parquet-wasm (arrow-rs) types them, or the reason the
 * native reader does not take the file. arrow-rs follows the Arrow schema that pyarrow, Polars and
 * arrow-rs store in the "ARROW:schema" key; a stored type is taken only where it lands in the same
 * workbench column as the Parquet type (a text variant for text, else the same type), so anything
 * subtler goes to parquet-wasm.
 */
export function planColumns(meta: FileMeta): LeafPlan[] | string {
  const [root, ...leaves] = meta.schema;
  if (!root || root.children !== leaves.length) return 'nested columns';
  const plans: LeafPlan[] = [];
  for (const leaf of leaves) {
    const plan = leafPlan(leaf);
    if (typeof plan === 'string') return `column "${leaf.name}": ${plan}`;
    plans.push(plan);
  }
  const stored = meta.keyValues.get('ARROW:schema');
  if (stored !== undefined) {
    const hints = arrowFields(stored);
    if (!hints || hints.length !== plans.length) return 'an Arrow schema that does not match the columns';
    for (let c = 0; c < plans.length; c++) {
      if (!agrees(plans[c]!.type, hints[c]!.type)) return `column "${plans[c]!.name}": stored Arrow type ${hints[c]!.type}`;
      plans[c]!.wholeDictionary = DataType.isDictionary(hints[c]!.type);
    }
  }
  return plans;
}

function leafPlan(e: SchemaElement): LeafPlan | string {
  if (e.children > 0 || e.type === undefined) return 'nested columns';
  if (e.repetition === 2) return 'a repeated column';
  const base = { name: e.name, optional: e.repetition !== 0, scale: 1, wholeDictionary: false };
  const typed = (type: DataType, convert: Convert, scale = 1): LeafPlan => ({ ...base, type, convert, scale });
  const lt = e.logical;
  const ct = e.convertedType;
  switch (e.type) {
    case BOOLEAN:
      return lt || ct !== undefined ? 'an annotated boolean' : typed(new Bool(), 'bool');
    case INT32: {
      if (lt?.kind === 6 || (!lt && ct === 6)) return typed(new DateDay(), 'date');
      const int = intType(e, 32);
      if (!int) return 'an INT32 annotation it does not read';
      return typed(int, DataType.isInt(int) && int.bitWidth === 32 && !int.isSigned ? 'uint32' : 'int32');
    }
    case INT64: {
      const unit = lt?.kind === 8 ? lt.unit! : !lt && ct === 9 ? 1 : !lt && ct === 10 ? 2 : 0;
      const Ts = UNIT_TYPE[unit];
      if (Ts) return typed(new Ts(), 'timestamp', UNIT_SCALE[unit]);
      const int = intType(e, 64);
      if (!int) return 'an INT64 annotation it does not read';
      return typed(int, DataType.isInt(int) && int.isSigned ? 'int64' : 'uint64');
    }
    case FLOAT:
      return lt || ct !== undefined ? 'an annotated FLOAT' : typed(new Float32(), 'float');
    case DOUBLE:
      return lt || ct !== undefined ? 'an annotated DOUBLE' : typed(new Float64(), 'double');
    case BYTE_ARRAY:
      if (lt?.kind === 1 || (!lt && ct === 0)) return typed(new Utf8(), 'bytes');
      if (!lt && ct === undefined) return typed(new Binary(), 'bytes');
      return 'a BYTE_ARRAY annotation it does not read';
    default:
      return `physical type ${e.type}`;
  }
}

/** The integer type of an INT32 / INT64 leaf: plain, INTEGER(bits, signed), or INT_n / UINT_n. */
function intType(e: SchemaElement, physical: 32 | 64): DataType | null {
  let bits: number = physical;
  let signed = true;
  if (e.logical) {
    if (e.logical.kind !== 10) return null;
    bits = e.logical.bitWidth!;
    signed = e.logical.signed!;
  } else if (e.convertedType !== undefined) {
    const c = e.convertedType;
    if (c < 11 || c > 18) return null;
    bits = ([8, 16, 32, 64] as const)[(c - 11) % 4]!;
    signed = c >= 15;
  }
  if (physical === 32 ? bits > 32 : bits !== 64) return null;
  const types: Record<string, () => DataType> = {
    s8: () => new Int8(),
    s16: () => new Int16(),
    s32: () => new Int32(),
    s64: () => new Int64(),
    u8: () => new Uint8(),
    u16: () => new Uint16(),
    u32: () => new Uint32(),
    u64: () => new Uint64(),
  };
  return types[`${signed ? 's' : 'u'}${bits}`]?.() ?? null;
}

/** The fields of a stored Arrow schema (base64 of an IPC schema message), or null if unreadable. */
function arrowFields(base64: string): Field[] | null {
  try {
    const raw = atob(base64);
    const message = new Uint8Array(raw.length + 8);
    for (let i = 0; i < raw.length; i++) message[i] = raw.charCodeAt(i);
    message.set([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0], raw.length); // end-of-stream marker
    return tableFromIPC(message).schema.fields;
  } catch {
    return null;
  }
}

/** Whether a stored Arrow type puts the column where the Parquet type does, with the same warnings. */
function agrees(ours: DataType, stored: DataType): boolean {
  const value = DataType.isDictionary(stored) ? stored.dictionary : stored;
  if (DataType.isUtf8(ours)) return DataType.isUtf8(value) || DataType.isLargeUtf8(value) || DataType.isUtf8View(stored);
  if (DataType.isBinary(ours)) return DataType.isBinary(value) || DataType.isLargeBinary(value);
  if (DataType.isInt(ours)) return DataType.isInt(stored) && stored.bitWidth === ours.bitWidth && stored.isSigned === ours.isSigned;
  if (DataType.isFloat(ours)) return DataType.isFloat(stored) && stored.precision === ours.precision;
  if (DataType.isTimestamp(ours)) return DataType.isTimestamp(stored) && stored.unit === ours.unit;
  if (DataType.isDate(ours)) return DataType.isDate(stored) && stored.unit === ours.unit;
  return DataType.isBool(ours) && DataType.isBool(stored);
}
