import { useCallback, useRef, useState } from 'react';
import { DataClient, type LoadRequest, type LoadResponse, type Progress, type TableProfile } from '../client/data-client.ts';
import { BIG_FILE, loadNotice } from './load-estimate.ts';

export interface Loaded extends LoadResponse {
  /** The file itself, kept so it can be reloaded (new names) without asking the user again. */
  file: Blob;
  profile: TableProfile | null;
}

export interface Status {
  /** What is running, e.g. "Loading x.csv"; null when idle. */
  busy: string | null;
  progress: Progress | null;
  /** Calm news: a big load's size and memory estimate, a cancelled job. */
  notice: string | null;
  /** The last failure; the data loaded before stays on screen. */
  error: string | null;
}

const IDLE: Status = { busy: null, progress: null, notice: null, error: null };

type Outcome<T> = { ok: true; value: T } | { ok: false; cancelled: boolean };

/** The app's data state: the loaded table (kept when a later load fails) and what is running. */
export function useData() {
  const client = useRef<DataClient | null>(null);
  client.current ??= new DataClient();
  const job = useRef(0);
  const current = useRef<Loaded | null>(null);
  const [loaded, setLoadedState] = useState<Loaded | null>(null);
  const [status, setStatus] = useState<Status>(IDLE);

  const setLoaded = useCallback((next: Loaded | null) => {
    current.current = next;
    setLoadedState(next);
  }, []);

  /** Runs one job; a newer job supersedes it, and then it no longer touches the status. */
  const run = useCallback(async <T>(what: string, notice: string | null, work: (onProgress: (p: Progress) => void) => Promise<T>): Promise<Outcome<T>> => {
    const mine = ++job.current;
    const mineStill = () => job.current === mine;
    setStatus({ busy: what, progress: null, notice, error: null });
    try {
      const value = await work((progress) => mineStill() && setStatus((s) => ({ ...s, progress })));
      if (mineStill()) setStatus(IDLE);
      return { ok: true, value };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      const cancelled = error.name === 'CancelledError' || error.name === 'AbortError';
      const kept = current.current ? ` ${current.current.report.file} is still loaded.` : '';
      if (mineStill()) setStatus({ ...IDLE, error: cancelled ? null : error.message, notice: cancelled ? `${what} cancelled.${kept}` : null });
      return { ok: false, cancelled };
    }
  }, []);

  const profile = useCallback(
    async (target: LoadResponse, label: string | null | undefined, what: string): Promise<Outcome<TableProfile>> =>
      run(what, null, (p) => client.current!.profile(target.id, label, p)),
    [run],
  );

  const open = useCallback(
    async (file: Blob, name: string, request: LoadRequest = {}) => {
      const c = client.current!;
      const estimate = file.size > BIG_FILE ? await c.estimate(file, name).catch(() => null) : null;
      const notice = estimate && loadNotice(name, file.size, estimate.memoryBytes, estimate.limitBytes);
      const response = await run(`Loading ${name}`, notice, (p) => c.load(file, name, request, p));
      if (!response.ok) return;
      const previous = current.current;
      const next: Loaded = { ...response.value, file, profile: null };
      setLoaded(next);
      if (previous) void c.drop(previous.id).catch(() => undefined);
      const profiled = await profile(next, undefined, `Profiling ${name}`);
      if (profiled.ok && current.current === next) setLoaded({ ...next, profile: profiled.value });
    },
    [run, profile, setLoaded],
  );

  /** Profiles the current table again, with another label column (or the first time, after a cancel). */
  const relabel = useCallback(
    async (label: string | null | undefined) => {
      const target = current.current;
      if (!target) return;
      const profiled = await profile(target, label, label ? `Profiling with label ${label}` : 'Profiling');
      if (profiled.ok && current.current?.id === target.id) setLoaded({ ...current.current, profile: profiled.value });
    },
    [profile, setLoaded],
  );

  /** Reports a failure that happened outside the worker (e.g. the example data could not be fetched). */
  const fail = useCallback((message: string) => setStatus({ ...IDLE, error: message }), []);

  /** Hides a notice or error once read; a running job's status stays. */
  const dismiss = useCallback(() => setStatus((s) => (s.busy ? { ...s, notice: null } : IDLE)), []);

  const cancel = useCallback(() => void client.current!.cancel().catch(() => undefined), []);
  /** A table's Arrow IPC bytes, for the train worker (transferred through here, never copied). */
  const tableIPC = useCallback((id: string) => client.current!.tableIPC(id), []);
  return { loaded, status, open, relabel, cancel, fail, dismiss, tableIPC };
}
