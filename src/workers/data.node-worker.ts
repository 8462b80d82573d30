// The data worker in Node (a worker thread): the same DataApi as the browser worker, over comlink.
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { totalmem } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { DataApi } from './data-api.ts';
import { nodeFileSource } from './node-file-source.ts';
import { nodeGunzip } from './node-gunzip.ts';
import { parallelParquetDecoder } from './parquet-pool.node.ts';

if (!parentPort) throw new Error('data.node-worker.ts must run in a worker thread');
// Parquet helpers start with the worker, so the first load finds them ready.
const parquetHelper = parallelParquetDecoder();
void parquetHelper.start();
const api = new DataApi({ gunzip: nodeGunzip, memoryLimitBytes: Math.floor(totalmem() * 0.7), openPath: nodeFileSource, parquetHelper });
expose(api, nodeEndpoint(parentPort));
