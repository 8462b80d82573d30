import type { Progress } from '../client/data-client.ts';
import { bytes, count } from './format.ts';
import type { Status } from './use-data.ts';

/** Progress units are bytes while loading and columns while profiling. */
function progressText({ stage, done, total }: Progress): string {
  const columns = stage === 'profiling';
  const amount = (n: number) => (columns ? count(n) : bytes(n));
  const of = total > 0 ? `${amount(done)} of ${amount(total)}` : amount(done);
  return `${stage}: ${of}${columns ? ' columns' : ''}`;
}

function Dismiss({ onClick }: { onClick: () => void }) {
  return (
    <button className="dismiss ghost" onClick={onClick} aria-label="dismiss">
      ×
    </button>
  );
}

/** What is running (stage, progress, Cancel), a calm notice, or the last error (role=alert). */
export function StatusBar({ status, onCancel, onDismiss }: { status: Status; onCancel: () => void; onDismiss: () => void }) {
  const { busy, progress, notice, error } = status;
  const pct = progress && progress.total > 0 ? Math.min(100, Math.floor((100 * progress.done) / progress.total)) : null;
  return (
    <div className="status" aria-live="polite">
      {busy && (
        <div className="busy" data-testid="progress">
          <span className="spinner" aria-hidden />
          <strong>{busy}</strong>
          <progress max={100} value={pct ?? undefined} />
          <span className="muted">{pct !== null ? `${pct} % · ` : ''}{progress ? progressText(progress) : 'starting'}</span>
          <button className="ghost" onClick={onCancel}>
            Cancel
          </button>
        </div>
      )}
      {notice && (
        <div className="notice" data-testid="notice">
          <span>{notice}</span>
          {!busy && <Dismiss onClick={onDismiss} />}
        </div>
      )}
      {error && (
        <div className="error">
          <span role="alert">
            <strong>Could not finish:</strong> {error}
          </span>
          <Dismiss onClick={onDismiss} />
        </div>
      )}
    </div>
  );
}
