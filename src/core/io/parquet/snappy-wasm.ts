import { compileOnce, I32, op, wasmModule, type WasmFunction } from '../../models/wasm-module.ts';
import { corrupt, snappyLength } from './snappy.ts';

/*
 * Raw Snappy in WebAssembly: snappy(src, end, out, outLength) decodes the elements at src[…, end)
 * (after the length preamble, read in JS) into out[0, outLength) with bulk memory copies and fills.
 * The JS loop (snappy.ts) is its twin and the fallback: the same bytes, the same errors, every read
 * and copy checked the same way (a damaged block returns an error code, never reads or writes
 * outside its regions).
 */

const x = {
  return: [0x0f],
  else: [0x05],
  i32Load16U: (offset = 0) => [0x2f, 0, offset],
  memoryCopy: [0xfc, 0x0a, 0, 0],
  memoryFill: [0xfc, 0x0b, 0],
  i32GtU: [0x4b],
  i32ShrU: [0x76],
};

const LITERAL_LENGTH = 1;
const LITERAL = 2;
const COPY_END = 3;
const COPY_OUTSIDE = 4;
const SHORT = 5;

const MESSAGES: Record<number, string> = {
  [LITERAL_LENGTH]: 'a literal length runs past the end',
  [LITERAL]: 'a literal runs past the end',
  [COPY_END]: 'a copy runs past the end',
  [COPY_OUTSIDE]: 'a copy reaches outside the output',
};

const SNAPPY: WasmFunction = (() => {
  const [src, end, out, outLength] = [0, 1, 2, 3];
  const [o, tag, n, extra, offset, chunk] = [4, 5, 6, 7, 8, 9];
  const fail = (code: number): number[][] => [op.i32(code), x.return];
  const next = (local: number): number[][] => [op.get(src), op.i32Load8U(), op.set(local), op.get(src), op.i32(1), op.i32Add, op.set(src)];
  const literal: number[][] = [
    ...[op.get(tag), op.i32(2), op.i32ShrU, op.set(n)],
    // 60–63: the length − 1 in the next 1–4 bytes.
    ...[op.get(n), op.i32(60), op.i32GeU, op.if],
    ...[op.get(n), op.i32(59), op.i32Sub, op.set(extra)],
    ...[op.get(src), op.get(extra), op.i32Add, op.get(end), x.i32GtU, op.if, ...fail(LITERAL_LENGTH), op.end],
    ...[op.get(src), op.i32Load(), op.i32(-1), op.i32(32), op.get(extra), op.i32(3), op.i32Shl, op.i32Sub, op.i32ShrU, op.i32And, op.set(n)],
    ...[op.get(src), op.get(extra), op.i32Add, op.set(src), op.end],
    // n + 1 bytes, checked as n ≥ room (n + 1 may not fit in 32 bits).
    ...[op.get(n), op.get(end), op.get(src), op.i32Sub, op.i32GeU, op.get(n), op.get(outLength), op.get(o), op.i32Sub, op.i32GeU, op.i32Or, op.if, ...fail(LITERAL), op.end],
    ...[op.get(n), op.i32(1), op.i32Add, op.set(n)],
    ...[op.get(out), op.get(o), op.i32Add, op.get(src), op.get(n), x.memoryCopy],
    ...[op.get(src), op.get(n), op.i32Add, op.set(src), op.get(o), op.get(n), op.i32Add, op.set(o)],
  ];
  const copy: number[][] = [
    ...[op.get(tag), op.i32(3), op.i32And, op.i32(1), op.i32Eq, op.if],
    ...[op.get(src), op.get(end), op.i32GeU, op.if, ...fail(COPY_END), op.end],
    ...[op.get(tag), op.i32(2), op.i32ShrU, op.i32(7), op.i32And, op.i32(4), op.i32Add, op.set(n)],
    ...[op.get(tag), op.i32(5), op.i32ShrU, op.i32(8), op.i32Shl, op.get(src), op.i32Load8U(), op.i32Or, op.set(offset)],
    ...[op.get(src), op.i32(1), op.i32Add, op.set(src)],
    ...[x.else, op.get(tag), op.i32(3), op.i32And, op.i32(2), op.i32Eq, op.if],
    ...[op.get(src), op.i32(2), op.i32Add, op.get(end), x.i32GtU, op.if, ...fail(COPY_END), op.end],
    ...[op.get(src), x.i32Load16U(), op.set(offset), op.get(src), op.i32(2), op.i32Add, op.set(src)],
    ...[x.else],
    ...[op.get(src), op.i32(4), op.i32Add, op.get(end), x.i32GtU, op.if, ...fail(COPY_END), op.end],
    ...[op.get(src), op.i32Load(), op.set(offset), op.get(src), op.i32(4), op.i32Add, op.set(src)],
    ...[op.end],
    ...[op.get(tag), op.i32(2), op.i32ShrU, op.i32(1), op.i32Add, op.set(n), op.end],
    ...[op.get(offset), op.i32Eqz, op.get(offset), op.get(o), x.i32GtU, op.i32Or, op.get(n), op.get(outLength), op.get(o), op.i32Sub, x.i32GtU, op.i32Or, op.if, ...fail(COPY_OUTSIDE), op.end],
    // A run of one byte is a fill; an overlapping copy repeats its pattern, `offset` bytes at a time.
    ...[op.get(offset), op.i32(1), op.i32Eq, op.if],
    ...[op.get(out), op.get(o), op.i32Add, op.get(out), op.get(o), op.i32Add, op.i32(1), op.i32Sub, op.i32Load8U(), op.get(n), x.memoryFill],
    ...[op.get(o), op.get(n), op.i32Add, op.set(o)],
    ...[x.else],
    ...[op.block, op.loop, op.get(n), op.i32Eqz, op.brIf(1)],
    ...[op.get(n), op.get(offset), op.get(n), op.get(offset), op.i32LtU, op.select, op.set(chunk)],
    ...[op.get(out), op.get(o), op.i32Add, op.get(out), op.get(o), op.i32Add, op.get(offset), op.i32Sub, op.get(chunk), x.memoryCopy],
    ...[op.get(o), op.get(chunk), op.i32Add, op.set(o), op.get(n), op.get(chunk), op.i32Sub, op.set(n), op.br(0), op.end, op.end],
    ...[op.end],
  ];
  return {
    name: 'snappy',
    params: [I32, I32, I32, I32],
    results: [I32],
    locals: [I32, I32, I32, I32, I32, I32],
    body: [
      ...[op.block, op.loop, op.get(src), op.get(end), op.i32GeU, op.brIf(1)],
      ...next(tag),
      ...[op.get(tag), op.i32(3), op.i32And, op.i32Eqz, op.if, ...literal, x.else, ...copy, op.end],
      ...[op.br(0), op.end, op.end],
      // Decoded bytes at address 0 (for the message).
      ...[op.i32(0), op.get(o), op.i32Store()],
      ...[op.get(o), op.get(outLength), op.i32Eq, op.if, op.i32(0), x.return, op.end, op.i32(SHORT)],
    ],
  };
})();

const snappyModule = compileOnce(() => wasmModule([SNAPPY]));

/** Decompresses into its own memory; the result is a view valid until the next call. */
export interface SnappyDecoder {
  uncompress(src: Uint8Array, start: number, end: number, outLength: number): Uint8Array;
}

/** The WebAssembly decoder, or null where the host has none. Memory: 8 bytes, the block, 8 bytes, the output. */
export function snappyWasm(): SnappyDecoder | null {
  const module = snappyModule();
  if (!module) return null;
  let memory: WebAssembly.Memory;
  let snappy: (src: number, end: number, out: number, outLength: number) => number;
  try {
    memory = new WebAssembly.Memory({ initial: 16 });
    snappy = (new WebAssembly.Instance(module, { env: { memory } }).exports as { snappy: typeof snappy }).snappy;
  } catch {
    return null;
  }
  return {
    uncompress(src, start, end, outLength) {
      const pos = snappyLength(src, start, end, outLength);
      const inAt = 8;
      const size = end - pos;
      const outAt = (inAt + size + 8 + 7) & ~7;
      const need = outAt + outLength + 8;
      if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
      const buffer = memory.buffer;
      new Uint8Array(buffer, inAt, size).set(src.subarray(pos, end));
      const status = snappy(inAt, inAt + size, outAt, outLength);
      if (status === SHORT) corrupt(`${new Int32Array(buffer, 0, 1)[0]!} bytes decoded, ${outLength} expected`);
      if (status !== 0) corrupt(MESSAGES[status]!);
      return new Uint8Array(buffer, outAt, outLength);
    },
  };
}
