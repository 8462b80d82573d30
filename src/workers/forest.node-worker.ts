// A helper thread of the forest pool in Node (a worker thread started through bin/ts-worker.mjs).
import { parentPort } from 'node:worker_threads';
import { forestHelper } from './forest-pool-helper.ts';

if (!parentPort) throw new Error('forest.node-worker.ts must run in a worker thread');
const port = parentPort;
const handle = forestHelper((message, transfer) => port.postMessage(message, transfer));
// A failure outside a tree (a message the helper cannot read) is a bug: thrown again, it ends the
// thread, and the pool fails every open job with it.
const rethrow = (error: unknown) =>
  setImmediate(() => {
    throw error;
  });
port.on('message', (data) => void handle(data).catch(rethrow));
