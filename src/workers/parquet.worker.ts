// A Parquet helper thread in the browser (a Worker started by the data worker: parquet-pool.browser.ts).
import { parquetHelper } from './parquet-helper.ts';

const handle = parquetHelper((message, transfer) => self.postMessage(message, { transfer }));
self.addEventListener('message', (event: MessageEvent) => void handle(event.data));
self.postMessage({ type: 'ready' });
