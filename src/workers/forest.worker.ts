// A helper thread of the forest pool in the browser (a Worker started by the train worker).
import { forestHelper } from './forest-pool-helper.ts';

const handle = forestHelper((message, transfer) => self.postMessage(message, { transfer }));
// A failure outside a tree (a message the helper cannot read) is a bug: thrown again, it reaches
// the pool as the Worker's error event, and the pool fails every open job with it.
const rethrow = (error: unknown) =>
  setTimeout(() => {
    throw error;
  });
self.addEventListener('message', (event: MessageEvent) => void handle(event.data).catch(rethrow));
