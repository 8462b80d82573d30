import { LoadError, type ByteSource } from '../types.ts';

const MAGIC = 'PAR1';
const ENCRYPTED_MAGIC = 'PARE';

/**
 * The Parquet envelope, checked before any decoding so the common failures get plain messages:
 * "PAR1" at both ends, and a footer length that fits in the file. A file cut short loses its
 * footer first (the metadata is written last).
 */
export async function checkEnvelope(source: ByteSource): Promise<void> {
  checkHead(source.name, source.size, await source.slice(0, 4));
  checkTail(source.name, source.size, await source.slice(source.size - 8, source.size));
}

/** The same checks on the whole file's bytes, already read. */
export function checkEnvelopeBytes(name: string, bytes: Uint8Array): void {
  checkHead(name, bytes.length, bytes.subarray(0, 4));
  checkTail(name, bytes.length, bytes.subarray(bytes.length - 8));
}

function checkHead(name: string, size: number, head: Uint8Array): void {
  const magic = ascii(head);
  if (magic !== MAGIC && magic !== ENCRYPTED_MAGIC) {
    throw new LoadError(name, 'not a Parquet file: it does not start with the "PAR1" signature');
  }
  if (size < 12) throw new LoadError(name, `not a complete Parquet file: the footer is missing or damaged (only ${size} bytes)`);
}

function checkTail(name: string, size: number, tail: Uint8Array): void {
  const magic = ascii(tail.subarray(4));
  if (magic === ENCRYPTED_MAGIC) throw new LoadError(name, 'this Parquet file is encrypted; decrypt it first');
  if (magic !== MAGIC) {
    throw new LoadError(name, 'not a complete Parquet file: the footer is missing or damaged (was the file cut short?)');
  }
  const footer = (tail[0]! | (tail[1]! << 8) | (tail[2]! << 16) | (tail[3]! << 24)) >>> 0;
  if (footer === 0 || footer > size - 12) {
    throw new LoadError(name, `not a complete Parquet file: the footer is missing or damaged (it claims ${footer} bytes)`);
  }
}

function ascii(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}
