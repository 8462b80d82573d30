import { useEffect, useRef } from 'react';
import { DropZone } from './drop-zone.tsx';
import { LoadReportPanel } from './load-report-panel.tsx';
import { PreviewTable } from './preview-table.tsx';
import { ProfileView } from './profile-view.tsx';
import { StatusBar } from './status-bar.tsx';
import { TopBar } from './top-bar.tsx';
import { TrainPanel } from './train-panel.tsx';
import { useData } from './use-data.ts';
import { useTrainClient } from './use-train.ts';

const EXAMPLE = 'example-logs.csv';

export function App() {
  const { loaded, status, open, relabel, cancel, fail, dismiss, tableIPC } = useData();
  const trainClient = useTrainClient();
  const started = useRef(false);

  useEffect(() => {
    // The bundled example data, loaded once on first open (StrictMode runs effects twice in dev).
    if (started.current) return;
    started.current = true;
    void (async () => {
      try {
        const response = await fetch(`datasets/${EXAMPLE}`);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        await open(await response.blob(), EXAMPLE);
      } catch (err) {
        fail(`${EXAMPLE}: the bundled example data could not be fetched (${(err as Error).message}); open a file instead.`);
      }
    })();
  }, [open, fail]);

  const openFile = (file: File) => void open(file, file.name);

  return (
    <DropZone onFile={openFile}>
      <TopBar onFile={openFile} current={loaded?.report.file ?? null} />
      <StatusBar status={status} onCancel={cancel} onDismiss={dismiss} />
      {loaded ? (
        <main>
          <LoadReportPanel key={`report-${loaded.id}`} report={loaded.report} onRename={(names) => void open(loaded.file, loaded.report.file, { names })} />
          <PreviewTable preview={loaded.preview} />
          {loaded.profile ? (
            <>
              <ProfileView key={`profile-${loaded.id}`} profile={loaded.profile} columns={loaded.report.columnNames} onLabel={relabel} />
              {loaded.profile.label && (
                <TrainPanel
                  key={`train-${loaded.id}-${loaded.profile.label.column}`}
                  client={trainClient}
                  label={loaded.profile.label.column}
                  tableIPC={() => tableIPC(loaded.id)}
                />
              )}
            </>
          ) : (
            !status.busy && (
              <section className="panel">
                <p>
                  This table has no profile yet.{' '}
                  <button onClick={() => void relabel(undefined)}>Profile it</button>
                </p>
              </section>
            )
          )}
        </main>
      ) : (
        !status.busy && (
          <p className="empty">
            Open a CSV, CSV.gz or Parquet file, or drop one anywhere on the page.
            <br />
            <span className="muted">Files stay on this computer: they are read in your browser, never uploaded.</span>
          </p>
        )
      )}
    </DropZone>
  );
}
