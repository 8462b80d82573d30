import { columnTransfers, decodeShare } from '../core/io/parquet/column-share.ts';
import type { ParquetHelperMessage, ParquetHelperReply } from './parquet-pool-protocol.ts';

/**
 * A Parquet helper thread, whatever the platform: give it every message the thread receives; it
 * takes columns from the queue it is sent, decodes them (decodeShare) and answers through `reply`,
 * each column as soon as it is decoded (its buffers transferred), then the end of the request.
 */
export function parquetHelper(reply: (message: ParquetHelperReply, transfer: ArrayBuffer[]) => void): (message: ParquetHelperMessage) => Promise<void> {
  return async (message) => {
    const id = typeof message?.id === 'number' ? message.id : -1;
    try {
      const queue = message?.queue;
      if (message?.type !== 'decode' || !(message.file instanceof Uint8Array) || !Array.isArray(queue?.order) || !(queue.next instanceof Int32Array)) {
        throw new Error('not a decode request');
      }
      const result = await decodeShare(message.file, queue, (column) => reply({ type: 'column', id, column }, columnTransfers([column])));
      reply({ type: 'decoded', id, result }, columnTransfers(result.columns));
    } catch (error) {
      reply({ type: 'error', id, message: error instanceof Error ? error.message : String(error) }, []);
    }
  };
}
