/** What `helperReady` needs of a just-spawned helper thread (round-pool.ts, parquet-pool.ts). */
interface StartingThread {
  onMessage(listener: (reply: { type: string }) => void): void;
  onError(listener: (error: Error) => void): void;
  hold?(on: boolean): void;
}

/**
 * Resolves when the thread's first message is `ready`; rejects on any other first message or an
 * error before it. Once it has answered, it holds the process open (Node) only when asked.
 */
export function helperReady(thread: StartingThread, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let started = false;
    thread.onMessage((reply) => {
      if (started) return;
      started = true;
      if (reply.type === 'ready') resolve();
      else reject(new Error(`${what} failed to start`));
      thread.hold?.(false);
    });
    thread.onError((error) => (started ? undefined : reject(error)));
  });
}
