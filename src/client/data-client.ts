import { proxy, wrap, type Remote } from 'comlink';
import type { LoadReport, Progress } from '../core/io/types.ts';
import type { ColumnProfile, TableProfile } from '../core/profile/types.ts';
import type { Preview } from '../core/table/preview.ts';
import type { DataApi, LoadRequest, LoadResponse } from '../workers/data-api.ts';

export type { ColumnProfile, LoadReport, LoadRequest, LoadResponse, Preview, Progress, TableProfile };

/** The UI's handle on the data worker: every call runs off the main thread. */
export class DataClient {
  private readonly api: Remote<DataApi>;

  constructor() {
    const worker = new Worker(new URL('../workers/data.worker.ts', import.meta.url), { type: 'module', name: 'data' });
    this.api = wrap<DataApi>(worker);
  }

  load(file: Blob, name: string, request: LoadRequest, onProgress: (p: Progress) => void): Promise<LoadResponse> {
    return this.api.load(file, name, request, proxy(onProgress));
  }

  profile(id: string, label: string | null | undefined, onProgress: (p: Progress) => void): Promise<TableProfile> {
    return this.api.profile(id, label, proxy(onProgress));
  }

  /** Stops the running load or profile; tables loaded before stay. */
  cancel(): Promise<void> {
    return this.api.cancel();
  }

  drop(id: string): Promise<void> {
    return this.api.drop(id);
  }
}
