import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * Gzip through Node's zlib with 1 MiB output chunks: it inflates on the libuv thread pool, in
 * parallel with parsing, and is several times faster than Node's DecompressionStream.
 */
export function nodeGunzip(compressed: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const inflated = Readable.fromWeb(compressed as import('node:stream/web').ReadableStream<Uint8Array>).pipe(
    createGunzip({ chunkSize: 1 << 20 }),
  );
  return Readable.toWeb(inflated) as unknown as ReadableStream<Uint8Array>;
}
