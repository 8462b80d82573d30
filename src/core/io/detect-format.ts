import { LoadError, type FileFormat } from './types.ts';

/** The format from the file's first bytes (magic numbers), not its name; warns when they disagree. */
export function detectFormat(name: string, head: Uint8Array): { format: FileFormat; warnings: string[] } {
  const lower = name.toLowerCase();
  const warnings: string[] = [];
  let format: FileFormat = 'csv';
  if (head[0] === 0x1f && head[1] === 0x8b) format = 'csv.gz';
  else if (head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31) format = 'parquet';
  else if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw new LoadError(name, 'this is a ZIP archive; unzip it and open the CSV or Parquet file inside');
  } else if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) {
    throw new LoadError(name, 'this is Zstandard-compressed; decompress it first (gzip and Parquet are read directly)');
  }
  const named: FileFormat | null = lower.endsWith('.parquet') || lower.endsWith('.pq')
    ? 'parquet'
    : lower.endsWith('.gz')
      ? 'csv.gz'
      : null;
  if (named && named !== format) {
    warnings.push(`the name says ${named} but the content is ${format === 'csv' ? 'text' : format}; read as ${format}`);
  }
  return { format, warnings };
}
