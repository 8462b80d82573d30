import { afterAll, describe, expect, it } from 'vitest';
import { columnValues, designColumn, designPart, type DesignColumn, type DesignMatrix } from '../../../src/core/models/logistic/design-matrix.ts';
import { logisticObjective, logisticObjectiveWith, partObjective, secondPart } from '../../../src/core/models/logistic/objective.ts';
import { PartnerChannel, type LogisticPartner } from '../../../src/core/models/logistic/partner.ts';
import { trainLogistic, trainLogisticWith } from '../../../src/core/models/logistic/train-logistic.ts';
import { fitLinearDesign } from '../../../src/core/models/logistic/recipe.ts';
import { createRandom } from '../../../src/core/models/random.ts';
import { parallelRoundGrower } from '../../../src/workers/round-pool.node.ts';

const bits = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

/** n rows: dense columns, two mostly-zero columns (stored sparse), one one-hot block of 3 + other. */
function design(n: number, seed: number): DesignMatrix {
  const random = createRandom(seed);
  const columns: DesignColumn[] = [];
  for (let j = 0; j < 5; j++) columns.push(designColumn(Float64Array.from({ length: n }, () => random.next() * 4 - 1 + j), j + 1, 1.3));
  for (let j = 0; j < 2; j++) columns.push(designColumn(Float64Array.from({ length: n }, () => (random.next() < 0.1 ? random.next() * 50 : 0)), 2.5, 8));
  const hot = Int32Array.from({ length: n }, () => 7 + random.int(4));
  return { rows: n, width: 11, columns, groups: 1, hot };
}

/** A partner in this thread: the second part's term computed when asked, optionally failing from evaluation `failAt` on. */
function inThreadPartner(part: ReturnType<typeof secondPart>, failAt = Infinity): LogisticPartner & { answered: number } {
  const term = partObjective(part.design, part.y, part.sampleWeight, part.classes);
  let w: Float64Array | undefined;
  return {
    answered: 0,
    send(x) {
      w = Float64Array.from(x);
    },
    receive(grad) {
      if (this.answered >= failAt) throw new Error('gone');
      this.answered++;
      return term(w!, grad);
    },
    dispose() {},
  };
}

describe('logistic objective in two parts (a partner thread takes the second)', () => {
  it('a part of the design is the same values as those rows of the whole (dense, sparse re-based, one-hot)', () => {
    const d = design(5000, 1);
    expect(d.columns[5]!.kind).toBe('sparse');
    const part = designPart(d, 1234, 4321);
    expect(part.rows).toBe(3087);
    part.columns.forEach((column, j) => {
      const whole = columnValues(d.columns[j]!, d.rows).subarray(1234, 4321);
      expect(Array.from(columnValues(column, part.rows))).toEqual(Array.from(whole));
    });
    expect(Array.from(part.hot)).toEqual(Array.from(d.hot.subarray(1234, 4321)));
  });

  it('with a partner, the same value and gradient bits as on one thread; a partner that fails hands its part back', () => {
    const n = 5001;
    const d = design(n, 2);
    const random = createRandom(3);
    for (const K of [2, 4]) {
      const y = Int32Array.from({ length: n }, () => random.int(K));
      const weight = Float64Array.from({ length: n }, () => 0.5 + random.next());
      const P = (K === 2 ? 1 : K) * (d.width + 1);
      const one = logisticObjective(d, y, weight, K, 0.7);
      const part = secondPart({ design: d, y, sampleWeight: weight, classes: K });
      const partner = inThreadPartner(part);
      const failing = inThreadPartner(part, 1);
      const two = logisticObjectiveWith(d, y, weight, K, 0.7, partner);
      const broken = logisticObjectiveWith(d, y, weight, K, 0.7, failing);
      for (let t = 0; t < 3; t++) {
        const w = Float64Array.from({ length: P }, () => (random.next() - 0.5) * 0.6);
        const [g1, g2, g3] = [new Float64Array(P), new Float64Array(P), new Float64Array(P)];
        const value = one(w, g1);
        expect(two.evaluate(w, g2)).toBe(value);
        expect(broken.evaluate(w, g3)).toBe(value);
        expect(bits(g2)).toBe(bits(g1));
        expect(bits(g3)).toBe(bits(g1));
      }
      expect(partner.answered).toBe(3);
      expect(two.partnered()).toBe(true);
      // It answered once, then failed: its part was computed here from the second evaluation on.
      expect(failing.answered).toBe(1);
    }
  });

  it('the shared-memory channel to a partner on another thread: serves, answers until stopped; a partner that cannot serve is heard at once', async () => {
    const { Worker } = await import('node:worker_threads');
    const start = (channel: PartnerChannel, fail: boolean) =>
      new Worker(new URL('../../../bin/ts-worker.mjs', import.meta.url), {
        workerData: { entry: new URL('./partner-fixture.ts', import.meta.url).href, buffer: channel.buffer, length: 3, fail },
      });
    const channel = new PartnerChannel(3);
    const worker = start(channel, false);
    expect(await channel.serving(() => false)).toBe(true);
    const grad = new Float64Array(3);
    for (const w of [[1, 2, 3], [0.5, -1, 4], [0, 0, 7]]) {
      channel.send(Float64Array.from(w));
      expect(channel.receive(grad)).toBe(w[0]! + w[1]! + w[2]!);
      expect(Array.from(grad)).toEqual(w.map((x) => 2 * x));
      // Long enough for the partner to stop polling and sleep: the next send wakes it.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    channel.stop();
    expect(await new Promise((resolve) => worker.once('exit', resolve))).toBe(0);

    const broken = new PartnerChannel(3);
    const failing = start(broken, true);
    expect(await broken.serving(() => false)).toBe(false);
    await new Promise((resolve) => failing.once('exit', resolve));
    expect(() => broken.send(new Float64Array(3))).toThrow('failed');
    expect(() => broken.receive(grad)).toThrow('failed');
    // A partner that never starts: given up on when its thread is gone, or after the timeout.
    expect(await new PartnerChannel(2).serving(() => true)).toBe(false);
    expect(await new PartnerChannel(2).serving(() => false, 5)).toBe(false);
  });
});

describe('logistic fit with the round pool’s helper as partner', () => {
  const pool = parallelRoundGrower({ threads: 2, logisticPartMin: 0 });
  afterAll(() => pool.close());

  it('the same model bit for bit as one thread (binary and 3 classes), device cpu ×2; cancelled, it frees the partner; too small a part stays here', async () => {
    const random = createRandom(9);
    const n = 6000;
    const { tableFromArrays } = await import('apache-arrow');
    const x1 = Float64Array.from({ length: n }, () => random.next() * 10);
    const x2 = Float64Array.from({ length: n }, () => (random.next() < 0.2 ? random.next() * 100 : 0));
    const kind = Array.from({ length: n }, () => ['tcp', 'udp', 'icmp'][random.int(3)]!);
    const table = tableFromArrays({ x1, x2, kind });
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    for (const K of [2, 3]) {
      const y = Int32Array.from({ length: n }, (_, i) => (x1[i]! + (kind[i] === 'udp' ? 3 : 0) + random.next() * 4 > 8 ? K - 1 : random.int(K - 1)));
      const { recipe, design: d } = fitLinearDesign(table, ['x1', 'x2', 'kind'], rows, { textEncoding: 'one-hot', topK: 5 });
      const options = { design: d, y, classes: Array.from({ length: K }, (_, k) => `c${k}`), recipe };
      const one = trainLogistic(options);
      const two = await trainLogisticWith(options, pool.logisticPartner);
      expect(two.threads).toBe(2);
      expect(bits(two.model.weights)).toBe(bits(one.weights));
      expect(two.model.iterations).toBe(one.iterations);
    }
    // Cancelled mid-fit: the partner is released, and the next fit has it again.
    const { recipe: r3, design: d3 } = fitLinearDesign(table, ['x1', 'x2', 'kind'], rows, { textEncoding: 'one-hot', topK: 5 });
    const y3 = Int32Array.from({ length: n }, (_, i) => (x1[i]! > 5 ? 2 : kind[i] === 'udp' ? 1 : 0));
    const controller = new AbortController();
    let iterations = 0;
    const cancelled = trainLogisticWith(
      { design: d3, y: y3, classes: ['a', 'b', 'c'], recipe: r3, signal: controller.signal, onProgress: () => ++iterations === 3 && controller.abort() },
      pool.logisticPartner,
    );
    await expect(cancelled).rejects.toThrow();
    expect(iterations).toBe(3);
    const again = await trainLogisticWith({ design: d3, y: y3, classes: ['a', 'b', 'c'], recipe: r3 }, pool.logisticPartner);
    expect(again.threads).toBe(2);
    expect(bits(again.model.weights)).toBe(bits(trainLogistic({ design: d3, y: y3, classes: ['a', 'b', 'c'], recipe: r3 }).weights));

    const small = parallelRoundGrower({ threads: 2 });
    const { recipe, design: d } = fitLinearDesign(table, ['x1'], rows, { textEncoding: 'codes', topK: 5 });
    expect(await small.logisticPartner({ design: d, y: new Int32Array(n), sampleWeight: new Float64Array(n), classes: 2 })).toBeUndefined();
    expect(recipe.width).toBe(1);
    await small.close();
  });
});
