import type { Status } from './use-data.ts';

/** What is running (with progress and Cancel), a notice, or the last error (role=alert). */
export function StatusBar({ status, onCancel }: { status: Status; onCancel: () => void }) {
  const { busy, progress, notice, error } = status;
  const pct = progress && progress.total > 0 ? Math.min(100, Math.floor((100 * progress.done) / progress.total)) : null;
  return (
    <div className="status">
      {busy && (
        <div className="busy" data-testid="progress">
          <span>{busy}…</span>
          <progress max={100} value={pct ?? undefined} />
          {pct !== null && <span>{pct}%</span>}
          <button onClick={onCancel}>Cancel</button>
        </div>
      )}
      {notice && <div className="notice">{notice}</div>}
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
