import { mkdirSync, openAsBlob, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { blobSource } from '../../src/core/io/blob-source.ts';
import { loadTable, type LoadResult } from '../../src/core/io/load.ts';
import type { LoadOptions } from '../../src/core/io/types.ts';
import { nodeGunzip } from '../../src/workers/node-gunzip.ts';

/** The shared real datasets, read-only, beside the repository. */
export const DATASETS = new URL('../../../shared/datasets/', import.meta.url).pathname;

export async function loadPath(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  return loadTable(blobSource(await openAsBlob(path), basename(path)), { gunzip: nodeGunzip, ...options });
}

/** Writes a fixture file into a fresh temporary folder and returns its path. */
export function fixture(name: string, content: string | Uint8Array): string {
  const dir = join(tmpdir(), 'workbench-tests');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Loads text given inline, as a file of that name. */
export async function loadText(name: string, content: string | Uint8Array, options: LoadOptions = {}): Promise<LoadResult> {
  return loadPath(fixture(name, content), options);
}
