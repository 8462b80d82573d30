import type { ByteSource } from './types.ts';

/** A ByteSource over a Blob: a browser File, or in Node a file opened with fs.openAsBlob. */
export function blobSource(blob: Blob, name: string): ByteSource {
  return {
    name,
    blob,
    size: blob.size,
    slice: async (start, end) => new Uint8Array(await blob.slice(start, end).arrayBuffer()),
    stream: () => sliceStream(blob),
  };
}

/** Bytes per chunk: Blob.stream() yields 64 KiB chunks, and the per-chunk cost adds up over big files. */
export const STREAM_CHUNK = 4 << 20;

/** The Blob as a stream of 4 MiB slices, read one at a time (never the whole file at once). */
function sliceStream(blob: Blob): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (at >= blob.size) {
        controller.close();
        return;
      }
      const end = Math.min(blob.size, at + STREAM_CHUNK);
      controller.enqueue(new Uint8Array(await blob.slice(at, end).arrayBuffer()));
      at = end;
    },
  });
}

/** A ByteSource over bytes already in memory (tests, fetched example data). */
export function bytesSource(bytes: Uint8Array, name: string): ByteSource {
  return blobSource(new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
}
