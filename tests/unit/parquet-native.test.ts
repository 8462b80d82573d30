import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DATASETS } from './helpers.ts';
import { bothReaders, expectSameTable } from './parquet-native-helpers.ts';

describe('Native Parquet reader: the real files give parquet-wasm\'s table', () => {
  for (const file of ['kdd99/kddcup-10pct.parquet', 'nsl-kdd/KDDTrain.parquet', 'nsl-kdd/KDDTest.parquet']) {
    it(file, async () => {
      const { native, wasm } = await bothReaders(file, new Uint8Array(readFileSync(`${DATASETS}${file}`)));
      expectSameTable(native.table, wasm.table);
      expect(native.warnings).toEqual(wasm.warnings);
    });
  }
});
