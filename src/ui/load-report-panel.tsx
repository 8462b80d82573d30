import { useState } from 'react';
import type { LoadReport } from '../client/data-client.ts';
import { bytes, count } from './format.ts';

/** The load report: what was read, how, and what was repaired, skipped or renamed. */
export function LoadReportPanel({ report, onRename }: { report: LoadReport; onRename: (names: string[]) => void }) {
  const [names, setNames] = useState('');
  const renamed = report.columnNames
    .map((name, i) => ({ name, original: report.originalNames[i] }))
    .filter((c) => c.original !== null && c.original !== undefined && c.original !== c.name);
  return (
    <section className="panel" data-testid="load-report" data-rows={report.rows}>
      <h2>{report.file}</h2>
      <p className="facts">
        <b>{count(report.rows)} rows</b> × {count(report.columns)} columns · {report.format}
        {report.delimiter !== undefined && ` · delimiter ${report.delimiter === '\t' ? 'tab' : `“${report.delimiter}”`}`} · header{' '}
        {report.header ? 'yes' : 'no'} · {report.encoding} · {bytes(report.bytes)} read in {report.seconds.toFixed(2)} s · {bytes(report.arrowBytes)} in memory
      </p>
      {(report.skippedRows > 0 || report.repairedRows > 0) && (
        <details open>
          <summary>
            {count(report.skippedRows)} rows skipped, {count(report.repairedRows)} repaired
          </summary>
          <ul className="issues">
            {report.rowIssues.map((issue) => (
              <li key={`${issue.line}-${issue.reason}`}>
                line {issue.line}: {issue.action} — {issue.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {report.warnings.length > 0 && (
        <details>
          <summary>{report.warnings.length} warning(s)</summary>
          <ul className="issues">
            {report.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </details>
      )}
      {renamed.length > 0 && (
        <details>
          <summary>{renamed.length} column(s) renamed</summary>
          <ul className="issues">
            {renamed.map((c) => (
              <li key={c.name}>
                “{c.original}” → {c.name}
              </li>
            ))}
          </ul>
        </details>
      )}
      {!report.header && (
        <form
          className="rename"
          onSubmit={(e) => {
            e.preventDefault();
            onRename(names.split(/[,\n]/).map((s) => s.trim()).filter(Boolean));
          }}
        >
          <label>
            No header row: names were generated. Replace them ({report.columns} comma-separated names):
            <input value={names} onChange={(e) => setNames(e.target.value)} placeholder="duration, protocol_type, service, …" />
          </label>
          <button type="submit" disabled={!names.trim()}>
            Reload with these names
          </button>
        </form>
      )}
    </section>
  );
}
