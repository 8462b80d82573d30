import { decodeShare, shareTransfers } from '../core/io/parquet/column-share.ts';
import type { ParquetHelperMessage, ParquetHelperReply } from './parquet-pool-protocol.ts';

/**
 * A Parquet helper thread, whatever the platform: give it every message the thread receives; it
 * takes columns from the queue it is sent and decodes them (decodeShare) and answers through `reply`, transferring
 * the columns' buffers.
 */
export function parquetHelper(reply: (message: ParquetHelperReply, transfer: ArrayBuffer[]) => void): (message: ParquetHelperMessage) => Promise<void> {
  return async (message) => {
    const id = typeof message?.id === 'number' ? message.id : -1;
    try {
      const queue = message?.queue;
      if (message?.type !== 'decode' || !(message.file instanceof Uint8Array) || !Array.isArray(queue?.order) || !(queue.next instanceof Int32Array)) {
        throw new Error('not a decode request');
      }
      const result = await decodeShare(message.file, queue);
      reply({ type: 'decoded', id, result }, shareTransfers(result));
    } catch (error) {
      reply({ type: 'error', id, message: error instanceof Error ? error.message : String(error) }, []);
    }
  };
}
