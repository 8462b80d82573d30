import { useState } from 'react';
import type { TrainClient, TrainRequest } from '../client/train-client.ts';
import { TrainProgress } from './train-progress.tsx';
import { TrainResultView } from './train-result.tsx';
import { useGpuStatus, useTrain, type GpuStatus } from './use-train.ts';

type Model = TrainRequest['model'];

/** The form as typed (text), so a half-typed number is not forced into range while typing. */
interface Settings {
  model: Model;
  device: TrainRequest['device'];
  rounds: string;
  gbdtDepth: string;
  learningRate: string;
  trees: string;
  rfDepth: string;
  c: string;
  maxIterations: string;
  seed: string;
  validationPercent: string;
}

/** scikit-learn / XGBoost defaults, as the CLI's. */
const DEFAULTS: Settings = {
  model: 'gbdt',
  device: 'cpu',
  rounds: '100',
  gbdtDepth: '6',
  learningRate: '0.1',
  trees: '100',
  rfDepth: '16',
  c: '1',
  maxIterations: '200',
  seed: '0',
  validationPercent: '20',
};

/** Blank stays NaN, so the worker's check names the field rather than training on a default. */
const number = (text: string) => (text.trim() === '' ? NaN : Number(text));

function request(s: Settings, label: string): TrainRequest {
  const params =
    s.model === 'gbdt'
      ? { rounds: number(s.rounds), maxDepth: number(s.gbdtDepth), learningRate: number(s.learningRate) }
      : s.model === 'rf'
        ? { trees: number(s.trees), maxDepth: number(s.rfDepth) }
        : { c: number(s.c), maxIterations: number(s.maxIterations) };
  return { model: s.model, label, device: s.device, validationShare: number(s.validationPercent) / 100, seed: number(s.seed), params };
}

function gpuNote(gpu: GpuStatus): string | null {
  if (gpu.state === 'unsupported') return `GPU unavailable: ${gpu.reason}.`;
  if (gpu.state === 'probing') return 'looking for a WebGPU adapter…';
  if (gpu.state === 'probed') {
    if (gpu.adapter === null) return `No WebGPU adapter (${gpu.error ?? 'unknown reason'}); training will fall back to the CPU.`;
    return `Adapter: ${gpu.adapter}`;
  }
  return null;
}

function NumberField({ label, value, onChange, testId, step, min, max, disabled }: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  testId: string;
  step?: string;
  min?: number;
  max?: number;
  disabled: boolean;
}) {
  return (
    <label className="train-field">
      <span>{label}</span>
      <input type="number" value={value} step={step ?? '1'} min={min} max={max} disabled={disabled} data-testid={testId} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

/**
 * Training on the loaded table: model, its key hyper-parameters, the validation share and the
 * device; progress with the current losses while it runs in the train worker; then the evaluation.
 */
export function TrainPanel({ client, label, tableIPC }: { client: TrainClient | null; label: string; tableIPC: () => Promise<Uint8Array> }) {
  const [settings, setSettings] = useState<Settings>(DEFAULTS);
  const { state, start, cancel, dismiss } = useTrain(client);
  const { gpu, probe } = useGpuStatus(client);
  const busy = state.phase !== 'idle';
  const set = (patch: Partial<Settings>) => setSettings((s) => ({ ...s, ...patch }));
  const field = (key: keyof Settings, name: string, extra: { step?: string; min?: number; max?: number } = {}) => (
    <NumberField label={name} value={settings[key]} onChange={(v) => set({ [key]: v })} testId={`train-${key}`} disabled={busy} {...extra} />
  );
  const note = settings.device === 'gpu' || gpu.state === 'unsupported' ? gpuNote(gpu) : null;
  return (
    <section className="panel train-panel" data-testid="train-panel">
      <h2>
        Train a model <span className="badge">label {label}</span>
      </h2>
      <div className="train-form">
        <label className="train-field">
          <span>Model</span>
          <select value={settings.model} disabled={busy} data-testid="train-model" onChange={(e) => set({ model: e.target.value as Model })}>
            <option value="gbdt">Gradient-boosted trees (GBDT)</option>
            <option value="rf">Random forest</option>
            <option value="logistic">Logistic regression</option>
          </select>
        </label>
        {settings.model === 'gbdt' && (
          <>
            {field('rounds', 'Rounds', { min: 1, max: 10_000 })}
            {field('gbdtDepth', 'Depth', { min: 1, max: 16 })}
            {field('learningRate', 'Learning rate', { step: '0.01', min: 0.001, max: 1 })}
          </>
        )}
        {settings.model === 'rf' && (
          <>
            {field('trees', 'Trees', { min: 1, max: 10_000 })}
            {field('rfDepth', 'Depth', { min: 1, max: 64 })}
          </>
        )}
        {settings.model === 'logistic' && (
          <>
            {field('c', 'C (inverse L2)', { step: '0.1', min: 0 })}
            {field('maxIterations', 'Max iterations', { min: 1, max: 10_000 })}
          </>
        )}
        {field('seed', 'Seed', { min: 0 })}
        {field('validationPercent', 'Validation %', { min: 5, max: 50 })}
        <label className="train-field">
          <span>Device</span>
          <select
            value={settings.device}
            disabled={busy}
            data-testid="train-device"
            onChange={(e) => {
              const device = e.target.value as Settings['device'];
              set({ device });
              if (device === 'gpu') probe();
            }}
          >
            <option value="cpu">CPU</option>
            <option value="gpu" disabled={gpu.state === 'unsupported'}>
              GPU (WebGPU)
            </option>
          </select>
        </label>
        <div className="train-actions">
          <button className="primary" data-testid="train-button" disabled={busy || !client} onClick={() => void start(tableIPC, request(settings, label))}>
            Train
          </button>
        </div>
      </div>
      {note && (
        <p className="muted train-gpu-note" data-testid="train-gpu-note">
          {note}
        </p>
      )}
      {busy && <TrainProgress state={state} onCancel={cancel} />}
      {state.notice && (
        <p className="train-notice" data-testid="train-notice">
          {state.notice}{' '}
          <button className="dismiss ghost" onClick={dismiss} aria-label="dismiss">
            ×
          </button>
        </p>
      )}
      {state.error && (
        <p className="train-error" role="alert" data-testid="train-error">
          <strong>Training failed:</strong> {state.error}
        </p>
      )}
      {state.result && <TrainResultView result={state.result} />}
    </section>
  );
}
