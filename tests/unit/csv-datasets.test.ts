import { DataType } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DATASETS, loadPath } from './helpers.ts';

// Row and column counts from ../shared/datasets/SOURCES.md.
describe('real datasets load with the row counts SOURCES.md gives', () => {
  it('phishing websites (header, all −1/0/1)', async () => {
    const { table, report } = await loadPath(`${DATASETS}phishing/phishing-websites.csv`);
    expect([report.rows, report.columns]).toEqual([11055, 31]);
    expect(report.header).toBe(true);
    expect(String(table.schema.fields.find((f) => f.name === 'Result')!.type)).toBe('Int32');
  });

  it('NSL-KDD headerless .txt files get generated names, and --names replaces them', async () => {
    const train = await loadPath(`${DATASETS}nsl-kdd/KDDTrain+_20Percent.txt`);
    expect([train.report.rows, train.report.columns, train.report.header]).toEqual([25192, 43, false]);
    expect(train.report.columnNames[0]).toBe('column_1');
    expect(train.report.originalNames.every((n) => n === null)).toBe(true);
    const names = Array.from({ length: 43 }, (_, i) => (i === 41 ? 'label' : `f${i}`));
    const test = await loadPath(`${DATASETS}nsl-kdd/KDDTest+.txt`, { names });
    expect([test.report.rows, test.report.columns]).toEqual([22544, 43]);
    expect(test.table.getChild('label')!.get(0)).toBe('neptune');
  });

  it('NSL-KDD with a header', async () => {
    const { report, table } = await loadPath(`${DATASETS}nsl-kdd/KDDTrain+_20Percent.csv`);
    expect([report.rows, report.columns, report.header]).toEqual([25192, 43, true]);
    expect(DataType.isDictionary(table.getChild('protocol_type')!.type)).toBe(true);
    const test = await loadPath(`${DATASETS}nsl-kdd/KDDTest+.csv`);
    expect(test.report.rows).toBe(22544);
  });

  it('KDD Cup 99 10% from gzip, without a header', async () => {
    const { report, table } = await loadPath(`${DATASETS}kdd99/kddcup.data_10_percent.gz`);
    expect([report.rows, report.columns, report.format]).toEqual([494021, 42, 'csv.gz']);
    expect(report.uncompressedBytes).toBe(74889749);
    expect(table.getChild('column_42')!.get(0)).toBe('normal.');
    expect(table.getChild('column_5')!.get(0)).toBe(181);
  }, 60_000);

  it('CIC-IDS-2017 day file: spaced and duplicate headers, Infinity and NaN', async () => {
    const { report, table } = await loadPath(`${DATASETS}cicids2017/Friday-WorkingHours-Afternoon-DDos-head.csv`);
    expect([report.rows, report.columns]).toEqual([9998, 79]);
    expect(report.columnNames).toContain('Label');
    expect(report.originalNames).toContain(' Label');
    expect(report.columnNames).toContain('Fwd Header Length_2');
    expect(report.warnings.some((w) => w.includes('Flow Bytes/s') && w.includes('Infinity'))).toBe(true);
    const flow = table.getChild('Flow Bytes/s')!.toArray() as Float64Array;
    expect(flow.some((v) => v === Infinity)).toBe(true);
    expect(flow.some((v) => Number.isNaN(v))).toBe(true);
  });

  it('CIC-IDS-2017 7-class sample', async () => {
    const { report } = await loadPath(`${DATASETS}cicids2017/CICIDS2017-sample-7class.csv`);
    expect([report.rows, report.columns]).toEqual([6311, 78]);
  });

  it('threat logs: byte-order mark, timestamps, dictionary strings', async () => {
    const { report, table } = await loadPath(`${DATASETS}threat-logs/cybersecurity-threat-detection-logs-10k.csv`);
    expect([report.rows, report.columns]).toEqual([10000, 10]);
    expect(report.columnNames[0]).toBe('timestamp');
    expect(DataType.isTimestamp(table.getChild('timestamp')!.type)).toBe(true);
    expect(DataType.isDictionary(table.getChild('threat_label')!.type)).toBe(true);
    expect(DataType.isInt(table.getChild('bytes_transferred')!.type)).toBe(true);
  });
});
