import { Table, makeVector, type Vector } from 'apache-arrow';
import type { ColumnAssembler } from './column-assembler.ts';

/** The finished table and its warnings: renamed columns first, then each column's own. */
export function assembledTable(original: readonly string[], columns: ColumnAssembler[]): { table: Table; warnings: string[] } {
  const warnings: string[] = [];
  const renamed = original.filter((name, c) => name !== columns[c]!.name).map((name) => `"${name}"`);
  if (renamed.length) warnings.push(`blank or repeated column names made unique: ${renamed.join(', ')}`);
  const vectors: Record<string, Vector> = {};
  for (const col of columns) {
    warnings.push(...col.warnings());
    vectors[col.name] = makeVector(col.finish());
  }
  return { table: new Table(vectors), warnings };
}
