import { nodeWorker, type NodeWorkerName } from './node-worker-script.ts';

/** A helper thread as the pools see it (round-pool.ts, parquet-pool.ts): messages in and out, failure, end, and whether it keeps the process alive. */
export interface NodeHelperThread<Message, Reply> {
  /** `transfer`: buffers that move rather than copy. */
  postMessage(message: Message, transfer?: ArrayBuffer[]): void;
  onMessage(listener: (reply: Reply) => void): void;
  onError(listener: (error: Error) => void): void;
  terminate(): Promise<void>;
  hold(on: boolean): void;
}

/**
 * A Node worker thread running entry `name` (nodeWorker) as a pool's helper; `what` names it in the
 * error when it ends.
 */
export function nodeHelperThread<Message, Reply>(name: NodeWorkerName, what: string): NodeHelperThread<Message, Reply> {
  const worker = nodeWorker(name);
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer),
    onMessage: (listener) => worker.on('message', (reply: Reply) => listener(reply)),
    onError: (listener) => {
      worker.on('error', listener);
      worker.on('messageerror', listener);
      worker.on('exit', (code) => listener(new Error(`${what} ended (exit code ${code})`)));
    },
    terminate: async () => void (await worker.terminate()),
    hold: (on) => (on ? worker.ref() : worker.unref()),
  };
}
