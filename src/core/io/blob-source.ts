import type { ByteSource } from './types.ts';

/** A ByteSource over a Blob: a browser File, or in Node a file opened with fs.openAsBlob. */
export function blobSource(blob: Blob, name: string): ByteSource {
  return {
    name,
    blob,
    size: blob.size,
    slice: async (start, end) => new Uint8Array(await blob.slice(start, end).arrayBuffer()),
    stream: () => blob.stream(),
  };
}

/** A ByteSource over bytes already in memory (tests, fetched example data). */
export function bytesSource(bytes: Uint8Array, name: string): ByteSource {
  return blobSource(new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
}
