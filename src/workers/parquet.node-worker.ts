// A Parquet helper thread in Node (parquet-pool.node.ts).
import { parentPort } from 'node:worker_threads';
import { parquetHelper } from './parquet-helper.ts';

if (!parentPort) throw new Error('parquet.node-worker.ts must run in a worker thread');
const port = parentPort;
const handle = parquetHelper((message, transfer) => port.postMessage(message, transfer));
port.on('message', (message) => void handle(message));
port.postMessage({ type: 'ready' });
