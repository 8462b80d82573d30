import { openAsBlob } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blobSource } from '../../src/core/io/blob-source.ts';
import { loadTable } from '../../src/core/io/load.ts';
import { nodeFileSource } from '../../src/workers/node-file-source.ts';
import { nodeGunzip } from '../../src/workers/node-gunzip.ts';
import { DATASETS, fixture } from './helpers.ts';

async function streamed(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(r.value);
  return Buffer.concat(parts);
}

/** Whether two byte arrays hold the same bytes (a deep equality would compare megabytes element by element). */
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('nodeFileSource (the CLI data worker\'s files)', () => {
  it('slices and streams the bytes a file-backed Blob gives, across several 4 MiB reads', async () => {
    const bytes = Uint8Array.from({ length: 9 * (1 << 20) + 123 }, (_, i) => (i * 2654435761) >>> 24);
    const path = fixture('file-source.bin', bytes);
    const file = await nodeFileSource(path, 'file-source.bin');
    const blob = blobSource(await openAsBlob(path), 'file-source.bin');
    expect([file.name, file.size]).toEqual(['file-source.bin', bytes.length]);
    for (const [start, end] of [[0, 4], [5_000_000, 5_000_100], [bytes.length - 8, bytes.length], [bytes.length - 8, bytes.length + 100], [7, 7]] as const) {
      expect(same(await file.slice(start, end), await blob.slice(start, end))).toBe(true);
    }
    expect(same(await streamed(file.stream()), bytes)).toBe(true);
    // A stream given up half-way closes its file; the source still reads.
    const reader = file.stream().getReader();
    expect((await reader.read()).value?.length).toBe(4 << 20);
    await reader.cancel();
    expect(same(await file.slice(1, 3), bytes.subarray(1, 3))).toBe(true);
  });

  it('loads Parquet and CSV.gz into the same tables as a Blob does', async () => {
    for (const name of ['kdd99/kddcup-10pct.parquet', 'kdd99/kddcup.data_10_percent.gz']) {
      const path = `${DATASETS}${name}`;
      const viaFile = await loadTable(await nodeFileSource(path, name), { gunzip: nodeGunzip });
      const viaBlob = await loadTable(blobSource(await openAsBlob(path), name), { gunzip: nodeGunzip });
      expect(viaFile.report.rows).toBe(494_021);
      expect(viaFile.table.schema.fields.map(String)).toEqual(viaBlob.table.schema.fields.map(String));
      // Which thread decoded a column may change its layout, not its values: compare values.
      for (const field of viaFile.table.schema.fields) {
        const [a, b] = [viaFile.table.getChild(field.name)!, viaBlob.table.getChild(field.name)!];
        expect(a.nullCount).toBe(b.nullCount);
        const values = a.toArray() as unknown;
        if (ArrayBuffer.isView(values)) expect(same(values as Uint8Array, b.toArray() as Uint8Array), field.name).toBe(true);
        else for (let i = 0; i < a.length; i += 997) expect(a.get(i), field.name).toBe(b.get(i));
      }
    }
  });

  it('a missing file: the error names it', async () => {
    await expect(nodeFileSource('/no/such/file.csv', 'file.csv')).rejects.toThrow(/no such file.*\/no\/such\/file\.csv/i);
  });
});
