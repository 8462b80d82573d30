// The data worker in the browser: the same DataApi as Node's worker thread, over comlink.
import { expose } from 'comlink';
import { DataApi } from './data-api.ts';
import { parallelParquetDecoder } from './parquet-pool.browser.ts';

/** Chrome reports device memory in GB, capped at 8; a worker can hold about half of it. */
const deviceGb = (navigator as Navigator & { deviceMemory?: number }).deviceMemory ?? 4;
// Parquet helpers start with the worker, so the first load finds them ready.
const parquetHelper = parallelParquetDecoder();
void parquetHelper.start();
expose(new DataApi({ memoryLimitBytes: deviceGb * 2 ** 30 * 0.5, parquetHelper }));
