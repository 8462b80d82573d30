import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { DataType } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { profileTable } from '../../src/core/profile/profile-table.ts';
import { DATASETS, loadText } from './helpers.ts';

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('bad input gets a load with warnings or a message naming the file, row and column', () => {
  it('an empty file', async () => {
    await expect(loadText('empty.csv', '')).rejects.toThrow(/^empty\.csv: the file is empty/);
  });

  it('blank lines only', async () => {
    await expect(loadText('blank.csv', '\n\n  \n')).rejects.toThrow(/blank\.csv: the file holds only blank lines/);
  });

  it('a header only', async () => {
    const { report, table } = await loadText('header.csv', 'a,b,c\n');
    expect([report.rows, report.columns]).toEqual([0, 3]);
    expect(report.warnings).toContain('the file has no data rows');
    const profile = await profileTable(table);
    expect(profile.rows).toBe(0);
  });

  it('binary garbage', async () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    await expect(loadText('garbage.csv', bytes)).rejects.toThrow(/garbage\.csv: this is binary data, not CSV text/);
  });

  it('a CSV named .parquet is read as CSV, with a warning', async () => {
    const { report } = await loadText('mislabelled.parquet', 'a,b\n1,2\n');
    expect(report.format).toBe('csv');
    expect(report.warnings[0]).toMatch(/name says parquet but the content is text/);
  });

  it('a corrupt gzip and a truncated gzip', async () => {
    const gz = gzipSync(Buffer.from('a,b\n' + '1,2\n'.repeat(50_000)));
    const corrupt = Uint8Array.from(gz);
    corrupt.fill(0x55, 20, 200);
    await expect(loadText('corrupt.csv.gz', corrupt)).rejects.toThrow(/corrupt\.csv\.gz: the data is corrupt or truncated/);
    const real = readFileSync(`${DATASETS}kdd99/kddcup.data_10_percent.gz`);
    await expect(loadText('truncated.csv.gz', real.subarray(0, 100_000))).rejects.toThrow(/truncated\.csv\.gz: the data is corrupt or truncated/);
  });

  it('an unterminated quote names the line where it opens', async () => {
    await expect(loadText('quote.csv', 'a,b\n1,2\n3,"open\n4,5\n')).rejects.toThrow(
      /quote\.csv: a quoted field is never closed.*\(line 3\)/,
    );
  });

  it('ragged rows are repaired or skipped, with line numbers and reasons', async () => {
    const { report, table } = await loadText('ragged.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12,\n13,14,15\n');
    expect(report.rows).toBe(4);
    expect(report.skippedRows).toBe(1);
    expect(report.repairedRows).toBe(2);
    expect(report.rowIssues).toEqual([
      { line: 3, action: 'repaired', reason: '2 fields where the header has 3; the missing ones are empty' },
      { line: 4, action: 'skipped', reason: '4 fields where the header has 3' },
      { line: 5, action: 'repaired', reason: '1 trailing empty field(s) dropped' },
    ]);
    expect(table.getChild('c')!.get(1)).toBeNull();
  });

  it('stray text after a closing quote is kept and reported', async () => {
    const { report, table } = await loadText('stray.csv', 'a,b\n"x"y,1\n');
    expect(table.getChild('a')!.get(0)).toBe('x"y');
    expect(report.rowIssues[0]).toMatchObject({ line: 2, action: 'repaired' });
  });

  it('duplicate, blank and non-ASCII headers are made unique and trimmed, originals kept', async () => {
    const { report } = await loadText('names.csv', ' id ,名前,名前,,x\n1,2,3,4,5\n');
    expect(report.columnNames).toEqual(['id', '名前', '名前_2', 'column_4', 'x']);
    expect(report.originalNames).toEqual([' id ', '名前', '名前', '', 'x']);
  });

  it('a 20,000-column file loads and profiles', async () => {
    const width = 20_000;
    const head = Array.from({ length: width }, (_, i) => `c${i}`).join(',');
    const row = (r: number) => Array.from({ length: width }, (_, i) => (i * r) % 97).join(',');
    const { report, table } = await loadText('wide.csv', [head, row(1), row(2), row(3)].join('\n'));
    expect([report.rows, report.columns]).toEqual([3, width]);
    const profile = await profileTable(table);
    expect(profile.columns).toHaveLength(width);
    expect(profile.correlations.truncated).toBe(true);
  }, 60_000);

  it('a 30 MB single field', async () => {
    const big = 'x'.repeat(30 << 20);
    const { report, table } = await loadText('bigfield.csv', `id,payload\n1,"${big}"\n2,small\n`);
    expect(report.rows).toBe(2);
    expect((table.getChild('payload')!.get(0) as string).length).toBe(30 << 20);
  }, 60_000);

  it('Latin-1 text falls back from UTF-8', async () => {
    const { report, table } = await loadText('latin1.csv', latin1('name,city\nJosé,Zürich\nAnaïs,Besançon\n'));
    expect(report.encoding).toBe('latin-1');
    expect(table.getChild('city')!.get(0)).toBe('Zürich');
    expect(report.warnings.some((w) => w.includes('Latin-1'))).toBe(true);
  });

  it('a label of a single class profiles with a clear warning', async () => {
    const { table } = await loadText('oneclass.csv', 'x,label\n1,benign\n2,benign\n3,benign\n');
    const profile = await profileTable(table);
    expect(profile.label?.column).toBe('label');
    expect(profile.warnings.map((w) => w.kind)).toContain('single-class');
  });

  it('a file beyond the memory limit is refused before loading', async () => {
    await expect(loadText('huge.csv', 'a,b\n' + '1,2\n'.repeat(1000), { memoryLimitBytes: 1000 })).rejects.toThrow(
      /huge\.csv: loading needs about .* of memory/,
    );
  });

  it('a cancelled load stops with a CancelledError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(loadText('cancel.csv', 'a\n1\n', { signal: controller.signal })).rejects.toMatchObject({ name: 'CancelledError' });
  });
});

describe('dialects and types', () => {
  it('sniffs semicolons, tabs and pipes; reads CRLF, quotes, escaped quotes and line breaks in fields', async () => {
    const semi = await loadText('semi.csv', 'a;b\r\n1,5;"x;y"\r\n2,5;"say ""hi"""\r\n3;"two\r\nlines"\r\n');
    expect(semi.report.delimiter).toBe(';');
    expect([0, 1, 2].map((i) => semi.table.getChild('b')!.get(i))).toEqual([
      'x;y',
      'say "hi"',
      'two\r\nlines',
    ]);
    expect(semi.table.getChild('a')!.get(0)).toBe('1,5');
    const tab = await loadText('tab.tsv', 'a\tb\n1\t2\n');
    expect(tab.report.delimiter).toBe('\t');
    expect(tab.table.getChild('b')!.get(0)).toBe(2);
  });

  it('infers int, float, bool, ISO and epoch timestamps, and text from mixed values', async () => {
    const csv = [
      'n,x,flag,when,event_time,port',
      '1,0.5,true,2024-01-02T03:04:05Z,1700000000,80',
      '2,-Infinity,false,2024-01-02 03:04:06.250,1700000001,443',
      '3,NaN,TRUE,2024-01-02T05:04:05+02:00,1700000002,ANY',
      ',1e3,,,,22',
    ].join('\n');
    const { table, report } = await loadText('types.csv', csv);
    const type = (c: string) => String(table.getChild(c)!.type);
    expect(type('n')).toBe('Int32');
    expect(type('x')).toBe('Float64');
    expect(type('flag')).toBe('Bool');
    expect(DataType.isTimestamp(table.getChild('when')!.type)).toBe(true);
    expect(DataType.isTimestamp(table.getChild('event_time')!.type)).toBe(true);
    expect(type('port')).toMatch(/Dictionary/);
    expect(table.getChild('n')!.get(3)).toBeNull();
    expect(table.getChild('x')!.get(3)).toBe(1000);
    expect(Number(table.getChild('when')!.get(2))).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(Number(table.getChild('when')!.get(1))).toBe(Date.UTC(2024, 0, 2, 3, 4, 6, 250));
    expect(Number(table.getChild('event_time')!.get(0))).toBe(1_700_000_000_000);
    expect(table.getChild('port')!.get(1)).toBe('443');
    expect(report.warnings.some((w) => w.includes('"port" is read as text') && w.includes('line 4'))).toBe(true);
    expect(report.warnings.some((w) => w.includes('"x" has 2 non-finite'))).toBe(true);
  });

  it('large integers widen to float64 exactly', async () => {
    const { table } = await loadText('big.csv', 'bytes\n1\n9007199254740991\n');
    expect(String(table.getChild('bytes')!.type)).toBe('Float64');
    expect(table.getChild('bytes')!.get(1)).toBe(9007199254740991);
  });

  it('a file given through the DecompressionStream default (the browser path) reads the same', async () => {
    const gz = gzipSync(Buffer.from('a,b\n1,x\n2,y\n'));
    const { report } = await loadText('web.csv.gz', gz, { gunzip: undefined });
    expect(report.rows).toBe(2);
  });
});
