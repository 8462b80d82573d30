import { describe, expect, it } from 'vitest';
import { quantile } from '../../src/core/profile/numeric-stats.ts';
import { profileTable } from '../../src/core/profile/profile-table.ts';
import { DATASETS, loadPath, loadText } from './helpers.ts';

describe('profile', () => {
  it('threat logs: guessed label, its class balance, the leaky path, timestamps', async () => {
    const { table } = await loadPath(`${DATASETS}threat-logs/cybersecurity-threat-detection-logs-10k.csv`);
    const profile = await profileTable(table);
    expect(profile.label?.column).toBe('threat_label');
    expect(profile.label?.classes).toEqual([
      { value: 'benign', count: 9167 },
      { value: 'suspicious', count: 621 },
      { value: 'malicious', count: 212 },
    ]);
    expect(profile.warnings.map((w) => w.kind)).toContain('label-imbalance');
    const ts = profile.columns.find((c) => c.name === 'timestamp')!;
    expect(ts.kind).toBe('timestamp');
    expect(ts.stats!.min).toBeLessThan(ts.stats!.max);
  });

  it('phishing: 5,206 exact duplicate rows, label Result with two classes', async () => {
    const { table } = await loadPath(`${DATASETS}phishing/phishing-websites.csv`);
    const profile = await profileTable(table);
    expect(profile.duplicateRows).toBe(5206);
    expect(profile.label?.column).toBe('Result');
    expect(profile.label?.classes).toEqual([
      { value: '1', count: 6157 },
      { value: '-1', count: 4898 },
    ]);
    const k = profile.correlations.columns.length;
    expect(k).toBe(30);
    for (let i = 0; i < k; i++) expect(profile.correlations.matrix[i * k + i]).toBeCloseTo(1, 10);
  });

  it('CIC-IDS-2017 day file: 73 duplicates, non-finite warnings, constant columns', async () => {
    const { table } = await loadPath(`${DATASETS}cicids2017/Friday-WorkingHours-Afternoon-DDos-head.csv`);
    const profile = await profileTable(table);
    expect(profile.duplicateRows).toBe(73);
    expect(profile.label?.column).toBe('Label');
    expect(profile.label?.classes).toEqual([{ value: 'BENIGN', count: 9998 }]);
    expect(profile.warnings.map((w) => w.kind)).toContain('single-class');
    const flow = profile.columns.find((c) => c.name === 'Flow Bytes/s')!;
    expect(flow.stats!.posInf + flow.stats!.nan).toBeGreaterThan(0);
    expect(profile.warnings.some((w) => w.kind === 'non-finite' && w.column === 'Flow Bytes/s')).toBe(true);
    expect(profile.columns.filter((c) => c.constant).length).toBeGreaterThan(0);
  });

  it('numeric statistics agree with a direct computation', async () => {
    const values = Array.from({ length: 1001 }, (_, i) => ((i * 37) % 1001) / 10);
    const { table } = await loadText('stats.csv', 'v,w\n' + values.map((v, i) => `${v},${i % 3 === 0 ? '' : 2 * v + 1}`).join('\n'));
    const profile = await profileTable(table, { label: null });
    const v = profile.columns[0]!;
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    expect(v.stats!.mean).toBeCloseTo(mean, 10);
    expect(v.stats!.std).toBeCloseTo(std, 10);
    expect(v.stats!.min).toBe(0);
    expect(v.stats!.max).toBe(100);
    expect(v.stats!.quantiles.find((q) => q.p === 0.5)!.value).toBeCloseTo(50, 10);
    expect(v.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(1001);
    expect(profile.columns[1]!.missing).toBe(334);
    // w = 2v + 1 where present: perfectly correlated on those rows, less after mean imputation.
    expect(profile.correlations.matrix[1]).toBeGreaterThan(0.7);
    expect(quantile(Float64Array.of(1, 2, 3, 4), 0.25)).toBe(1.75);
  });

  it('headerless NSL-KDD: the label is guessed by shape (the last text column with few values)', async () => {
    const { table } = await loadPath(`${DATASETS}nsl-kdd/KDDTest+.txt`);
    const profile = await profileTable(table);
    expect(profile.labelCandidates).toContain('column_42');
    const chosen = await profileTable(table, { label: 'column_42' });
    expect(chosen.label?.classes.length).toBe(38);
  });
});
