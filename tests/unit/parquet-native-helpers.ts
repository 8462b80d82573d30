import { DataType, type Data, type Table } from 'apache-arrow';
import { expect } from 'vitest';
import { bytesSource } from '../../src/core/io/blob-source.ts';
import { readNativeParquet } from '../../src/core/io/parquet/native-reader.ts';
import { readParquetWasm } from '../../src/core/io/parquet/read-parquet.ts';
import { parquetHelper } from '../../src/workers/parquet-helper.ts';
import type { ParquetHelperReply } from '../../src/workers/parquet-pool-protocol.ts';
import { parquetPool, type ParquetPool } from '../../src/workers/parquet-pool.ts';

/**
 * Reads bytes with both readers; fails if the native one hands the file to parquet-wasm, or if
 * its columns decoded in shares on helper threads (inlineParquetPool) differ from one thread's.
 */
export async function bothReaders(name: string, bytes: Uint8Array): Promise<{ native: { table: Table; warnings: string[] }; wasm: { table: Table; warnings: string[] } }> {
  const native = await readNativeParquet(name, bytes, {});
  if ('fallback' in native) throw new Error(`${name}: the native reader fell back (${native.fallback})`);
  const shared = await readNativeParquet(name, bytes, { parquetHelper: inlineParquetPool(3) });
  if ('fallback' in shared) throw new Error(`${name}: the native reader fell back with helpers (${shared.fallback})`);
  expectSameTable(shared.table, native.table);
  expect(shared.warnings).toEqual(native.warnings);
  const wasm = await readParquetWasm(bytesSource(bytes, name), {});
  return { native, wasm };
}

/**
 * Two tables are the same: names, types, one chunk per column, null bitmaps, and every valid value
 * (typed buffers compared element by element; text by its dictionary entry, and the dictionaries
 * themselves in order). Values under nulls are not compared (Arrow leaves them unspecified).
 */
export function expectSameTable(actual: Table, expected: Table): void {
  expect(actual.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(expected.schema.fields.map((f) => `${f.name}:${f.type}`));
  expect(actual.numRows).toBe(expected.numRows);
  actual.schema.fields.forEach((field, c) => {
    const a = actual.getChildAt(c)!.data;
    const e = expected.getChildAt(c)!.data;
    expect([a.length, field.name]).toEqual([e.length, field.name]);
    if (a.length === 0) return;
    expectSameData(field.name, a[0]!, e[0]!);
  });
}

function expectSameData(name: string, a: Data, e: Data): void {
  expect([name, a.length, a.nullCount]).toEqual([name, e.length, e.nullCount]);
  const mismatches: string[] = [];
  const valid = (d: Data, i: number) => d.nullCount === 0 || ((d.nullBitmap![i >> 3]! >> (i & 7)) & 1) === 1;
  if (DataType.isDictionary(a.type)) {
    const da = [...a.dictionary!];
    const de = [...e.dictionary!];
    expect([name, da]).toEqual([name, de]);
  }
  const av = a.values as ArrayLike<number | bigint>;
  const ev = e.values as ArrayLike<number | bigint>;
  const isBool = DataType.isBool(a.type);
  for (let i = 0; i < a.length && mismatches.length < 5; i++) {
    const va = valid(a, i);
    if (va !== valid(e, i)) mismatches.push(`row ${i}: valid ${va} vs ${!va}`);
    else if (va) {
      const x = isBool ? (av[i >> 3] as number >> (i & 7)) & 1 : av[i];
      const y = isBool ? (ev[i >> 3] as number >> (i & 7)) & 1 : ev[i];
      if (!Object.is(x, y)) mismatches.push(`row ${i}: ${x} vs ${y}`);
    }
  }
  expect([name, mismatches]).toEqual([name, []]);
}

/**
 * A Parquet pool whose helper "threads" run in this thread (parquet-helper.ts behind structured
 * clones and transfers, replies on a later task), so tests exercise the shared decoding on files
 * of any size. `fail`: the helper's thread fails to start.
 */
export function inlineParquetPool(threads = 2, fail = false): ParquetPool {
  return parquetPool(
    threads,
    () => {
      const listeners: ((reply: ParquetHelperReply) => void)[] = [];
      const errors: ((error: Error) => void)[] = [];
      const deliver = (reply: ParquetHelperReply, transfer: ArrayBuffer[] = []) => {
        const copy = structuredClone(reply, { transfer });
        setTimeout(() => listeners.forEach((l) => l(copy)));
      };
      const handle = parquetHelper(deliver);
      setTimeout(() => (fail ? errors.forEach((l) => l(new Error('no worker here'))) : deliver({ type: 'ready' })));
      return {
        postMessage: (message) => void handle(structuredClone(message)),
        onMessage: (listener) => listeners.push(listener),
        onError: (listener) => errors.push(listener),
        terminate: async () => undefined,
      };
    },
    0,
  );
}
