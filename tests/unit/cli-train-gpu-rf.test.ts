import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASETS, fixture } from './helpers.ts';

const BIN = new URL('../../bin/workbench.mjs', import.meta.url).pathname;
const workbench = (...args: string[]) => spawnSync(process.execPath, [BIN, 'train', ...args], { encoding: 'utf8', timeout: 240_000 });

// The threat logs split by line: 8,000 rows to train on, 2,000 to test (as cli-train.test.ts).
const lines = readFileSync(`${DATASETS}threat-logs/cybersecurity-threat-detection-logs-10k.csv`, 'utf8').trimEnd().split('\n');
const TRAIN = fixture('threat-train-rf-gpu.csv', lines.slice(0, 8001).join('\n'));
const TEST = fixture('threat-test-rf-gpu.csv', [lines[0], ...lines.slice(8001)].join('\n'));

describe('npx workbench train --model rf --device gpu', () => {
  it('grows the forest on the GPU and predicts what --device cpu does: labels equal, max |Δp| ≤ 1e-5', () => {
    const run = (device: string) => {
      const out = mkdtempSync(join(tmpdir(), `train-rf-${device}-`));
      const r = workbench('--train', TRAIN, '--test', TEST, '--label', 'threat_label', '--model', 'rf', '--trees', '20', '--depth', '8', '--seed', '3', '--device', device, '--out', out);
      expect(r.status, r.stderr).toBe(0);
      const rows = readFileSync(join(out, 'predictions.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(','));
      return { r, metrics: JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')), rows };
    };
    const cpu = run('cpu');
    const gpu = run('gpu');
    // The CPU run grows its trees on every core (the same trees as one thread).
    expect(cpu.metrics.device).toMatch(/^cpu( ×\d+)?$/);
    expect(gpu.r.stderr).toMatch(/^GPU: \S/m);
    expect(gpu.r.stderr).not.toMatch(/trains on the cpu/);
    expect(gpu.metrics.device).not.toBe('cpu');
    expect(gpu.metrics.device).not.toMatch(/finished on cpu/);
    expect(gpu.r.stdout).toContain(gpu.metrics.device);
    expect(gpu.rows).toHaveLength(2000);
    let worst = 0;
    let between = 0;
    cpu.rows.forEach((row, i) => {
      const other = gpu.rows[i]!;
      expect(other[1]).toBe(row[1]);
      for (let k = 2; k < row.length; k++) {
        const p = Number(row[k]);
        worst = Math.max(worst, Math.abs(Number(other[k]) - p));
        if (p > 0 && p < 1) between++;
      }
    });
    // Depth 8 leaves are not all pure: the probabilities are real means, not just 0 and 1.
    expect(between).toBeGreaterThan(100);
    expect(worst).toBeLessThanOrEqual(1e-5);
    expect(gpu.metrics.test.accuracy).toBe(cpu.metrics.test.accuracy);
  }, 300_000);
});
