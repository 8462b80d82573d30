// A helper thread of the histogram pool in the browser (a Worker started by the train worker).
import { histogramHelper } from './histogram-pool-helper.ts';

const handle = histogramHelper((message) => self.postMessage(message));
self.addEventListener('message', (event: MessageEvent) => handle(event.data));
