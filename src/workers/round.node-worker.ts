// A boosting helper thread in Node (round-pool.node.ts).
import { parentPort } from 'node:worker_threads';
import { roundHelper } from './round-helper.ts';

if (!parentPort) throw new Error('round.node-worker.ts must run in a worker thread');
const port = parentPort;
const handle = roundHelper((message, transfer) => port.postMessage(message, transfer));
port.on('message', (message) => void handle(message));
port.postMessage({ type: 'ready' });
