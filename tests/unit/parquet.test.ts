import { readFileSync } from 'node:fs';
import { DataType, Table, tableToIPC, vectorFromArray } from 'apache-arrow';
import * as pq from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { profileTable } from '../../src/core/profile/profile-table.ts';
import { DATASETS, loadPath, loadText } from './helpers.ts';

describe('Parquet', () => {
  it('loads the real files with their row counts, text dictionary-encoded', async () => {
    const train = await loadPath(`${DATASETS}nsl-kdd/KDDTrain.parquet`);
    expect([train.report.rows, train.report.columns, train.report.format]).toEqual([125973, 38, 'parquet']);
    expect(DataType.isDictionary(train.table.getChild('protocol_type')!.type)).toBe(true);
    // Int64 byte counts arrive as Float64.
    expect(String(train.table.getChild('src_bytes')!.type)).toBe('Float64');
    const test = await loadPath(`${DATASETS}nsl-kdd/KDDTest.parquet`);
    expect(test.report.rows).toBe(22544);
    const profile = await profileTable(train.table);
    expect(profile.label?.column).toBe('class');
    expect(profile.duplicateRows).toBe(5843);
  });

  it('KDD99 Parquet: several row groups into one table, one shared dictionary', async () => {
    const { report, table } = await loadPath(`${DATASETS}kdd99/kddcup-10pct.parquet`);
    expect([report.rows, report.columns]).toEqual([494021, 42]);
    const label = table.getChild('label')!;
    expect(label.data).toHaveLength(1);
    expect(label.get(0)).toBe('normal.');
    expect(label.get(494020)).toBe('normal.');
  }, 60_000);

  it('reads gzip and zstd compression, nulls and timestamps', async () => {
    const source = new Table({
      n: vectorFromArray([1, null, 3], new (await import('apache-arrow')).Int32()),
      s: vectorFromArray(['a', null, 'c']),
    });
    for (const codec of [pq.Compression.GZIP, pq.Compression.ZSTD, pq.Compression.SNAPPY]) {
      const props = new pq.WriterPropertiesBuilder().setCompression(codec).build();
      const bytes = pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(source, 'stream')), props);
      const { table } = await loadText(`codec-${codec}.parquet`, bytes);
      expect([table.getChild('n')!.get(1), table.getChild('n')!.get(2)]).toEqual([null, 3]);
      expect(table.getChild('s')!.get(2)).toBe('c');
      expect(table.getChild('s')!.nullCount).toBe(1);
    }
  });

  it('a truncated Parquet file and garbage named .parquet get clear messages', async () => {
    const real = readFileSync(`${DATASETS}nsl-kdd/KDDTest.parquet`);
    await expect(loadText('cut.parquet', real.subarray(0, real.length / 2))).rejects.toThrow(
      /^cut\.parquet: not a complete Parquet file: the footer is missing/,
    );
    const damaged = Uint8Array.from(real);
    damaged.fill(7, damaged.length - 2000, damaged.length - 8);
    await expect(loadText('damaged.parquet', damaged)).rejects.toThrow(/^damaged\.parquet: not a readable Parquet file/);
  });
});
