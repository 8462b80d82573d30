import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from './helpers.ts';

const BIN = new URL('../../bin/workbench.mjs', import.meta.url).pathname;
const train = (file: string, model: string, device = 'cpu') => {
  const out = mkdtempSync(join(tmpdir(), 'bad-'));
  const args = ['train', '--train', file, '--test', file, '--label', 'y', '--model', model, '--rounds', '5', '--trees', '5', '--device', device, '--out', out];
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { ...r, out };
};

describe('train on bad input: a clear message or a documented result, never NaN metrics', () => {
  for (const model of ['gbdt', 'rf', 'logistic']) {
    it(`${model}: 1-row file and label-only file are refused; all-missing features and unlabelled rows still train`, () => {
      for (const [content, pattern] of [
        ['x,y\n1,a\n', /single class \("a"\)/],
        ['y\na\nb\n', /no feature columns besides the label/],
      ] as const) {
        const r = train(fixture(`bad-${model}.csv`, content), model);
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(pattern);
      }
      // NaN / Infinity everywhere and an all-empty column: every feature is missing, the model
      // learns the class prior; a row without a label is left out of training and of the metrics.
      const nan = train(fixture(`nan-${model}.csv`, 'x,z,y\nNaN,,a\nInfinity,,b\n-inf,,a\nNaN,,b\n'), model);
      expect(nan.status).toBe(0);
      const m = JSON.parse(readFileSync(join(nan.out, 'metrics.json'), 'utf8'));
      expect(Number.isFinite(m.test.accuracy) && Number.isFinite(m.test.log_loss)).toBe(true);
      const unlabelled = train(fixture(`unl-${model}.csv`, 'x,y\n1,a\n2,\n3,b\n4,b\n'), model);
      expect(unlabelled.status).toBe(0);
      const u = JSON.parse(readFileSync(join(unlabelled.out, 'metrics.json'), 'utf8'));
      expect(u.train.unlabelled_rows).toBe(1);
      expect(u.test.rows).toBe(3);
    });
  }

  it('gbdt on the GPU: the same refusals, and the same predictions as the CPU where it trains', () => {
    expect(train(fixture('bad-gpu.csv', 'x,y\n1,a\n'), 'gbdt', 'gpu').stderr).toMatch(/single class \("a"\)/);
    for (const [name, content] of [
      ['nan-gpu.csv', 'x,z,y\nNaN,,a\nInfinity,,b\n-inf,,a\nNaN,,b\n'],
      ['few-gpu.csv', 'x,w,y\n1,p,a\n2,q,b\n3,p,b\n4,,a\n5,q,b\n'],
    ] as const) {
      const file = fixture(name, content);
      const [cpu, gpu] = [train(file, 'gbdt'), train(file, 'gbdt', 'gpu')];
      expect(gpu.status, gpu.stderr).toBe(0);
      expect(JSON.parse(readFileSync(join(gpu.out, 'metrics.json'), 'utf8')).device).not.toBe('cpu');
      const rows = (r: { out: string }) => readFileSync(join(r.out, 'predictions.csv'), 'utf8').trimEnd().split('\n').map((l) => l.split(','));
      const [a, b] = [rows(cpu), rows(gpu)];
      a.slice(1).forEach((row, i) => {
        expect(b[i + 1]![1]).toBe(row[1]);
        row.slice(2).forEach((p, k) => expect(Math.abs(Number(p) - Number(b[i + 1]![k + 2]))).toBeLessThanOrEqual(1e-5));
      });
    }
  });
});
