import { useCallback, useEffect, useRef, useState } from 'react';
import { TrainClient, type GpuProbe, type LossPoint, type TrainRequest, type TrainResult, type TrainUpdate } from '../client/train-client.ts';

/** The train worker's client, one per app; its worker starts on the first training. */
export function useTrainClient(): TrainClient | null {
  const [client, setClient] = useState<TrainClient | null>(null);
  useEffect(() => {
    const c = new TrainClient();
    setClient(c);
    return () => c.dispose();
  }, []);
  return client;
}

export interface TrainState {
  phase: 'idle' | 'running' | 'cancelling';
  request: TrainRequest | null;
  progress: TrainUpdate | null;
  /** The loss curve so far (redrawn a few times a second, not at every report). */
  points: LossPoint[];
  result: TrainResult | null;
  /** Calm news: a cancelled run. */
  notice: string | null;
  error: string | null;
}

const IDLE: TrainState = { phase: 'idle', request: null, progress: null, points: [], result: null, notice: null, error: null };
/** The loss curve is a plotly figure: redrawing it at every progress report would cost more than the bar. */
const REDRAW_MS = 250;

/** One panel's training runs: start, progress, cancel, the last result or error. */
export function useTrain(client: TrainClient | null) {
  const [state, setState] = useState<TrainState>(IDLE);
  const job = useRef(0);
  const running = useRef(false);
  const modelId = useRef<string | null>(null);

  const start = useCallback(
    async (table: () => Promise<Uint8Array>, request: TrainRequest) => {
      if (!client) return;
      const mine = ++job.current;
      const mineStill = () => job.current === mine;
      const points: LossPoint[] = [];
      let drawn = 0;
      running.current = true;
      setState({ ...IDLE, phase: 'running', request });
      try {
        const result = await client.train(table, request, (update) => {
          if (!mineStill()) return;
          for (const p of update.points) points.push(p);
          const now = performance.now();
          const redraw = now - drawn >= REDRAW_MS || update.done >= update.total;
          if (redraw) drawn = now;
          setState((s) => (s.phase === 'idle' ? s : { ...s, progress: update, points: redraw ? points.slice() : s.points }));
        });
        if (modelId.current) void client.drop(modelId.current).catch(() => undefined);
        modelId.current = result.modelId;
        if (mineStill()) setState({ ...IDLE, result });
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        const cancelled = error.name === 'CancelledError' || error.name === 'AbortError';
        if (mineStill()) setState({ ...IDLE, notice: cancelled ? 'Training cancelled; the data is still loaded.' : null, error: cancelled ? null : error.message });
      } finally {
        if (mineStill()) running.current = false;
      }
    },
    [client],
  );

  const cancel = useCallback(() => {
    client?.cancel();
    setState((s) => (s.phase === 'running' ? { ...s, phase: 'cancelling' } : s));
  }, [client]);

  // A panel that goes away (another table or label) stops its training.
  useEffect(
    () => () => {
      if (running.current) client?.cancel();
    },
    [client],
  );

  const dismiss = useCallback(() => setState((s) => (s.phase === 'idle' ? { ...s, notice: null, error: null } : s)), []);
  return { state, start, cancel, dismiss };
}

export type GpuStatus = { state: 'unsupported'; reason: string } | { state: 'unknown' } | { state: 'probing' } | ({ state: 'probed' } & GpuProbe);

/** Whether this browser has WebGPU at all (checked here) and, once asked, the adapter the worker gets. */
export function useGpuStatus(client: TrainClient | null) {
  const [status, setStatus] = useState<GpuStatus>(() =>
    typeof navigator !== 'undefined' && 'gpu' in navigator ? { state: 'unknown' } : { state: 'unsupported', reason: 'this browser has no WebGPU (navigator.gpu)' },
  );
  const asked = useRef(false);
  const probe = useCallback(() => {
    if (!client || asked.current || status.state === 'unsupported') return;
    asked.current = true;
    setStatus({ state: 'probing' });
    client
      .probeGpu()
      .then((p) => setStatus({ state: 'probed', ...p }))
      .catch((err: Error) => setStatus({ state: 'probed', adapter: null, error: err.message }));
  }, [client, status.state]);
  return { gpu: status, probe };
}
