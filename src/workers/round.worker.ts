// A boosting helper thread in the browser (a Worker started by the train worker: round-pool.browser.ts).
import { roundHelper } from './round-helper.ts';

const handle = roundHelper((message, transfer) => self.postMessage(message, { transfer }));
self.addEventListener('message', (event: MessageEvent) => void handle(event.data));
self.postMessage({ type: 'ready' });
