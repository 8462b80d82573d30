import { tableToIPC, type Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { encodeLabels } from '../../src/core/models/labels.ts';
import { parallelForestGrower } from '../../src/workers/forest-pool.node.ts';
import { stratifiedSplit } from '../../src/workers/stratified-split.ts';
import { takeRows } from '../../src/workers/take-rows.ts';
import { TrainApi, type TrainRequest, type TrainUpdate } from '../../src/workers/train-api.ts';
import { loadPath, loadText } from './helpers.ts';

const EXAMPLE = new URL('../../public/datasets/example-logs.csv', import.meta.url).pathname;
const ipc = (table: Table) => tableToIPC(table, 'stream');
const gbdt = (params: TrainRequest['params'] = { rounds: 10, maxDepth: 3 }): TrainRequest => ({
  model: 'gbdt',
  label: 'label',
  device: 'cpu',
  validationShare: 0.2,
  seed: 1,
  params,
});

describe('the train worker API (in-thread)', () => {
  it('splits stratified and seeded, keeping every column type and null', async () => {
    const { table } = await loadPath(EXAMPLE);
    const { y, classes } = encodeLabels(table.getChild('label')!);
    const split = stratifiedSplit(y, 0.2, 7);
    expect(split.train.length + split.validation.length).toBe(table.numRows);
    expect(stratifiedSplit(y, 0.2, 7).validation).toEqual(split.validation);
    for (let k = 0; k < classes.length; k++) {
      const all = y.filter((v) => v === k).length;
      const held = split.validation.filter((i) => y[i] === k).length;
      expect(Math.abs(held - Math.round(all * 0.2))).toBeLessThanOrEqual(1);
    }
    const part = takeRows(table, split.validation);
    expect(part.numRows).toBe(split.validation.length);
    expect(part.schema.fields.map((f) => String(f.type))).toEqual(table.schema.fields.map((f) => String(f.type)));
    for (const name of table.schema.fields.map((f) => f.name)) {
      for (const j of [0, 17, part.numRows - 1]) expect(part.getChild(name)!.get(j)).toEqual(table.getChild(name)!.get(split.validation[j]!));
      expect(part.getChild(name)!.nullCount).toBe(Array.from(split.validation).filter((i) => table.getChild(name)!.get(i) === null).length);
    }
  });

  it('trains GBDT on the CPU, reports throttled progress and evaluates on the held-out rows', async () => {
    const { table } = await loadPath(EXAMPLE);
    const api = new TrainApi();
    const updates: TrainUpdate[] = [];
    const result = await api.train(ipc(table), gbdt(), (u) => updates.push(u));
    expect(result.device).toBe('cpu');
    expect(result.notice).toBeNull();
    expect(result.rows.validation).toBe(6000);
    expect(result.rows.train).toBe(24000);
    expect(result.metrics.accuracy).toBeGreaterThan(0.8);
    expect(result.history).toHaveLength(10);
    expect(result.history[9]!.validationLoss).toBeGreaterThan(0);
    expect(updates.at(-1)).toMatchObject({ unit: 'round', done: 10, total: 10 });
    expect(updates.flatMap((u) => u.points).map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(api.model(result.modelId).trained.model.kind).toBe('gbdt');
    expect(JSON.parse(JSON.stringify(result))).toMatchObject({ classes: ['benign', 'malicious', 'suspicious'] });
  });

  it('stops at the next round once the shared cancel flag is set', async () => {
    const { table } = await loadPath(EXAMPLE);
    const flag = new Int32Array(new SharedArrayBuffer(4));
    let seen = 0;
    let setAt = 0;
    const run = new TrainApi().train(ipc(table), gbdt({ rounds: 500, maxDepth: 3 }), (u) => {
      seen = u.done;
      if (u.done >= 3 && setAt === 0) {
        setAt = u.done;
        Atomics.store(flag, 0, 1);
      }
    }, flag);
    await expect(run).rejects.toMatchObject({ name: 'CancelledError' });
    // Progress comes in throttled batches, so the flag goes up at some round ≥ 3; the next round
    // stops the training before it reports again.
    expect(setAt).toBeGreaterThanOrEqual(3);
    expect(seen).toBe(setAt);
    expect(seen).toBeLessThan(500);
  });

  it('grows a forest on the forest pool (two threads), the same as on one; stops at the next tree once the cancel flag is set', async () => {
    const { table } = await loadPath(EXAMPLE);
    const pool = parallelForestGrower({ threads: 2 });
    try {
      const api = new TrainApi({ forestGrower: () => pool });
      const rf = { ...gbdt(), model: 'rf', params: { trees: 8, maxDepth: 8 } } as const;
      const two = await api.train(ipc(table), rf);
      const one = await new TrainApi().train(ipc(table), rf);
      expect([two.device, one.device]).toEqual(['cpu ×2', 'cpu']);
      expect(two.history).toEqual(one.history);
      expect(two.metrics).toEqual(one.metrics);
      const flag = new Int32Array(new SharedArrayBuffer(4));
      let seen = 0;
      let setAt = 0;
      const run = api.train(ipc(table), { ...rf, params: { trees: 500, maxDepth: 8 } }, (u) => {
        seen = u.done;
        if (u.done >= 3 && setAt === 0) {
          setAt = u.done;
          Atomics.store(flag, 0, 1);
        }
      }, flag);
      await expect(run).rejects.toMatchObject({ name: 'CancelledError' });
      // The next tree's report stops it (progress is throttled, so the flag goes up at some tree ≥ 3).
      expect(setAt).toBeGreaterThanOrEqual(3);
      expect(seen).toBe(setAt);
      expect(seen).toBeLessThan(500);
    } finally {
      await pool.close();
    }
  });

  it('falls back to the CPU with a notice when the GPU is asked for a model it does not train, or is missing', async () => {
    const { table } = await loadPath(EXAMPLE);
    const api = new TrainApi({ gpu: () => undefined });
    const rf = await api.train(ipc(table), { ...gbdt(), model: 'rf', device: 'gpu', params: { trees: 5, maxDepth: 6 } });
    expect(rf.device).toBe('cpu');
    expect(rf.notice).toMatch(/WebGPU is unavailable/);
    const none = await api.train(ipc(table), { ...gbdt(), device: 'gpu' });
    expect(none.device).toBe('cpu');
    expect(none.notice).toMatch(/WebGPU is unavailable/);
    expect((await api.probeGpu()).adapter).toBeNull();
  });

  it('refuses bad input with clear messages', async () => {
    const api = new TrainApi();
    const single = (await loadText('single.csv', 'a,label\n1,x\n2,x\n3,x\n4,x\n')).table;
    await expect(api.train(ipc(single), gbdt())).rejects.toThrow(/single class/);
    const onlyLabel = (await loadText('only-label.csv', 'label\nx\ny\nx\ny\n')).table;
    await expect(api.train(ipc(onlyLabel), gbdt())).rejects.toThrow(/no feature columns/);
    await expect(api.train(ipc(single), { ...gbdt(), label: 'nope' })).rejects.toThrow(/no label column "nope"/);
    await expect(api.train(ipc(single), gbdt({ rounds: 0 }))).rejects.toThrow(/invalid training settings: params.rounds/);
  });
});
