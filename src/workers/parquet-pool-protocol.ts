import type { SharedColumn, ShareResult } from '../core/io/parquet/column-share.ts';
import type { ColumnQueue } from '../core/io/parquet/decode-columns.ts';

/** To a Parquet helper: take columns of this file (a copy of its bytes) from the queue (shared memory, or its own list) and decode them. */
export type ParquetHelperMessage = { type: 'decode'; id: number; file: Uint8Array; queue: ColumnQueue };

/**
 * From a Parquet helper: started; a column decoded (its buffers transferred), as soon as it is;
 * the end of a request (columns not sent yet, the first failure); or why a request failed.
 */
export type ParquetHelperReply =
  | { type: 'ready' }
  | { type: 'column'; id: number; column: SharedColumn }
  | { type: 'decoded'; id: number; result: ShareResult }
  | { type: 'error'; id: number; message: string };
