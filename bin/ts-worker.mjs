// Starts a TypeScript worker thread from source: registers tsx in this thread, then imports the
// entry named in workerData. (Loader flags in a Worker's execArgv do not reach its entry on Node 20.)
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
