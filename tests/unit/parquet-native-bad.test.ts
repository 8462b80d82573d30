import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../src/core/io/blob-source.ts';
import { parseFooter } from '../../src/core/io/parquet/parquet-footer.ts';
import { readParquet } from '../../src/core/io/parquet/read-parquet.ts';
import { LoadError } from '../../src/core/io/types.ts';
import { DATASETS } from './helpers.ts';

const real = new Uint8Array(readFileSync(`${DATASETS}nsl-kdd/KDDTest.parquet`));
const fileEnd = real.length - 8;
const footerStart = fileEnd - new DataView(real.buffer, real.byteOffset).getUint32(fileEnd, true);
const meta = parseFooter(real, footerStart, fileEnd);
const chunk = (name: string) => meta.rowGroups[0]!.columns.find((c) => c.path[0] === name)!;
const read = (name: string, bytes: Uint8Array) => readParquet(bytesSource(bytes, name), {});

describe('Native Parquet reader: damaged files get a LoadError naming the file, row group and column', () => {
  it('a corrupt snappy page', async () => {
    const bytes = Uint8Array.from(real);
    const { dataPageOffset } = chunk('duration');
    bytes.fill(0xff, dataPageOffset + 40, dataPageOffset + 140); // inside the first data page's snappy block
    await expect(read('snappy.parquet', bytes)).rejects.toThrow(LoadError);
    await expect(read('snappy.parquet', bytes)).rejects.toThrow(
      /^snappy\.parquet: row group 1 of 1 cannot be read: the file is damaged \(snappy: corrupt input.*\) \(column "duration"\)$/,
    );
  });

  it('a garbage page header', async () => {
    const bytes = Uint8Array.from(real);
    const service = chunk('service');
    bytes.fill(0xee, service.dictionaryPageOffset!, service.dictionaryPageOffset! + 12);
    await expect(read('header.parquet', bytes)).rejects.toThrow(/^header\.parquet: row group 1 of 1 cannot be read: the file is damaged \(.*\) \(column "service"\)$/);
  });

  it('a file cut short whose footer was put back', async () => {
    const half = Math.floor(footerStart / 2);
    const bytes = new Uint8Array(half + real.length - footerStart);
    bytes.set(real.subarray(0, half));
    bytes.set(real.subarray(footerStart), half);
    await expect(read('cut.parquet', bytes)).rejects.toThrow(/^cut\.parquet: row group 1 of 1 cannot be read: the file is damaged \(.+\) \(column "\w+"\)$/);
  });

  it('bytes changed anywhere in the pages: a table or a LoadError, never another error or a hang', async () => {
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    let failed = 0;
    for (let k = 0; k < 40; k++) {
      const bytes = Uint8Array.from(real);
      const at = 4 + (next() % (footerStart - 4));
      for (let j = 0; j < 8; j++) bytes[at + j] = next() & 0xff;
      try {
        await read(`fuzz-${k}.parquet`, bytes);
      } catch (err) {
        expect(err).toBeInstanceOf(LoadError);
        expect((err as Error).message).toMatch(new RegExp(`^fuzz-${k}\\.parquet: `));
        failed++;
      }
    }
    expect(failed).toBeGreaterThan(0);
  }, 60_000);
});
