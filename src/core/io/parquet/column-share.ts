import { uniqueNames } from '../column-names.ts';
import { ColumnAssembler, type ColumnParts } from './column-assembler.ts';
import { decodeGroups, type DecodeFailure } from './decode-groups.ts';
import { NativeColumn } from './native-column.ts';
import { planColumns, type LeafPlan } from './native-schema.ts';
import { parseFooter, type FileMeta } from './parquet-footer.ts';

/**
 * Decodes shares of a Parquet file's columns on other threads (src/workers/parquet-pool*.ts):
 * injected through LoadOptions, as gunzip is, so core starts no threads.
 */
export interface ParquetColumnHelper {
  /** Threads besides the caller's. */
  readonly helpers: number;
  /** Files with fewer rows are decoded on the caller's thread alone (a round trip would cost more). */
  readonly minRows: number;
  /**
   * Decodes each share (ascending column indices) of the file on a helper thread (decodeShare);
   * null for a share no helper could take, which the caller then decodes itself.
   */
  decode(file: Uint8Array, shares: number[][]): Promise<(ShareResult | null)[]>;
}

/** A share's columns, in its order (what was decoded of them, when it failed), and its first failure. */
export interface ShareResult {
  columns: ColumnParts[];
  failure: DecodeFailure | null;
}

/**
 * Splits the columns into `parts` shares of about equal work, each in ascending order: the
 * caller's (share 0) and the helpers'. A column's work is its output bytes (writing fresh memory
 * is most of a load) plus its compressed bytes (what snappy and the hybrid decoder walk).
 */
export function splitColumns(meta: FileMeta, plans: readonly LeafPlan[], parts: number): number[][] {
  const rows = meta.rowGroups.reduce((s, g) => s + g.rows, 0);
  const cost = plans.map((p, c) => rows * outputBytes(p) + meta.rowGroups.reduce((s, g) => s + (g.columns[c]?.compressedSize ?? 0), 0));
  const shares: number[][] = Array.from({ length: parts }, () => []);
  const load = new Array<number>(parts).fill(0);
  // Largest first, each to the lightest share.
  for (const c of plans.map((_, c) => c).sort((a, b) => cost[b]! - cost[a]! || a - b)) {
    const s = load.indexOf(Math.min(...load));
    shares[s]!.push(c);
    load[s]! += cost[c]!;
  }
  for (const share of shares) share.sort((a, b) => a - b);
  return shares.filter((s, i) => i === 0 || s.length > 0);
}

/** Bytes a row takes in the column (see ColumnAssembler): narrow types as stored, the rest as Float64. */
function outputBytes(p: LeafPlan): number {
  if (p.convert === 'bool') return 1 / 8;
  if (p.convert === 'bytes') return 4;
  const stored = (p.type as unknown as { ArrayType?: { BYTES_PER_ELEMENT?: number } }).ArrayType?.BYTES_PER_ELEMENT;
  return (p.convert === 'int32' || p.convert === 'float') && stored ? stored : 8;
}

/**
 * A helper thread's work: decodes the columns `share` of the file (the same footer, plan and
 * decoders as the caller's, so the same columns) and returns their parts; the caller adopts them.
 */
export async function decodeShare(file: Uint8Array, share: readonly number[]): Promise<ShareResult> {
  const fileEnd = file.length - 8;
  const footerLength = new DataView(file.buffer, file.byteOffset).getUint32(fileEnd, true);
  const meta = parseFooter(file, fileEnd - footerLength, fileEnd);
  const plans = planColumns(meta);
  if (typeof plans === 'string') throw new Error(plans);
  const rows = meta.rowGroups.reduce((s, g) => s + g.rows, 0);
  const names = uniqueNames(plans.map((p) => p.name));
  const columns = new Map(share.map((c) => [c, new ColumnAssembler(names[c]!, plans[c]!.type, rows)]));
  const decoders = plans.map((p, c) => {
    const asm = columns.get(c);
    return asm && new NativeColumn(p, asm);
  });
  const failure = await decodeGroups(file, meta, fileEnd, share, decoders);
  return { columns: share.map((c) => columns.get(c)!.parts()), failure };
}

/** The buffers of a share's result, to transfer rather than copy. */
export function shareTransfers(result: ShareResult): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const p of result.columns) {
    for (const a of [p.values, p.codes, p.validity, p.entries?.bytes, p.entries?.offsets]) if (a) buffers.add(a.buffer as ArrayBuffer);
  }
  return [...buffers];
}
