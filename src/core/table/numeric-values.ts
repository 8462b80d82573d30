import { DataType, type Vector } from 'apache-arrow';

/**
 * A numeric, boolean or timestamp column as one Float64Array (timestamps in epoch ms, booleans
 * 0/1), with `valid[i] = 0` where the value is null. NaN and ±Infinity stay as they are.
 */
export function numericValues(vector: Vector): { values: Float64Array; valid: Uint8Array } {
  const values = new Float64Array(vector.length);
  const valid = new Uint8Array(vector.length).fill(1);
  let at = 0;
  for (const data of vector.data) {
    const n = data.length;
    const raw = data.values as ArrayLike<number | bigint>;
    const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
    const off = data.offset;
    if (DataType.isBool(data.type)) {
      const bits = data.values as Uint8Array;
      for (let i = 0; i < n; i++) {
        const j = off + i;
        values[at + i] = (bits[j >> 3]! >> (j & 7)) & 1;
      }
    } else if (raw instanceof BigInt64Array || raw instanceof BigUint64Array) {
      const scale = DataType.isTimestamp(data.type) ? toMillis(data.type.unit) : 1;
      for (let i = 0; i < n; i++) values[at + i] = Number(raw[off + i]!) * scale;
    } else if (DataType.isDate(data.type) && data.type.unit === 0) {
      for (let i = 0; i < n; i++) values[at + i] = (raw[off + i] as number) * 86_400_000;
    } else if (DataType.isFloat(data.type) && data.type.precision === 0) {
      // Float16 is stored as uint16 bits; rare in logs, decoded the slow way.
      for (let i = 0; i < n; i++) values[at + i] = Number(vector.get(at + i));
    } else {
      // Int8…Int32, Uint8…Uint32, Float32/64: a native typed-array copy converts exactly (a JS
      // loop cost ~1 ms a column in a first, cold training).
      values.set((raw as Float64Array).subarray(off, off + n), at);
    }
    if (bitmap) {
      for (let i = 0; i < n; i++) {
        const j = off + i;
        if (!((bitmap[j >> 3]! >> (j & 7)) & 1)) valid[at + i] = 0;
      }
    }
    at += n;
  }
  return { values, valid };
}

/** Multiplier from an Arrow TimeUnit (0 s, 1 ms, 2 µs, 3 ns) to milliseconds. */
function toMillis(unit: number): number {
  return [1000, 1, 1e-3, 1e-6][unit] ?? 1;
}
