import type { ColumnProfile } from './types.ts';

/** Names the field gives label columns, most telling first. */
const LABEL_NAMES = [
  'label',
  'threat_label',
  'attack_cat',
  'attack_type',
  'class',
  'result',
  'target',
  'attack',
  'category',
  'outcome',
  'is_malicious',
  'malicious',
  'y',
];

/**
 * Columns that look like labels, best first: known label names (case and spaces ignored), then
 * text or small-integer columns with 2 to 50 values, the last column first (where datasets put it).
 */
export function labelCandidates(columns: readonly ColumnProfile[]): string[] {
  const named: { name: string; rank: number }[] = [];
  columns.forEach((c) => {
    const rank = LABEL_NAMES.indexOf(c.name.trim().toLowerCase());
    if (rank >= 0 && c.distinct >= 1) named.push({ name: c.name, rank });
  });
  named.sort((a, b) => a.rank - b.rank);
  const shaped = [...columns]
    .reverse()
    .filter((c) => (c.kind === 'string' || c.kind === 'bool' || c.kind === 'int') && c.distinct >= 2 && c.distinct <= 50)
    .filter((c) => c.kind !== 'int' || c.distinct <= 10)
    .map((c) => c.name);
  return [...new Set([...named.map((n) => n.name), ...shaped])];
}
