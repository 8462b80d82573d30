import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oneShotWantsPool } from '../../src/workers/forest-pool-grower.ts';
import { DATASETS, fixture } from './helpers.ts';

const BIN = new URL('../../bin/workbench.mjs', import.meta.url).pathname;
const workbench = (...args: string[]) => spawnSync(process.execPath, [BIN, 'train', ...args], { encoding: 'utf8', timeout: 120_000 });

// The threat logs split by line: 8,000 rows to train on, 2,000 to test.
const lines = readFileSync(`${DATASETS}threat-logs/cybersecurity-threat-detection-logs-10k.csv`, 'utf8').trimEnd().split('\n');
const TRAIN = fixture('threat-train.csv', lines.slice(0, 8001).join('\n'));
const TEST = fixture('threat-test.csv', [lines[0], ...lines.slice(8001)].join('\n'));

describe('npx workbench train', () => {
  it('writes metrics.json and predictions.csv for the test rows in file order', () => {
    const out = mkdtempSync(join(tmpdir(), 'train-'));
    const r = workbench('--train', TRAIN, '--test', TEST, '--label', 'threat_label', '--model', 'gbdt', '--rounds', '20', '--seed', '1', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.classes).toEqual(['benign', 'malicious', 'suspicious']);
    expect(metrics.device).toMatch(/^cpu( ×\d+)?$/);
    expect(metrics.fit_seconds).toBeGreaterThan(0);
    expect(metrics.params).toMatchObject({ rounds: 20, depth: 6, bins: 256, lr: 0.1, seed: 1 });
    // The path leaks the label in this synthetic set (SOURCES.md): near-perfect scores are expected.
    expect(metrics.test.accuracy).toBeGreaterThan(0.95);
    expect(metrics.test.roc_auc).toBeGreaterThan(0.95);
    expect(Object.keys(metrics.test.recall)).toEqual(metrics.classes);
    expect(metrics.test.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(2000);
    const csv = readFileSync(join(out, 'predictions.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe('label,predicted,p_benign,p_malicious,p_suspicious');
    expect(csv).toHaveLength(2001);
    expect(csv[1]!.split(',')[0]).toBe(lines[8001]!.split(',')[5]);
    const again = mkdtempSync(join(tmpdir(), 'train-'));
    workbench('--train', TRAIN, '--test', TEST, '--label', 'threat_label', '--rounds', '20', '--seed', '1', '--out', again);
    expect(readFileSync(join(again, 'predictions.csv'), 'utf8')).toBe(readFileSync(join(out, 'predictions.csv'), 'utf8'));
  });

  it('--model rf trains a random forest and writes its metrics', () => {
    const out = mkdtempSync(join(tmpdir(), 'train-'));
    const r = workbench('--train', TRAIN, '--test', TEST, '--label', 'threat_label', '--model', 'rf', '--trees', '20', '--seed', '2', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^trained rf on 8,000 rows/);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.model).toBe('rf');
    // 8,000 rows × 20 trees × 13 levels: little work, one thread (oneShotWantsPool).
    expect(metrics.device).toBe('cpu');
    expect(metrics.params).toEqual({ trees: 20, depth: 16, bins: 256, seed: 2 });
    expect(metrics.classes).toEqual(['benign', 'malicious', 'suspicious']);
    expect(metrics.test.accuracy).toBeGreaterThan(0.95);
    const csv = readFileSync(join(out, 'predictions.csv'), 'utf8').trimEnd().split('\n');
    expect(csv).toHaveLength(2001);
    const [, , ...probabilities] = csv[1]!.split(',').map(Number);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('--model rf with enough rows × trees × levels grows on every core', () => {
    const out = mkdtempSync(join(tmpdir(), 'train-'));
    const r = workbench('--train', TRAIN, '--test', TEST, '--label', 'threat_label', '--model', 'rf', '--trees', '800', '--depth', '8', '--seed', '2', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    const threads = Math.min(8, availableParallelism());
    expect(oneShotWantsPool(8000, 800, 8)).toBe(true);
    expect(metrics.device).toBe(threads > 1 ? `cpu ×${threads}` : 'cpu');
    expect(metrics.test.accuracy).toBeGreaterThan(0.95);
  });

  it('--model logistic trains a multinomial logistic regression and writes its metrics', () => {
    const out = mkdtempSync(join(tmpdir(), 'train-'));
    const r = workbench('--train', TRAIN, '--test', TEST, '--label', 'threat_label', '--model', 'logistic', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^trained logistic on 8,000 rows/);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.model).toBe('logistic');
    expect(metrics.params).toMatchObject({ c: 1, max_iter: 1000, tol: 1e-6, top_k: 20 });
    expect(metrics.classes).toEqual(['benign', 'malicious', 'suspicious']);
    expect(metrics.test.accuracy).toBeGreaterThan(0.9);
    const csv = readFileSync(join(out, 'predictions.csv'), 'utf8').trimEnd().split('\n');
    expect(csv).toHaveLength(2001);
    const [, , ...probabilities] = csv[1]!.split(',').map(Number);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('--device gpu finds a Vulkan driver by itself and predicts what --device cpu does', () => {
    const run = (device: string) => {
      const out = mkdtempSync(join(tmpdir(), `train-${device}-`));
      const r = workbench('--train', TRAIN, '--test', TEST, '--label', 'threat_label', '--rounds', '8', '--depth', '4', '--device', device, '--out', out);
      expect(r.status, r.stderr).toBe(0);
      const rows = readFileSync(join(out, 'predictions.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(','));
      return { r, metrics: JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')), rows };
    };
    const cpu = run('cpu');
    const gpu = run('gpu');
    expect(gpu.r.stderr).toMatch(/^GPU: \S/m);
    expect(gpu.metrics.device).not.toBe('cpu');
    expect(gpu.metrics.gpu).toMatchObject({ adapter: gpu.metrics.device, software: true });
    expect(gpu.metrics.gpu.max_storage_binding_bytes).toBeGreaterThan(2 ** 20);
    expect(cpu.metrics.gpu).toBeUndefined();
    expect(gpu.r.stdout).toContain(gpu.metrics.device);
    expect(gpu.rows).toHaveLength(cpu.rows.length);
    let worst = 0;
    cpu.rows.forEach((row, i) => {
      const other = gpu.rows[i]!;
      expect(other[1]).toBe(row[1]);
      for (let k = 2; k < row.length; k++) worst = Math.max(worst, Math.abs(Number(other[k]) - Number(row[k])));
    });
    expect(worst).toBeLessThanOrEqual(1e-5);
  });

  it('bad arguments and bad labels: one line on stderr, exit ≠ 0', () => {
    const out = mkdtempSync(join(tmpdir(), 'train-'));
    const single = fixture('single.csv', 'x,y\n1,a\n2,a\n3,a\n');
    for (const [args, pattern] of [
      [['--train', TRAIN, '--test', TEST, '--label', 'threat_label', '--model', 'svm', '--out', out], /--model takes gbdt, rf or logistic, not "svm"/],
      [['--train', TRAIN, '--test', TEST, '--label', 'nope', '--out', out], /no label column "nope"/],
      [['--train', TRAIN, '--test', TEST, '--label', 'threat_label', '--depth', 'x', '--out', out], /--depth takes an integer/],
      [['--train', TRAIN, '--test', TEST, '--label', 'threat_label', '--device', 'tpu', '--out', out], /--device takes gpu or cpu, not "tpu"/],
      [['--train', single, '--test', single, '--label', 'y', '--out', out], /single class \("a"\)/],
      [['--test', TEST, '--label', 'y', '--out', out], /train needs --train/],
    ] as const) {
      const r = workbench(...args);
      expect(r.status).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
  });
});
