import { tableToIPC, type Table } from 'apache-arrow';
import { transfer } from 'comlink';
import { estimateLoad, loadTable } from '../core/io/load.ts';
import { blobSource } from '../core/io/blob-source.ts';
import type { ByteSource, LoadOptions, LoadReport, Progress } from '../core/io/types.ts';
import { profileTable } from '../core/profile/profile-table.ts';
import type { TableProfile } from '../core/profile/types.ts';
import { previewRows, type Preview } from '../core/table/preview.ts';

/** Options that can cross a worker boundary (no callbacks, no signal). */
export type LoadRequest = Omit<LoadOptions, 'signal' | 'onProgress' | 'parquetHelper'>;

export type Platform = Pick<LoadOptions, 'gunzip' | 'memoryLimitBytes' | 'parquetHelper'> & {
  /** Opens a file by path (Node: nodeFileSource), for hosts whose file Blobs cannot be posted. */
  openPath?: (path: string, name: string) => Promise<ByteSource>;
};

export interface LoadResponse {
  id: string;
  report: LoadReport;
  preview: Preview;
}

/**
 * The data worker's whole protocol: tables stay in the worker, the UI gets reports, profiles and
 * previews. The same object runs in-thread (tests) or behind comlink (browser worker, Node worker thread).
 */
export class DataApi {
  private readonly tables = new Map<string, Table>();
  private current: AbortController | null = null;
  private nextId = 1;
  private readonly platform: Platform;

  /** platform: what this host adds to every load (Node's zlib, the memory this worker can hold, Parquet helper threads). */
  constructor(platform: Platform = {}) {
    this.platform = platform;
  }

  /** Loads a File / Blob, or in Node a path (file-backed Blobs cannot cross to a worker thread there). */
  async load(file: Blob | string, name: string, request: LoadRequest, onProgress?: (p: Progress) => void): Promise<LoadResponse> {
    const controller = this.begin();
    try {
      const { openPath: _, ...platform } = this.platform;
      const source = typeof file === 'string' ? await this.open(file, name) : blobSource(file, name);
      const { table, report } = await loadTable(source, { ...platform, ...request, signal: controller.signal, onProgress });
      const id = `t${this.nextId++}`;
      this.tables.set(id, table);
      return { id, report, preview: previewRows(table, 50) };
    } finally {
      this.end(controller);
    }
  }

  async profile(id: string, label?: string | null, onProgress?: (p: Progress) => void): Promise<TableProfile> {
    const controller = this.begin();
    try {
      return await profileTable(this.table(id), { label, signal: controller.signal, onProgress });
    } finally {
      this.end(controller);
    }
  }

  /** The memory a load of this file will need (the same estimate the load checks against). */
  async estimate(file: Blob | string, name: string): Promise<{ format: string; bytes: number; memoryBytes: number; limitBytes: number | null }> {
    const source = typeof file === 'string' ? await this.open(file, name) : blobSource(file, name);
    return { ...(await estimateLoad(source)), limitBytes: this.platform.memoryLimitBytes ?? null };
  }

  /** The table as Arrow IPC stream bytes, transferred rather than copied (a trainer elsewhere reads it). */
  tableIPC(id: string): Uint8Array {
    const bytes = tableToIPC(this.table(id), 'stream');
    return transfer(bytes, [bytes.buffer as ArrayBuffer]);
  }

  /** Aborts whatever load or profile is running; earlier tables stay. */
  cancel(): void {
    this.current?.abort();
  }

  drop(id: string): void {
    this.tables.delete(id);
  }

  table(id: string): Table {
    const table = this.tables.get(id);
    if (!table) throw new Error(`no table ${id} in this worker`);
    return table;
  }

  private open(path: string, name: string): Promise<ByteSource> {
    if (!this.platform.openPath) throw new Error('this worker cannot open files by path');
    return this.platform.openPath(path, name);
  }

  private begin(): AbortController {
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    return controller;
  }

  private end(controller: AbortController): void {
    if (this.current === controller) this.current = null;
  }
}
