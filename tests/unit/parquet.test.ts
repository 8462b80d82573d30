import { readFileSync } from 'node:fs';
import {
  Binary,
  Bool,
  DataType,
  DateDay,
  Decimal,
  Dictionary,
  Field,
  Float32,
  Int32,
  Int64,
  List,
  Table,
  TimestampMicrosecond,
  TimestampNanosecond,
  Uint32,
  Utf8,
  makeData,
  makeVector,
  tableToIPC,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import * as pq from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../src/core/io/blob-source.ts';
import { readParquet } from '../../src/core/io/parquet/read-parquet.ts';
import { CancelledError, LoadError } from '../../src/core/io/types.ts';
import { profileTable } from '../../src/core/profile/profile-table.ts';
import { DATASETS, fixture, loadPath, loadText } from './helpers.ts';

/** Parquet bytes of an Arrow table, written by parquet-wasm with the given codec and row-group size. */
function writeParquet(table: Table, codec = pq.Compression.SNAPPY, rowGroupSize = 1 << 20): Uint8Array {
  const props = new pq.WriterPropertiesBuilder().setCompression(codec).setMaxRowGroupSize(rowGroupSize).build();
  return pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(table, 'stream')), props);
}

/** A column of 64-bit values (timestamps, Int64) from numbers, without per-value builders. */
function int64Vector<T extends DataType>(type: T, values: (number | bigint | null)[]): Vector<T> {
  const data = BigInt64Array.from(values, (v) => BigInt(v ?? 0));
  const valid = new Uint8Array(8);
  values.forEach((v, i) => v !== null && (valid[i >> 3]! |= 1 << (i & 7)));
  const nullCount = values.filter((v) => v === null).length;
  return makeVector(makeData({ type, length: values.length, nullCount, nullBitmap: nullCount ? valid : undefined, data } as never)) as Vector<T>;
}

const values = (v: Vector | null) => [...(v ?? [])].map((x: unknown) => (x instanceof Object && 'toJSON' in x ? (x as { toJSON(): unknown }).toJSON() : x));

describe('Parquet: the real files', () => {
  it('NSL-KDD train and test load with their row counts; text is dictionary-encoded', async () => {
    const train = await loadPath(`${DATASETS}nsl-kdd/KDDTrain.parquet`);
    expect([train.report.rows, train.report.columns, train.report.format]).toEqual([125973, 38, 'parquet']);
    for (const name of ['protocol_type', 'service', 'flag', 'class']) {
      const type = train.table.getChild(name)!.type;
      expect(DataType.isDictionary(type) && String(type.dictionary)).toBe('Utf8');
    }
    expect(String(train.table.getChild('src_bytes')!.type)).toBe('Float64'); // Int64 in the file
    expect(String(train.table.getChild('serror_rate')!.type)).toBe('Float32'); // kept as written
    const profile = await profileTable(train.table);
    expect(profile.label?.column).toBe('class');
    expect(profile.duplicateRows).toBe(5843);

    const test = await loadPath(`${DATASETS}nsl-kdd/KDDTest.parquet`);
    expect([test.report.rows, test.report.columns]).toEqual([22544, 38]);
  });

  it('KDD99: six row groups into one contiguous table with one shared dictionary per column', async () => {
    const { report, table } = await loadPath(`${DATASETS}kdd99/kddcup-10pct.parquet`);
    expect([report.rows, report.columns]).toEqual([494021, 42]);
    expect(report.warnings).toEqual([]);
    const label = table.getChild('label')!;
    expect(label.data).toHaveLength(1);
    expect(DataType.isDictionary(label.type)).toBe(true);
    expect([label.get(0), label.get(494020)]).toEqual(['normal.', 'normal.']);
    const classes = label.data[0]!.dictionary!;
    expect(classes.length).toBe(23);
    expect(new Set([...classes]).size).toBe(23);
    expect(String(table.getChild('duration')!.type)).toBe('Int32');
    expect(table.getChild('src_bytes')!.get(0)).toBe(181);
  });
});

describe('Parquet: types, nulls, codecs and row groups', () => {
  const big = 2 ** 53 + 2;
  const source = new Table({
    i32: vectorFromArray([1, null, 3, -4, 5], new Int32()),
    i64: int64Vector(new Int64(), [10, null, -30, big, 50]),
    u32: vectorFromArray([1, 2, 4_000_000_000, null, 5], new Uint32()),
    f32: vectorFromArray([1.5, null, NaN, -2.25, 0], new Float32()),
    flag: vectorFromArray([true, null, false, true, false], new Bool()),
    text: vectorFromArray(['ssh', null, 'http', 'ssh', 'dns'], new Utf8()),
    bytes: vectorFromArray([new TextEncoder().encode('ab'), null, new Uint8Array([0x63]), new Uint8Array(0), new TextEncoder().encode('ab')], new Binary()),
    day: vectorFromArray([0, 1, null, 19_000, -1].map((d) => (d === null ? null : d * 86_400_000)), new DateDay()), // numbers are ms
    us: int64Vector(new TimestampMicrosecond(), [1_700_000_000_123_456, null, 0, -1_000, 1]),
    ns: int64Vector(new TimestampNanosecond(), [1_700_000_000_123_456_789n, 5_000_000, null, 0, 2]),
    tags: vectorFromArray([[1, 2], [], null, [3], [4, 5, 6]], new List(new Field('item', new Int32(), true))),
  });

  const codecs = [
    ['uncompressed', pq.Compression.UNCOMPRESSED],
    ['snappy', pq.Compression.SNAPPY],
    ['gzip', pq.Compression.GZIP],
    ['zstd', pq.Compression.ZSTD],
    ['brotli', pq.Compression.BROTLI],
    ['lz4', pq.Compression.LZ4_RAW],
  ] as const;

  for (const [codecName, codec] of codecs) {
    it(`${codecName}, one row group and row groups of 2 rows, give the same table`, async () => {
      for (const groupRows of [100, 2]) {
        const name = `types-${codecName}-${groupRows}.parquet`;
        const { table, report } = await loadText(name, writeParquet(source, codec, groupRows));
        expect([report.rows, report.columns]).toEqual([5, 11]);
        const col = (n: string) => table.getChild(n)!;
        expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
          'i32:Int32',
          'i64:Float64',
          'u32:Float64',
          'f32:Float32',
          'flag:Bool',
          'text:Dictionary<Int32, Utf8>',
          'bytes:Dictionary<Int32, Utf8>',
          'day:Timestamp<MILLISECOND>',
          'us:Timestamp<MILLISECOND>',
          'ns:Timestamp<MILLISECOND>',
          'tags:Dictionary<Int32, Utf8>',
        ]);
        expect(values(col('i32'))).toEqual([1, null, 3, -4, 5]);
        expect(values(col('i64'))).toEqual([10, null, -30, big, 50]);
        expect(values(col('u32'))).toEqual([1, 2, 4_000_000_000, null, 5]);
        expect(values(col('f32'))).toEqual([1.5, null, NaN, -2.25, 0]);
        expect(values(col('flag'))).toEqual([true, null, false, true, false]);
        expect(values(col('text'))).toEqual(['ssh', null, 'http', 'ssh', 'dns']);
        expect(col('text').data[0]!.dictionary!.length).toBe(3); // shared across row groups
        expect(values(col('bytes'))).toEqual(['ab', null, 'c', '', 'ab']);
        expect(values(col('day'))).toEqual([0, 86_400_000, null, 19_000 * 86_400_000, -86_400_000]);
        expect(values(col('us'))).toEqual([1_700_000_000_123, null, 0, -1, 0]);
        expect(values(col('ns'))).toEqual([1_700_000_000_123, 5, null, 0, 0]);
        expect(values(col('tags'))).toEqual(['[1,2]', '[]', null, '[3]', '[4,5,6]']);
        expect(table.data).toHaveLength(1);
        for (const f of table.schema.fields) expect(table.getChild(f.name)!.data).toHaveLength(1);
        expect(report.warnings).toEqual([
          'column "i64": 1 integer(s) beyond 2^53 are not exact as Float64',
          'column "bytes" is binary; its bytes were read as UTF-8 text',
          'column "tags" has type List<Int32>; its values were read as text',
        ]);
      }
    });
  }

  it('a column that is null in a whole row group keeps its nulls and values', async () => {
    const sparse = new Table({
      n: vectorFromArray([null, null, 7, 8, null, null], new Int32()),
      s: vectorFromArray([null, null, 'x', 'y', null, null], new Utf8()),
    });
    const { table } = await readParquet(bytesSource(writeParquet(sparse, pq.Compression.ZSTD, 2), 'sparse.parquet'), {});
    expect(values(table.getChild('n'))).toEqual([null, null, 7, 8, null, null]);
    expect(values(table.getChild('s'))).toEqual([null, null, 'x', 'y', null, null]);
    expect(table.getChild('n')!.nullCount).toBe(4);
  });

  it('dictionary columns (as pandas categoricals are written) and decimals', async () => {
    // 128-bit decimals, scale 2: 12.34, -0.05, null, 1e20 / 100 (beyond 2^53 before scaling).
    const words = new Uint32Array(16);
    const put = (i: number, v: bigint) => new BigInt64Array(words.buffer, i * 16, 2).set([BigInt.asIntN(64, v), v < 0n ? -1n : v >> 64n]);
    [1234n, -5n, 0n, 10n ** 20n].forEach((v, i) => put(i, v));
    const typed = new Table({
      cat: vectorFromArray(['tcp', 'udp', null, 'tcp'], new Dictionary(new Utf8(), new Int32())),
      price: makeVector(makeData({ type: new Decimal(2, 22, 128), length: 4, nullCount: 1, nullBitmap: Uint8Array.of(0b1011), data: words })),
    });
    const { table, warnings } = await readParquet(bytesSource(writeParquet(typed, pq.Compression.ZSTD, 2), 'typed.parquet'), {});
    expect(values(table.getChild('cat'))).toEqual(['tcp', 'udp', null, 'tcp']);
    expect(table.getChild('cat')!.data[0]!.dictionary!.length).toBe(2);
    expect(String(table.getChild('price')!.type)).toBe('Float64');
    expect(values(table.getChild('price'))).toEqual([12.34, -0.05, null, 1e18]);
    expect(warnings).toEqual(['column "price" (Decimal[22e+2]) was read as Float64, exact to about 15 digits']);
  });

  it('a file with no rows keeps its columns', async () => {
    const empty = new Table({ a: vectorFromArray([], new Int32()), b: vectorFromArray([], new Utf8()) });
    const { table } = await readParquet(bytesSource(writeParquet(empty), 'empty.parquet'), {});
    expect([table.numRows, table.numCols]).toEqual([0, 2]);
  });
});

describe('Parquet: progress and cancel', () => {
  const many = new Table({ x: vectorFromArray(Float64Array.from({ length: 10_000 }, (_, i) => i)) });
  const bytes = writeParquet(many, pq.Compression.SNAPPY, 1000);

  it('reports progress once per row group, ending at the file size', async () => {
    const seen: number[] = [];
    const { table } = await readParquet(bytesSource(bytes, 'many.parquet'), { onProgress: (p) => seen.push(p.done) });
    expect(table.numRows).toBe(10_000);
    expect(seen).toHaveLength(10);
    expect(seen.every((d, i) => i === 0 || d > seen[i - 1]!)).toBe(true);
    expect(seen.at(-1)).toBe(bytes.length);
  });

  it('stops between row groups when the signal fires', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const load = readParquet(bytesSource(bytes, 'many.parquet'), {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.done);
        if (seen.length === 3) controller.abort();
      },
    });
    await expect(load).rejects.toThrow(CancelledError);
    await expect(load).rejects.toThrow(/^many\.parquet: loading cancelled/);
    expect(seen).toHaveLength(3);
  });
});

describe('Parquet: damaged files get a LoadError naming the file', () => {
  const real = readFileSync(`${DATASETS}nsl-kdd/KDDTest.parquet`);
  const read = (name: string, bytes: Uint8Array) => readParquet(bytesSource(bytes, name), {});

  it('a truncated file', async () => {
    const path = fixture('cut.parquet', real.subarray(0, Math.floor(real.length / 2)));
    await expect(loadPath(path)).rejects.toThrow(LoadError);
    await expect(loadPath(path)).rejects.toThrow(/^cut\.parquet: not a complete Parquet file: the footer is missing or damaged/);
    await expect(read('tiny.parquet', new TextEncoder().encode('PAR1gar'))).rejects.toThrow(/^tiny\.parquet: not a complete Parquet file/);
  });

  it('garbage bytes', async () => {
    const garbage = new Uint8Array(5000).map((_, i) => (i * 7919 + 13) % 251);
    await expect(read('garbage.parquet', garbage)).rejects.toThrow(/^garbage\.parquet: not a Parquet file: it does not start with the "PAR1" signature/);
    // The signature at both ends but garbage between: the footer cannot be decoded.
    const framed = Uint8Array.from(garbage);
    framed.set([0x50, 0x41, 0x52, 0x31], 0);
    framed.set([0x00, 0x01, 0x00, 0x00, 0x50, 0x41, 0x52, 0x31], framed.length - 8);
    await expect(read('framed.parquet', framed)).rejects.toThrow(/^framed\.parquet: not a readable Parquet file: its metadata is damaged/);
  });

  it('a damaged footer or damaged pages', async () => {
    const footer = Uint8Array.from(real);
    footer.fill(7, footer.length - 2000, footer.length - 8);
    await expect(read('footer.parquet', footer)).rejects.toThrow(/^footer\.parquet: not a readable Parquet file/);
    const pages = Uint8Array.from(real);
    pages.fill(0xff, 5000, 60_000);
    await expect(read('pages.parquet', pages)).rejects.toThrow(/^pages\.parquet: row group 1 of 1 cannot be read: the file is damaged \(.*snappy: corrupt input/);
  });

  it('an unsupported compression (LZO) names the codec and column', async () => {
    // parquet-wasm cannot write LZO: write gzip, then patch the column's codec in the Thrift footer
    // (field 4 of ColumnMetaData, compact protocol: header 0x15, zigzag GZIP=2 → 0x04, LZO=3 → 0x06),
    // found right after the column's path "lzo_col" (length byte 0x07).
    const bytes = writeParquet(new Table({ lzo_col: vectorFromArray([1, 2, 3], new Int32()) }), pq.Compression.GZIP);
    const pattern = [0x07, ...new TextEncoder().encode('lzo_col'), 0x15, 0x04];
    const footerStart = bytes.length - 8 - new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true);
    let at = -1;
    for (let i = footerStart; i < bytes.length - pattern.length && at < 0; i++) if (pattern.every((b, k) => bytes[i + k] === b)) at = i;
    expect(at).toBeGreaterThan(0);
    bytes[at + pattern.length - 1] = 0x06;
    await expect(read('lzo.parquet', bytes)).rejects.toThrow(/^lzo\.parquet: compressed with LZO, which this reader does not support; re-save it with snappy, gzip or zstd \(column "lzo_col"\)/);
  });
});
