import {
  Binary,
  Bool,
  DateDay,
  Dictionary,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  Table,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  Uint16,
  Uint32,
  Uint8,
  Utf8,
  makeData,
  makeVector,
  tableToIPC,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import pl from 'nodejs-polars';
import * as pq from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../src/core/io/blob-source.ts';
import { readNativeParquet } from '../../src/core/io/parquet/native-reader.ts';
import { parseFooter, parsePageHeader } from '../../src/core/io/parquet/parquet-footer.ts';
import { readParquet, readParquetWasm } from '../../src/core/io/parquet/read-parquet.ts';
import { bothReaders, expectSameTable } from './parquet-native-helpers.ts';

const ROWS = 300;
/** A deterministic pseudo-random sequence, so the fixtures are the same on every run. */
const rand = (seed: number) => () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);

/** ROWS values from f, null where the row's draw says so (every column has its own nulls). */
function column<T>(seed: number, nullShare: number, f: (i: number, r: number) => T): (T | null)[] {
  const r = rand(seed);
  return Array.from({ length: ROWS }, (_, i) => (r() < nullShare ? null : f(i, r())));
}

function int64Vector(type: DataType, values: (bigint | null)[]): Vector {
  const data = BigInt64Array.from(values, (v) => v ?? 0n);
  const valid = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => v !== null && (valid[i >> 3]! |= 1 << (i & 7)));
  const nullCount = values.filter((v) => v === null).length;
  return makeVector(makeData({ type, length: values.length, nullCount, nullBitmap: nullCount ? valid : undefined, data } as never));
}

const words = ['tcp', 'udp', 'icmp', 'http', 'smtp', 'ftp_data', 'domain_u', 'ecr_i', 'private', 'other'];
const source = new Table({
  i8: vectorFromArray(column(1, 0.1, (_, r) => Math.floor(r * 256) - 128), new Int8()),
  i16: vectorFromArray(column(2, 0.1, (_, r) => Math.floor(r * 65536) - 32768), new Int16()),
  i32: vectorFromArray(column(3, 0, (i) => (i % 7) * 1000 - 3), new Int32()),
  u8: vectorFromArray(column(4, 0.2, (_, r) => Math.floor(r * 4)), new Uint8()),
  u16: vectorFromArray(column(5, 0.1, (_, r) => Math.floor(r * 65536)), new Uint16()),
  u32: vectorFromArray(column(6, 0.1, (_, r) => Math.floor(r * 2 ** 32)), new Uint32()),
  i64: int64Vector(new Int64(), column(7, 0.1, (i, r) => (i === 5 ? 2n ** 60n : BigInt(Math.floor(r * 1e6)) - 500_000n))),
  f32: vectorFromArray(column(8, 0.1, (i, r) => (i === 3 ? NaN : Math.round(r * 100) / 4)), new Float32()),
  f64: vectorFromArray(column(9, 0.05, (_, r) => Math.floor(r * 5) / 3), new Float64()),
  flag: vectorFromArray(column(10, 0.1, (_, r) => r < 0.3), new Bool()),
  always: vectorFromArray(column(11, 0, (i) => i % 3 === 0), new Bool()),
  text: vectorFromArray(column(12, 0.1, (_, r) => words[Math.floor(r * words.length)]!), new Utf8()),
  unique: vectorFromArray(column(13, 0.05, (i, r) => `row-${i}-${r.toFixed(6)}`), new Utf8()),
  bytes: vectorFromArray(column(14, 0.1, (_, r) => new TextEncoder().encode(words[Math.floor(r * 3)]!)), new Binary()),
  cat: vectorFromArray(column(15, 0.1, (_, r) => words[Math.floor(r * 4)]!), new Dictionary(new Utf8(), new Int32())),
  day: vectorFromArray(column(16, 0.1, (_, r) => Math.floor(r * 40_000) * 86_400_000), new DateDay()),
  ms: int64Vector(new TimestampMillisecond(), column(17, 0.1, (_, r) => BigInt(Math.floor(r * 2e12)))),
  us: int64Vector(new TimestampMicrosecond(), column(18, 0.1, (_, r) => BigInt(Math.floor(r * 2e15)) - 10n ** 15n)),
  ns: int64Vector(new TimestampNanosecond(), column(19, 0.1, (_, r) => BigInt(Math.floor(r * 2e15)) * 1000n + 7n)),
});

interface Options {
  codec: pq.Compression;
  v2: boolean;
  dictionary: boolean;
  groupRows: number;
  dictionaryBytes?: number;
}

function write(table: Table, o: Options): Uint8Array {
  let props = new pq.WriterPropertiesBuilder()
    .setCompression(o.codec)
    .setWriterVersion(o.v2 ? pq.WriterVersion.V2 : pq.WriterVersion.V1)
    .setDictionaryEnabled(o.dictionary)
    // PLAIN where no dictionary is used (v2 would write DELTA_*, which goes to parquet-wasm).
    .setEncoding(pq.Encoding.PLAIN)
    .setMaxRowGroupSize(o.groupRows)
    .setDataPageSizeLimit(256)
    .setWriteBatchSize(32);
  if (o.dictionaryBytes) props = props.setDictionaryPageSizeLimit(o.dictionaryBytes);
  return pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(table, 'stream')), props.build());
}

/** Every data page's (encoding, page type) in one column, walking the page headers. */
function pageKinds(bytes: Uint8Array, column: string): string[] {
  const end = bytes.length - 8;
  const meta = parseFooter(bytes, end - new DataView(bytes.buffer, bytes.byteOffset).getUint32(end, true), end);
  const kinds = new Set<string>();
  for (const group of meta.rowGroups) {
    const chunk = group.columns.find((c) => c.path[0] === column)!;
    let pos = chunk.dictionaryPageOffset ?? chunk.dataPageOffset;
    while (pos < (chunk.dictionaryPageOffset ?? chunk.dataPageOffset) + chunk.compressedSize) {
      const h = parsePageHeader(bytes, pos, end);
      kinds.add(`${['v1', 'index', 'dictionary', 'v2'][h.type]}:${h.type === 2 ? 'plain' : h.encoding}`);
      pos = h.dataStart + h.compressedSize;
    }
  }
  return [...kinds].sort();
}

describe('Native Parquet reader: fixtures give parquet-wasm\'s table', () => {
  const codecs = [
    ['uncompressed', pq.Compression.UNCOMPRESSED],
    ['snappy', pq.Compression.SNAPPY],
    ['gzip', pq.Compression.GZIP],
  ] as const;
  for (const [codecName, codec] of codecs) {
    for (const v2 of [false, true]) {
      for (const dictionary of [true, false]) {
        it(`${codecName}, ${v2 ? 'DATA_PAGE_V2' : 'DATA_PAGE'}, dictionary ${dictionary ? 'on' : 'off'}, one and many row groups`, async () => {
          for (const groupRows of [ROWS, 64]) {
            const bytes = write(source, { codec, v2, dictionary, groupRows });
            const { native, wasm } = await bothReaders(`fixture-${codecName}.parquet`, bytes);
            expectSameTable(native.table, wasm.table);
            expect(native.warnings).toEqual(wasm.warnings);
            expect(native.warnings).toContain('column "i64": 1 integer(s) beyond 2^53 are not exact as Float64');
          }
        });
      }
    }
  }

  it('text whose dictionary outgrows its limit and falls back to PLAIN mid-column', async () => {
    for (const v2 of [false, true]) {
      const bytes = write(source, { codec: pq.Compression.SNAPPY, v2, dictionary: true, groupRows: ROWS, dictionaryBytes: 512 });
      const kinds = pageKinds(bytes, 'unique');
      expect(kinds).toContain(`${v2 ? 'v2' : 'v1'}:0`); // PLAIN data pages …
      expect(kinds).toContain(`${v2 ? 'v2' : 'v1'}:8`); // … after RLE_DICTIONARY ones
      const { native, wasm } = await bothReaders('fallback.parquet', bytes);
      expectSameTable(native.table, wasm.table);
    }
  });

  it('files written by Polars (nodejs-polars), as read through readParquet', async () => {
    const df = pl.DataFrame({
      n: [1, null, 3, 4, null, 6],
      x: [0.5, 1.5, null, -2, 1e300, NaN],
      s: ['a', 'b', null, 'a', 'c', 'a'],
      b: [true, false, null, true, true, false],
    });
    for (const compression of ['uncompressed', 'snappy', 'gzip'] as const) {
      const bytes = new Uint8Array(df.writeParquet({ compression }));
      const name = `polars-${compression}.parquet`;
      const ours = await readParquet(bytesSource(bytes, name), {});
      const wasm = await readParquetWasm(bytesSource(bytes, name), {});
      expectSameTable(ours.table, wasm.table);
      expect(ours.warnings).toEqual(wasm.warnings);
      expect(await readNativeParquet(name, bytes, {})).toHaveProperty('table'); // not handed to parquet-wasm
    }
  });

  it('hands files it does not read to parquet-wasm, which reads them as before', async () => {
    const nested = new Table({ tags: vectorFromArray([[1], [2, 3]]) });
    const cases: [string, Uint8Array][] = [
      ['nested', pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(nested, 'stream')))],
      ['zstd', write(source, { codec: pq.Compression.ZSTD, v2: false, dictionary: true, groupRows: ROWS })],
      [
        'delta',
        pq.writeParquet(
          pq.Table.fromIPCStream(tableToIPC(new Table({ d: vectorFromArray([1, 2, 3, 5, 8], new Int32()) }), 'stream')),
          new pq.WriterPropertiesBuilder().setDictionaryEnabled(false).setEncoding(pq.Encoding.DELTA_BINARY_PACKED).build(),
        ),
      ],
    ];
    for (const [name, bytes] of cases) {
      const native = await readNativeParquet(name, bytes, {});
      expect([name, 'fallback' in native]).toEqual([name, true]);
      const ours = await readParquet(bytesSource(bytes, name), {});
      expectSameTable(ours.table, (await readParquetWasm(bytesSource(bytes, name), {})).table);
    }
  });
});
