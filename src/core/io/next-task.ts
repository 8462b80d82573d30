/**
 * Resolves on a later task of the event loop, so messages waiting there (a cancel) are handled.
 * A MessageChannel message is one (browsers and Node alike): setTimeout(0) waits ~1.4 ms in Node
 * and up to 4 ms in browsers once nested, idle time a load pays at every yield.
 */
export function nextTask(): Promise<void> {
  if (typeof MessageChannel !== 'function') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
