import { useEffect, useRef, useState, type DragEvent } from 'react';
import { LoadReportPanel } from './load-report-panel.tsx';
import { PreviewTable } from './preview-table.tsx';
import { ProfileView } from './profile-view.tsx';
import { StatusBar } from './status-bar.tsx';
import { useData } from './use-data.ts';

const EXAMPLE = 'example-logs.csv';

export function App() {
  const { loaded, status, open, relabel, cancel } = useData();
  const [dragging, setDragging] = useState(false);
  const started = useRef(false);

  useEffect(() => {
    // The bundled example data, loaded once on first open.
    if (started.current) return;
    started.current = true;
    void (async () => {
      const response = await fetch(`datasets/${EXAMPLE}`);
      if (response.ok) await open(await response.blob(), EXAMPLE);
    })();
  }, [open]);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void open(file, file.name);
  };

  return (
    <div
      className={dragging ? 'app dragging' : 'app'}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <header className="top">
        <h1>Threat Workbench</h1>
        <label className="button">
          Open file…
          <input
            type="file"
            data-testid="file-input"
            accept=".csv,.tsv,.txt,.gz,.parquet,.pq"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void open(file, file.name);
              e.target.value = '';
            }}
          />
        </label>
        <span className="hint">or drop a CSV, CSV.gz or Parquet file anywhere</span>
      </header>
      <StatusBar status={status} onCancel={cancel} />
      {loaded ? (
        <main>
          <LoadReportPanel report={loaded.report} onRename={(names) => void open(loaded.file, loaded.report.file, { names })} />
          <PreviewTable preview={loaded.preview} />
          {loaded.profile && <ProfileView profile={loaded.profile} columns={loaded.report.columnNames} onLabel={relabel} />}
        </main>
      ) : (
        !status.busy && <p className="empty">Open a file to begin.</p>
      )}
    </div>
  );
}
