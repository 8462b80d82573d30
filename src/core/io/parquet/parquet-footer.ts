import { ThriftReader, type ThriftStruct, type ThriftValue } from './thrift.ts';

/** The parts of Parquet's FileMetaData (parquet.thrift) the native reader uses. */
export interface FileMeta {
  rows: number;
  /** Depth-first schema elements; the first is the root. */
  schema: SchemaElement[];
  rowGroups: RowGroupMeta[];
  keyValues: Map<string, string>;
}

export interface SchemaElement {
  name: string;
  /** Physical type (Type enum), absent on groups. */
  type?: number;
  typeLength?: number;
  /** 0 required, 1 optional, 2 repeated. */
  repetition?: number;
  children: number;
  convertedType?: number;
  scale?: number;
  precision?: number;
  logical?: LogicalType;
}

/** LogicalType, the union, reduced to what the type mapping needs. */
export interface LogicalType {
  /** The union's field id: 1 STRING, 4 ENUM, 5 DECIMAL, 6 DATE, 7 TIME, 8 TIMESTAMP, 10 INTEGER, 11 UNKNOWN, 12 JSON, … */
  kind: number;
  /** TIME / TIMESTAMP: 1 millis, 2 micros, 3 nanos. */
  unit?: number;
  adjustedToUtc?: boolean;
  bitWidth?: number;
  signed?: boolean;
  scale?: number;
  precision?: number;
}

export interface RowGroupMeta {
  rows: number;
  bytes: number;
  columns: ColumnChunkMeta[];
}

export interface ColumnChunkMeta {
  /** Set when the chunk lives in another file (not supported here). */
  filePath?: string;
  type: number;
  encodings: number[];
  path: string[];
  codec: number;
  values: number;
  compressedSize: number;
  dataPageOffset: number;
  dictionaryPageOffset?: number;
}

export interface PageHeader {
  /** 0 DATA_PAGE, 1 INDEX_PAGE, 2 DICTIONARY_PAGE, 3 DATA_PAGE_V2. */
  type: number;
  uncompressedSize: number;
  compressedSize: number;
  /** Values in the page (rows, for flat columns), nulls included. */
  values: number;
  encoding: number;
  /** DATA_PAGE: the definition levels' encoding. */
  defEncoding: number;
  /** DATA_PAGE_V2: level byte lengths, nulls, and whether the values are compressed. */
  defBytes: number;
  repBytes: number;
  nulls: number;
  compressed: boolean;
  /** Where the page's data starts, in the buffer it was read from. */
  dataStart: number;
}

const text = new TextDecoder();

/** Decodes the footer (FileMetaData, Thrift compact) at bytes[start, end). Throws on bad data. */
export function parseFooter(bytes: Uint8Array, start: number, end: number): FileMeta {
  const s = new ThriftReader(bytes, start, end).struct();
  const keyValues = new Map<string, string>();
  for (const kv of structs(s[5])) keyValues.set(str(kv[1]), str(kv[2]));
  return {
    rows: num(s[3]),
    schema: structs(s[2]).map(schemaElement),
    rowGroups: structs(s[4]).map((g) => ({ rows: num(g[3]), bytes: num(g[2]), columns: structs(g[1]).map(columnChunk) })),
    keyValues,
  };
}

/** Decodes a page header at bytes[start, end); dataStart tells where its data begins. */
export function parsePageHeader(bytes: Uint8Array, start: number, end: number): PageHeader {
  const r = new ThriftReader(bytes, start, end);
  const s = r.struct();
  const v1 = opt(s[5]);
  const dict = opt(s[7]);
  const v2 = opt(s[8]);
  const body = v1 ?? dict ?? v2 ?? {};
  return {
    type: num(s[1]),
    uncompressedSize: num(s[2]),
    compressedSize: num(s[3]),
    values: num(body[1] ?? 0),
    encoding: num((v2 ? v2[4] : body[2]) ?? 0),
    defEncoding: num(v1?.[3] ?? 3),
    defBytes: num(v2?.[5] ?? 0),
    repBytes: num(v2?.[6] ?? 0),
    nulls: num(v2?.[2] ?? 0),
    compressed: v2?.[7] !== false,
    dataStart: r.pos,
  };
}

function schemaElement(e: ThriftStruct): SchemaElement {
  const logical = opt(e[10]);
  return {
    name: str(e[4]),
    type: optNum(e[1]),
    typeLength: optNum(e[2]),
    repetition: optNum(e[3]),
    children: num(e[5] ?? 0),
    convertedType: optNum(e[6]),
    scale: optNum(e[7]),
    precision: optNum(e[8]),
    logical: logical ? logicalType(logical) : undefined,
  };
}

function logicalType(u: ThriftStruct): LogicalType {
  const kind = Number(Object.keys(u)[0] ?? 0);
  const body = opt(u[kind]) ?? {};
  if (kind === 7 || kind === 8) {
    const unit = opt(body[2]) ?? {};
    return { kind, adjustedToUtc: body[1] === true, unit: Number(Object.keys(unit)[0] ?? 0) };
  }
  if (kind === 10) return { kind, bitWidth: num(body[1]), signed: body[2] === true };
  if (kind === 5) return { kind, scale: num(body[1]), precision: num(body[2]) };
  return { kind };
}

function columnChunk(c: ThriftStruct): ColumnChunkMeta {
  const m = opt(c[3]);
  if (!m) throw new Error('a column chunk has no metadata');
  return {
    filePath: c[1] === undefined ? undefined : str(c[1]),
    type: num(m[1]),
    encodings: list(m[2]).map(num),
    path: list(m[3]).map(str),
    codec: num(m[4]),
    values: num(m[5]),
    compressedSize: num(m[7]),
    dataPageOffset: num(m[9]),
    dictionaryPageOffset: optNum(m[11]),
  };
}

function num(v: ThriftValue | undefined): number {
  if (typeof v !== 'number') throw new Error('a required number is missing');
  return v;
}

function optNum(v: ThriftValue | undefined): number | undefined {
  return v === undefined ? undefined : num(v);
}

function str(v: ThriftValue | undefined): string {
  if (!(v instanceof Uint8Array)) throw new Error('a required string is missing');
  return text.decode(v);
}

function list(v: ThriftValue | undefined): ThriftValue[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new Error('a list is malformed');
  return v;
}

function structs(v: ThriftValue | undefined): ThriftStruct[] {
  return list(v).map((x) => {
    const s = opt(x);
    if (!s) throw new Error('a struct is malformed');
    return s;
  });
}

function opt(v: ThriftValue | undefined): ThriftStruct | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v instanceof Uint8Array || Array.isArray(v)) throw new Error('a struct is malformed');
  return v;
}
