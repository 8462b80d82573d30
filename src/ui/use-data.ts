import { useCallback, useRef, useState } from 'react';
import { DataClient, type LoadRequest, type LoadResponse, type Progress, type TableProfile } from '../client/data-client.ts';

export interface Loaded extends LoadResponse {
  file: Blob;
  profile: TableProfile | null;
}

export interface Status {
  busy: string | null;
  progress: Progress | null;
  /** Shown before a big load: the file's size and the memory it will need. */
  notice: string | null;
  error: string | null;
}

const BIG = 50 * 2 ** 20;
const IDLE: Status = { busy: null, progress: null, notice: null, error: null };

/** The app's data state: the loaded table (kept when a later load fails) and what is running. */
export function useData() {
  const client = useRef<DataClient | null>(null);
  client.current ??= new DataClient();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [status, setStatus] = useState<Status>(IDLE);

  const run = useCallback(async <T,>(what: string, notice: string | null, job: (onProgress: (p: Progress) => void) => Promise<T>): Promise<T | null> => {
    setStatus({ busy: what, progress: null, notice, error: null });
    try {
      const result = await job((progress) => setStatus((s) => ({ ...s, progress })));
      setStatus(IDLE);
      return result;
    } catch (err) {
      const error = err as Error;
      const cancelled = error.name === 'CancelledError' || /cancelled/.test(error.message);
      setStatus({ ...IDLE, error: cancelled ? null : error.message, notice: cancelled ? `${what} cancelled; the earlier data is kept.` : null });
      return null;
    }
  }, []);

  const open = useCallback(
    async (file: Blob, name: string, request: LoadRequest = {}) => {
      const c = client.current!;
      const factor = /\.(gz|parquet)$/i.test(name) ? 10 : 3;
      const notice = file.size > BIG ? `${name} is ${(file.size / 2 ** 20).toFixed(0)} MB; loading needs about ${((file.size * factor) / 2 ** 20).toFixed(0)} MB of memory (an estimate).` : null;
      const response = await run(`Loading ${name}`, notice, (p) => c.load(file, name, request, p));
      if (!response) return;
      const profile = await run(`Profiling ${name}`, null, (p) => c.profile(response.id, undefined, p));
      setLoaded((prev) => {
        if (prev) void c.drop(prev.id);
        return { ...response, file, profile };
      });
    },
    [run],
  );

  const relabel = useCallback(
    async (label: string | null) => {
      if (!loaded) return;
      const profile = await run('Profiling', null, (p) => client.current!.profile(loaded.id, label, p));
      if (profile) setLoaded({ ...loaded, profile });
    },
    [loaded, run],
  );

  const cancel = useCallback(() => void client.current!.cancel(), []);
  return { loaded, status, open, relabel, cancel };
}
