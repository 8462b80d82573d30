/** The app bar: name, the file picker and the file on screen. */
export function TopBar({ onFile, current }: { onFile: (file: File) => void; current: string | null }) {
  return (
    <header className="top">
      <h1>
        <span className="logo" aria-hidden>
          ◆
        </span>{' '}
        Threat Workbench
      </h1>
      <label className="button">
        Open file…
        <input
          type="file"
          data-testid="file-input"
          accept=".csv,.tsv,.txt,.gz,.parquet,.pq"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) onFile(file);
            // Picking the same file again must fire change again.
            e.target.value = '';
          }}
        />
      </label>
      <span className="hint">or drop a CSV, CSV.gz or Parquet file anywhere</span>
      {current && (
        <span className="current" title="the table on screen">
          {current}
        </span>
      )}
    </header>
  );
}
