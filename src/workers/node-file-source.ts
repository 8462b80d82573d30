import { open, stat, type FileHandle } from 'node:fs/promises';
import { STREAM_CHUNK } from '../core/io/blob-source.ts';
import type { ByteSource } from '../core/io/types.ts';

/**
 * A ByteSource over a file path in Node: positioned reads on the file, one per slice, where a
 * file-backed Blob (fs.openAsBlob) read 1.7 MB in 4–6 ms against ~1 ms (KDD99's Parquet file, a
 * Parquet load being ~70 ms). Each slice opens and closes the file; a stream holds it open until
 * it ends or is cancelled.
 */
export async function nodeFileSource(path: string, name: string): Promise<ByteSource> {
  const { size } = await stat(path);
  return {
    name,
    size,
    slice: async (start, end) => {
      const file = await open(path, 'r');
      try {
        return await readRange(file, start, Math.min(end, size));
      } finally {
        await file.close();
      }
    },
    stream: () => {
      let file: FileHandle | undefined;
      let at = 0;
      return new ReadableStream<Uint8Array>({
        start: async () => void (file = await open(path, 'r')),
        pull: async (controller) => {
          if (at >= size) {
            await file!.close();
            controller.close();
            return;
          }
          const end = Math.min(size, at + STREAM_CHUNK);
          controller.enqueue(await readRange(file!, at, end));
          at = end;
        },
        cancel: async () => void (await file?.close()),
      });
    },
  };
}

/** Bytes [start, end) of the file; fewer when it ends first (a file cut while it is read). */
async function readRange(file: FileHandle, start: number, end: number): Promise<Uint8Array> {
  const out = new Uint8Array(Math.max(0, end - start));
  let at = 0;
  while (at < out.length) {
    const { bytesRead } = await file.read(out, at, out.length - at, start + at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  return at === out.length ? out : out.subarray(0, at);
}
