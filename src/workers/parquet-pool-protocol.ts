import type { ShareResult } from '../core/io/parquet/column-share.ts';

/** To a Parquet helper: decode these columns (ascending indices) of this file (a copy of its bytes). */
export type ParquetHelperMessage = { type: 'decode'; id: number; file: Uint8Array; columns: number[] };

/** From a Parquet helper: started; a share's columns (buffers transferred); or why a request failed. */
export type ParquetHelperReply = { type: 'ready' } | { type: 'decoded'; id: number; result: ShareResult } | { type: 'error'; id: number; message: string };
