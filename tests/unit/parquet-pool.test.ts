import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { readNativeParquet } from '../../src/core/io/parquet/native-reader.ts';
import { parseFooter } from '../../src/core/io/parquet/parquet-footer.ts';
import { CancelledError } from '../../src/core/io/types.ts';
import type { ParquetColumnHelper } from '../../src/core/io/parquet/column-share.ts';
import type { ColumnQueue } from '../../src/core/io/parquet/decode-columns.ts';
import { parallelParquetDecoder } from '../../src/workers/parquet-pool.node.ts';
import { DATASETS } from './helpers.ts';
import { expectSameTable, inlineParquetPool } from './parquet-native-helpers.ts';

const test = new Uint8Array(readFileSync(`${DATASETS}nsl-kdd/KDDTest.parquet`));
const train = new Uint8Array(readFileSync(`${DATASETS}nsl-kdd/KDDTrain.parquet`));

/** The outcome of a read: its table and warnings, or its error's message. */
async function outcome(name: string, bytes: Uint8Array, parquetHelper?: ParquetColumnHelper) {
  try {
    return { result: await readNativeParquet(name, bytes, { parquetHelper }) };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

async function expectSameOutcome(name: string, bytes: Uint8Array, parquetHelper: ParquetColumnHelper): Promise<void> {
  const one = await outcome(name, bytes);
  const shared = await outcome(name, bytes, parquetHelper);
  expect(shared.error).toEqual(one.error);
  if (!one.result || !shared.result) return;
  if ('fallback' in one.result || 'fallback' in shared.result) return expect(shared.result).toEqual(one.result);
  expectSameTable(shared.result.table, one.result.table);
  expect(shared.result.warnings).toEqual(one.result.warnings);
}

/** The pool, counting the columns its helpers decoded (in answers without a failure). */
function counting(pool: ParquetColumnHelper): ParquetColumnHelper & { answered: number } {
  const helper = {
    helpers: pool.helpers,
    minRows: 0,
    answered: 0,
    decode: async (file: Uint8Array, queues: ColumnQueue[]) => {
      const results = await pool.decode(file, queues);
      for (const r of results) if (r && !r.failure) helper.answered += r.columns.length;
      return results;
    },
  };
  return helper;
}

describe('Parquet columns decoded in shares on helper threads', () => {
  it('helpers taking columns from a shared queue decode some of them: the same table', async () => {
    const pool = counting(inlineParquetPool(2));
    await expectSameOutcome('train.parquet', train, pool);
    expect(pool.answered).toBeGreaterThan(0);
  });

  it('without shared memory (a page not cross-origin isolated) the columns are split ahead: the same table', async () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    try {
      const pool = counting(inlineParquetPool(3));
      await expectSameOutcome('train.parquet', train, pool);
      expect(pool.answered).toBeGreaterThan(10);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('a cancelled load empties the shared queue (helpers stop), and the next load through the pool is whole', async () => {
    const pool = inlineParquetPool(2);
    const controller = new AbortController();
    let steps = 0;
    const onProgress = () => void (++steps === 5 && controller.abort());
    await expect(readNativeParquet('train.parquet', train, { parquetHelper: pool, signal: controller.signal, onProgress })).rejects.toThrow(CancelledError);
    await expectSameOutcome('train.parquet', train, pool);
  });

  it('helpers that will not start leave the whole file to the loading thread: the same table', async () => {
    await expectSameOutcome('test.parquet', test, inlineParquetPool(3, true));
  });

  it('damaged pages: the same LoadError (row group, column) as one thread, or the same table', async () => {
    const fileEnd = test.length - 8;
    const footerStart = fileEnd - new DataView(test.buffer, test.byteOffset).getUint32(fileEnd, true);
    expect(parseFooter(test, footerStart, fileEnd).rowGroups.length).toBe(1);
    const pool = inlineParquetPool(3);
    let seed = 11;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let k = 0; k < 40; k++) {
      const bytes = Uint8Array.from(test);
      const at = 4 + (next() % (footerStart - 4));
      for (let j = 0; j < 8; j++) bytes[at + j] = next() & 0xff;
      await expectSameOutcome(`fuzz-${k}.parquet`, bytes, pool);
    }
  }, 60_000);

  it('on Node worker threads (parquet-pool.node.ts): KDD99 as one thread reads it', async () => {
    const pool = parallelParquetDecoder({ threads: 2 });
    try {
      await pool.start();
      const helper = counting(pool);
      await expectSameOutcome('kdd99.parquet', new Uint8Array(readFileSync(`${DATASETS}kdd99/kddcup-10pct.parquet`)), helper);
      expect(helper.answered).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
