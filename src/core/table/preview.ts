import { DataType, type Table } from 'apache-arrow';

/** The first rows of a table as display strings: small, JSON-safe, for the UI and the CLI. */
export interface Preview {
  columns: string[];
  rows: string[][];
}

export function previewRows(table: Table, limit: number): Preview {
  const n = Math.min(limit, table.numRows);
  const columns = table.schema.fields.map((f) => f.name);
  const rows: string[][] = Array.from({ length: n }, () => []);
  table.schema.fields.forEach((field, c) => {
    const vector = table.getChildAt(c)!;
    const isTime = DataType.isTimestamp(field.type) || DataType.isDate(field.type);
    for (let r = 0; r < n; r++) rows[r]!.push(cell(vector.get(r), isTime));
  });
  return { columns, rows };
}

function cell(v: unknown, isTime: boolean): string {
  if (v === null || v === undefined) return '';
  if (isTime) {
    const ms = Number(v);
    return Number.isFinite(ms) ? new Date(ms).toISOString() : String(v);
  }
  return String(v);
}
