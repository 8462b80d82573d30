import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DATASETS, fixture } from './helpers.ts';

const BIN = new URL('../../bin/workbench.mjs', import.meta.url).pathname;

function workbench(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npx workbench', () => {
  it('--help lists every command', () => {
    const r = workbench('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/profile FILE/);
  });

  it('profile prints a readable summary from a worker thread', () => {
    const r = workbench('profile', `${DATASETS}threat-logs/cybersecurity-threat-detection-logs-10k.csv`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/10,000 rows × 10 columns/);
    expect(r.stdout).toMatch(/Label "threat_label" \(3 classes\)/);
  });

  it('profile --json gives one JSON document; --names replaces generated names', () => {
    const names = fixture('nsl-names.txt', Array.from({ length: 43 }, (_, i) => (i === 41 ? 'label' : i === 42 ? 'difficulty' : `f${i + 1}`)).join('\n'));
    const r = workbench('profile', `${DATASETS}nsl-kdd/KDDTest+.txt`, '--names', names, '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { report: { rows: number; header: boolean }; profile: { label: { column: string } } };
    expect(doc.report.rows).toBe(22544);
    expect(doc.report.header).toBe(false);
    expect(doc.profile.label.column).toBe('label');
  });

  it('bad input: exit code ≠ 0 and one line on stderr, no stack trace', () => {
    for (const [file, pattern] of [
      [fixture('empty.csv', ''), /empty\.csv: the file is empty/],
      [fixture('cut.parquet', 'PAR1garbage'), /cut\.parquet: /],
      [fixture('quote.csv', 'a,b\n1,"x\n'), /quote\.csv: a quoted field is never closed.*line 2/],
      ['/no/such/file.csv', /no such file/],
    ] as const) {
      const r = workbench('profile', file);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    }
    const bad = workbench('profile', `${DATASETS}phishing/phishing-websites.csv`, '--nope');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown option --nope/);
  });
});
