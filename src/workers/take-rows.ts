import { DataType, RecordBatch, Struct, Table, makeData, vectorFromArray, type Data, type Vector } from 'apache-arrow';

/**
 * The rows of a table at the given indices (ascending or not), as a new one-batch table with the
 * same schema. Fixed-width columns, booleans and dictionaries are copied buffer to buffer (a
 * dictionary keeps its values and only the codes are taken); other types go value by value.
 */
export function takeRows(table: Table, rows: Int32Array): Table {
  const children = table.schema.fields.map((_, j) => takeColumn(table.getChildAt(j)!, rows));
  const struct = makeData({ type: new Struct(table.schema.fields), length: rows.length, nullCount: 0, children });
  return new Table([new RecordBatch(table.schema, struct)]);
}

function takeColumn(vector: Vector, rows: Int32Array): Data {
  const data = vector.data[0];
  const fast = vector.data.length === 1 && data && data.children.length === 0 && !data.valueOffsets;
  if (fast && (DataType.isBool(data.type) || isFixedWidth(data.type))) return takeData(data, rows);
  const values = Array.from(rows, (i) => vector.get(i) as unknown);
  const taken = vectorFromArray(values, vector.type as DataType);
  if (taken.data.length !== 1) throw new Error(`column of type ${String(vector.type)} could not be split`);
  return taken.data[0]!;
}

function isFixedWidth(type: DataType): boolean {
  return (
    DataType.isInt(type) ||
    DataType.isFloat(type) ||
    DataType.isDate(type) ||
    DataType.isTimestamp(type) ||
    DataType.isTime(type) ||
    DataType.isDuration(type) ||
    DataType.isDecimal(type) ||
    DataType.isDictionary(type)
  );
}

function takeData(data: Data, rows: Int32Array): Data {
  const n = rows.length;
  // Bit offsets (validity, booleans) count from data.offset; other value buffers are already sliced.
  const off = data.offset;
  let nullBitmap: Uint8Array | undefined;
  let nullCount = 0;
  if (data.nullCount > 0 && data.nullBitmap) {
    const src = data.nullBitmap;
    nullBitmap = new Uint8Array(((n + 63) >> 6) << 3);
    for (let i = 0; i < n; i++) {
      const j = off + rows[i]!;
      if ((src[j >> 3]! >> (j & 7)) & 1) nullBitmap[i >> 3]! |= 1 << (i & 7);
      else nullCount++;
    }
  }
  let values: ArrayLike<unknown>;
  if (DataType.isBool(data.type)) {
    const src = data.values as Uint8Array;
    const bits = new Uint8Array(((n + 63) >> 6) << 3);
    for (let i = 0; i < n; i++) {
      const j = off + rows[i]!;
      if ((src[j >> 3]! >> (j & 7)) & 1) bits[i >> 3]! |= 1 << (i & 7);
    }
    values = bits;
  } else {
    // Any typed array (BigInt64Array included): elements are only copied, never computed with.
    const src = data.values as unknown as Float64Array;
    const stride = data.stride;
    const Ctor = src.constructor as new (length: number) => typeof src;
    const out = new Ctor(n * stride);
    if (stride === 1) for (let i = 0; i < n; i++) out[i] = src[rows[i]!]!;
    else for (let i = 0; i < n; i++) out.set(src.subarray(rows[i]! * stride, (rows[i]! + 1) * stride), i * stride);
    values = out;
  }
  return makeData({
    type: data.type,
    length: n,
    nullCount: nullBitmap ? nullCount : 0,
    nullBitmap: nullCount > 0 ? nullBitmap : undefined,
    data: values,
    dictionary: data.dictionary,
  } as Parameters<typeof makeData>[0]);
}
