// The data worker in the browser: the same DataApi as Node's worker thread, over comlink.
import { expose } from 'comlink';
import { DataApi } from './data-api.ts';

/** Chrome reports device memory in GB, capped at 8; a worker can hold about half of it. */
const deviceGb = (navigator as Navigator & { deviceMemory?: number }).deviceMemory ?? 4;
expose(new DataApi({ memoryLimitBytes: deviceGb * 2 ** 30 * 0.5 }));
