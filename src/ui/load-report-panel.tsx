import type { ReactNode } from 'react';
import type { LoadReport } from '../client/data-client.ts';
import { bytes, count, plural } from './format.ts';
import { IssueList } from './issue-list.tsx';
import { RenameForm } from './rename-form.tsx';

function Fact({ k, children }: { k: string; children: ReactNode }) {
  return (
    <span className="fact">
      <span className="k">{k}</span> {children}
    </span>
  );
}

const delimiterName = (d: string) => (d === '\t' ? 'tab' : d === ' ' ? 'space' : `“${d}”`);

/** The load report: what was read, how, and what was repaired, skipped or renamed. */
export function LoadReportPanel({ report, onRename }: { report: LoadReport; onRename: (names: string[]) => void }) {
  const renamed = report.columnNames
    .map((name, i) => ({ name, original: report.originalNames[i] }))
    .filter((c): c is { name: string; original: string } => typeof c.original === 'string' && c.original !== c.name);
  const compressed = report.uncompressedBytes > report.bytes;
  return (
    <section className="panel report" data-testid="load-report" data-rows={report.rows} data-columns={report.columns}>
      <h2>
        {report.file} <span className="badge">{report.format}</span>
      </h2>
      <p className="facts">
        <b className="big">{count(report.rows)} rows</b>
        <b className="big">{count(report.columns)} columns</b>
        {report.delimiter !== undefined && <Fact k="delimiter">{delimiterName(report.delimiter)}</Fact>}
        <Fact k="header">{report.header ? 'yes' : 'no'}</Fact>
        <Fact k="encoding">{report.encoding}</Fact>
        <Fact k="file">{bytes(report.bytes)}</Fact>
        {compressed && <Fact k="uncompressed">{bytes(report.uncompressedBytes)}</Fact>}
        <Fact k="in memory">{bytes(report.arrowBytes)}</Fact>
        <Fact k="loaded in">{report.seconds.toFixed(2)} s</Fact>
      </p>
      {(report.skippedRows > 0 || report.repairedRows > 0) && (
        <IssueList
          open
          title={`${plural(report.skippedRows, 'row')} skipped, ${count(report.repairedRows)} repaired`}
          testId="row-issues"
          items={report.rowIssues.map((i) => `line ${count(i.line)}: ${i.action} — ${i.reason}`)}
          total={report.skippedRows + report.repairedRows}
        />
      )}
      {report.warnings.length > 0 && <IssueList title={plural(report.warnings.length, 'load warning')} testId="load-warnings" items={report.warnings} />}
      {renamed.length > 0 && (
        <IssueList
          title={`${plural(renamed.length, 'column name')} changed (made unique or trimmed)`}
          testId="renamed-columns"
          items={renamed.map((c) => `“${c.original}” → ${c.name}`)}
        />
      )}
      {!report.header && <RenameForm columns={report.columns} onRename={onRename} />}
    </section>
  );
}
