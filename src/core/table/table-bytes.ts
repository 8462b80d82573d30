import type { Data, Table } from 'apache-arrow';

/** Bytes held by a table's buffers (values, offsets, validity, dictionaries). */
export function tableBytes(table: Table): number {
  let n = 0;
  for (const batch of table.batches) for (const child of batch.data.children) n += dataBytes(child);
  return n;
}

function dataBytes(data: Data): number {
  let n = (data.values?.byteLength ?? 0) + (data.valueOffsets?.byteLength ?? 0) + (data.nullBitmap?.byteLength ?? 0);
  for (const child of data.children ?? []) n += dataBytes(child);
  if (data.dictionary) for (const d of data.dictionary.data) n += dataBytes(d);
  return n;
}
