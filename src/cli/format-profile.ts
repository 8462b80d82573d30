import type { LoadReport } from '../core/io/types.ts';
import type { ColumnProfile, TableProfile } from '../core/profile/types.ts';

/** The readable summary `workbench profile` prints: the load report, then the profile. */
export function formatProfile(report: LoadReport, profile: TableProfile): string {
  const lines: string[] = [];
  const n = (x: number) => x.toLocaleString('en-US');
  lines.push(`${report.file}: ${n(report.rows)} rows × ${n(report.columns)} columns (${report.format}, ${mb(report.bytes)}, loaded in ${report.seconds.toFixed(2)} s)`);
  const dialect = report.format === 'parquet' ? '' : `delimiter ${JSON.stringify(report.delimiter)}, `;
  lines.push(`  ${dialect}header: ${report.header ? 'yes' : 'no (names generated; replace with --names)'}, encoding ${report.encoding}, Arrow ${mb(report.arrowBytes)}`);
  if (report.skippedRows || report.repairedRows) {
    lines.push(`  rows skipped: ${n(report.skippedRows)}, repaired: ${n(report.repairedRows)}`);
    for (const issue of report.rowIssues.slice(0, 10)) lines.push(`    line ${issue.line}: ${issue.action} — ${issue.reason}`);
    if (report.rowIssues.length > 10) lines.push(`    … ${report.skippedRows + report.repairedRows - 10} more`);
  }
  const renamed = report.columnNames.filter((n, i) => report.originalNames[i] != null && report.originalNames[i] !== n);
  if (renamed.length) {
    const shown = renamed.slice(0, 8).map((n) => `"${report.originalNames[report.columnNames.indexOf(n)]}" → ${n}`);
    lines.push(`  renamed ${renamed.length} column(s): ${shown.join(', ')}${renamed.length > 8 ? ', …' : ''}`);
  }
  for (const w of report.warnings.slice(0, 20)) lines.push(`  warning: ${w}`);
  if (report.warnings.length > 20) lines.push(`  … ${report.warnings.length - 20} more warnings`);

  lines.push('', 'Columns');
  const rows = profile.columns.map((c) => [c.name, c.kind, n(c.missing), n(c.distinct), summary(c)]);
  lines.push(...table(['name', 'kind', 'missing', 'distinct', 'values'], rows));

  lines.push('');
  if (profile.label) {
    const total = profile.label.classes.reduce((s, c) => s + c.count, 0);
    lines.push(`Label "${profile.label.column}" (${profile.label.classes.length} classes${profile.label.missing ? `, ${n(profile.label.missing)} missing` : ''})`);
    for (const c of profile.label.classes.slice(0, 25)) lines.push(`  ${c.value.padEnd(24)} ${n(c.count).padStart(10)}  ${((100 * c.count) / total).toFixed(1).padStart(5)}%`);
    if (profile.label.classes.length > 25) lines.push(`  … ${profile.label.classes.length - 25} more classes`);
  } else {
    lines.push('Label: none found (choose one with --label COL)');
  }
  const strong = strongPairs(profile);
  if (strong.length) {
    lines.push('', 'Strong correlations (|r| ≥ 0.9)');
    for (const [a, b, r] of strong.slice(0, 15)) lines.push(`  ${a} ~ ${b}: ${r.toFixed(3)}`);
  }
  lines.push('', `Exact duplicate rows: ${n(profile.duplicateRows)}`);
  if (profile.warnings.length) {
    lines.push('', 'Data-quality warnings');
    for (const w of profile.warnings.slice(0, 40)) lines.push(`  - ${w.message}`);
    if (profile.warnings.length > 40) lines.push(`  … ${profile.warnings.length - 40} more`);
  }
  lines.push('', `Profiled in ${profile.seconds.toFixed(2)} s.`);
  return lines.join('\n');
}

function summary(c: ColumnProfile): string {
  const flag = c.constant ? ' [constant]' : c.nearConstant ? ' [near-constant]' : '';
  if (c.stats && c.kind !== 'bool') {
    const s = c.stats;
    const f = c.kind === 'timestamp' ? (v: number) => (Number.isFinite(v) ? new Date(v).toISOString() : '–') : num;
    return `min ${f(s.min)}  mean ${f(s.mean)}  max ${f(s.max)}${c.kind === 'timestamp' ? '' : `  std ${num(s.std)}`}${flag}`;
  }
  const top = (c.top ?? []).slice(0, 3).map((t) => `${t.value} (${t.count})`).join(', ');
  return `${top}${c.distinct > 3 ? ', …' : ''}${flag}`;
}

function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3 ? v.toExponential(3) : v.toFixed(3);
}

function strongPairs(profile: TableProfile): [string, string, number][] {
  const { columns, matrix } = profile.correlations;
  const out: [string, string, number][] = [];
  for (let a = 0; a < columns.length; a++) {
    for (let b = a + 1; b < columns.length; b++) {
      const r = matrix[a * columns.length + b]!;
      if (Math.abs(r) >= 0.9) out.push([columns[a]!, columns[b]!, r]);
    }
  }
  return out.sort((x, y) => Math.abs(y[2]) - Math.abs(x[2]));
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const fmt = (r: string[]) => '  ' + r.map((v, i) => (i === r.length - 1 ? v : v.slice(0, widths[i]).padEnd(widths[i]!))).join('  ');
  return [fmt(head), ...rows.map(fmt)];
}

function mb(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}
