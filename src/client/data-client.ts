import { proxy, wrap, type Remote } from 'comlink';
import type { LoadReport, Progress } from '../core/io/types.ts';
import type { ColumnProfile, TableProfile } from '../core/profile/types.ts';
import type { Preview } from '../core/table/preview.ts';
import type { DataApi, LoadRequest, LoadResponse } from '../workers/data-api.ts';

export type { ColumnProfile, LoadReport, LoadRequest, LoadResponse, Preview, Progress, TableProfile };

/** The UI's handle on the data worker: every call runs off the main thread. */
export class DataClient {
  private worker!: Worker;
  private api!: Remote<DataApi>;
  /** Rejects when the worker dies (out of memory, a crash): comlink alone would wait forever. */
  private died!: Promise<never>;
  private dead = false;

  constructor() {
    this.start();
  }

  /** Loads a File or Blob in the worker; the Blob crosses by structured clone, its bytes are never read here. */
  load(file: Blob, name: string, request: LoadRequest, onProgress: (p: Progress) => void): Promise<LoadResponse> {
    return this.call(() => this.api.load(file, name, request, proxy(onProgress)));
  }

  /** The memory the worker estimates a load of this file needs, and what it can hold. */
  estimate(file: Blob, name: string): Promise<{ bytes: number; memoryBytes: number; limitBytes: number | null }> {
    return this.call(() => this.api.estimate(file, name));
  }

  profile(id: string, label: string | null | undefined, onProgress: (p: Progress) => void): Promise<TableProfile> {
    return this.call(() => this.api.profile(id, label, proxy(onProgress)));
  }

  /** The table as Arrow IPC stream bytes, transferred out of the worker (for the train worker). */
  tableIPC(id: string): Promise<Uint8Array> {
    return this.call(() => this.api.tableIPC(id));
  }

  /** Stops the running load or profile; tables loaded before stay. */
  cancel(): Promise<void> {
    return this.call(() => this.api.cancel());
  }

  drop(id: string): Promise<void> {
    return this.call(() => this.api.drop(id));
  }

  private call<T>(work: () => Promise<T>): Promise<T> {
    if (this.dead) this.start();
    return Promise.race([work(), this.died]);
  }

  private start(): void {
    this.dead = false;
    this.worker = new Worker(new URL('../workers/data.worker.ts', import.meta.url), { type: 'module', name: 'data' });
    this.api = wrap<DataApi>(this.worker);
    const worker = this.worker;
    this.died = new Promise<never>((_, reject) => {
      const fail = (why: string) => {
        reject(new Error(`the data worker stopped (${why}); tables loaded before are gone, open the file again`));
        // A fresh worker starts on the next call, not here: a worker that cannot start would loop.
        this.dead = true;
        worker.terminate();
      };
      worker.addEventListener('error', (e) => fail(e.message || 'it ran out of memory or crashed'));
      worker.addEventListener('messageerror', () => fail('a message could not be read'));
    });
    // Only a call racing it may observe the rejection; never an unhandled one.
    this.died.catch(() => undefined);
  }
}
