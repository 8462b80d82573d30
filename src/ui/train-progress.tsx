import type { TrainState } from './use-train.ts';
import { LossCurve } from './loss-curve.tsx';

const loss = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : v.toFixed(4));

/** "round 12/100 · train loss 0.1234 · validation loss 0.1456" (logistic regression: its objective). */
export function progressLine(state: TrainState): string {
  const p = state.progress;
  if (!p) return 'preparing: splitting, binning and encoding the rows…';
  const parts = [`${p.unit} ${p.done}/${p.total}`];
  const train = loss(p.trainLoss);
  const validation = loss(p.validationLoss);
  if (train) parts.push(`${p.unit === 'iteration' ? 'objective' : 'train loss'} ${train}`);
  if (validation) parts.push(`validation loss ${validation}`);
  return parts.join(' · ');
}

/** The running training: a bar, its current losses, Cancel and the loss curve so far. */
export function TrainProgress({ state, onCancel }: { state: TrainState; onCancel: () => void }) {
  const p = state.progress;
  const cancelling = state.phase === 'cancelling';
  return (
    <div className="train-progress" data-testid="train-progress" aria-live="polite">
      <div className="train-progress-line">
        <span className="spinner" aria-hidden />
        <progress max={p?.total ?? 1} value={p ? p.done : undefined} />
        <span className="train-progress-text">{cancelling ? 'cancelling…' : progressLine(state)}</span>
        <button data-testid="train-cancel" onClick={onCancel} disabled={cancelling}>
          Cancel
        </button>
      </div>
      {p && <LossCurve points={state.points} unit={p.unit} testId="train-curve" />}
    </div>
  );
}
