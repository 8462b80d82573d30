// A helper thread of the histogram pool in Node (a worker thread started through bin/ts-worker.mjs).
import { parentPort } from 'node:worker_threads';
import { histogramHelper } from './histogram-pool-helper.ts';

if (!parentPort) throw new Error('histogram.node-worker.ts must run in a worker thread');
const port = parentPort;
port.on('message', histogramHelper((message) => port.postMessage(message)));
