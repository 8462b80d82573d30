import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { GpuProbe, LossPoint, TrainApi, TrainRequest, TrainResult, TrainUpdate } from '../workers/train-api.ts';

export type { GpuProbe, LossPoint, TrainRequest, TrainResult, TrainUpdate };

/** After Cancel, how long training may take to stop by itself before its worker is stopped outright. */
const CANCEL_GRACE_MS = 2000;

interface Run {
  /** Shared with the worker when the page is cross-origin isolated: set to 1 to cancel. */
  flag: Int32Array | undefined;
  stop: (err: Error) => void;
  started: boolean;
  cancelled: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

const cancelledError = () => Object.assign(new Error('training cancelled'), { name: 'CancelledError' });

/** The UI's handle on the train worker: training, its progress and its cancel all run off the main thread. */
export class TrainClient {
  private worker: Worker | null = null;
  private api!: Remote<TrainApi>;
  /** Rejects when the worker dies (out of memory, a crash): comlink alone would wait forever. */
  private died!: Promise<never>;
  /** The worker starts on the first call: a page that never trains never loads the training code. */
  private dead = true;
  private run: Run | null = null;

  /**
   * Trains on a table given as Arrow IPC bytes (fetched by `table`, e.g. from the data worker, and
   * transferred on, never copied). A newer call supersedes a running one. Rejects with a
   * `CancelledError` after `cancel()`.
   */
  async train(table: () => Promise<Uint8Array>, request: TrainRequest, onProgress: (update: TrainUpdate) => void): Promise<TrainResult> {
    let stop!: (err: Error) => void;
    const stopped = new Promise<never>((_, reject) => (stop = reject));
    stopped.catch(() => undefined);
    const canShare = typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated;
    const run: Run = { flag: canShare ? new Int32Array(new SharedArrayBuffer(4)) : undefined, stop, started: false, cancelled: false };
    this.run = run;
    // comlink keeps a proxied callback's port open for good: it holds only this forwarder, cut after the run.
    let sink: typeof onProgress | null = onProgress;
    const forward = proxy((update: TrainUpdate) => sink?.(update));
    try {
      const ipc = await Promise.race([table(), stopped]);
      if (run.cancelled) throw cancelledError();
      run.started = true;
      const work = this.call(() => this.api.train(transfer(ipc, [ipc.buffer as ArrayBuffer]), request, forward, run.flag));
      return await Promise.race([work, stopped]);
    } finally {
      sink = null;
      clearTimeout(run.timer);
      if (this.run === run) this.run = null;
    }
  }

  /** Stops the running training; the data stays loaded (it lives in the data worker). */
  cancel(): void {
    const run = this.run;
    if (!run || run.cancelled) return;
    run.cancelled = true;
    if (!run.started) return run.stop(cancelledError());
    if (run.flag) Atomics.store(run.flag, 0, 1);
    if (!this.dead) void this.api.cancel().catch(() => undefined);
    run.timer = setTimeout(() => {
      if (this.run !== run) return;
      // It did not stop in time (no shared memory on this page, or one long step such as binning):
      // stop the worker itself. Models kept in it are gone; a fresh worker starts on the next call.
      this.kill();
      run.stop(cancelledError());
    }, CANCEL_GRACE_MS);
  }

  /** The GPU adapter the worker would train on, or why there is none. */
  probeGpu(): Promise<GpuProbe> {
    return this.call(() => this.api.probeGpu());
  }

  drop(modelId: string): Promise<void> {
    return this.call(() => this.api.drop(modelId));
  }

  dispose(): void {
    this.run?.stop(cancelledError());
    this.kill();
  }

  private call<T>(work: () => Promise<T>): Promise<T> {
    if (this.dead) this.start();
    return Promise.race([work(), this.died]);
  }

  private kill(): void {
    this.dead = true;
    this.worker?.terminate();
    this.worker = null;
  }

  private start(): void {
    this.dead = false;
    const worker = new Worker(new URL('../workers/train.worker.ts', import.meta.url), { type: 'module', name: 'train' });
    this.worker = worker;
    this.api = wrap<TrainApi>(worker);
    this.died = new Promise<never>((_, reject) => {
      const fail = (why: string) => {
        reject(new Error(`the train worker stopped (${why}); the data is still loaded, train again`));
        // A fresh worker starts on the next call, not here: a worker that cannot start would loop.
        if (this.worker === worker) this.dead = true;
        worker.terminate();
      };
      worker.addEventListener('error', (e) => fail(e.message || 'it ran out of memory or crashed'));
      worker.addEventListener('messageerror', () => fail('a message could not be read'));
    });
    // Only a call racing it may observe the rejection; never an unhandled one.
    this.died.catch(() => undefined);
  }
}
