import { gatherWords } from './dictionary-gather.ts';
import { decodeHybrid, RunList } from './hybrid.ts';
import { BAD_INDEX, BAD_RUN_HEADER, hybridGatherModule, LONG_RUN, PACKED_ENDS_EARLY, RLE_ENDS_EARLY } from './hybrid-gather-wasm.ts';

/**
 * A page's dictionary indices (hybrid runs at bytes[pos, end) of width w) looked up into out[at…]
 * as `words` 32-bit words per value. The JS twin decodes the indices, then looks them up (run
 * fills and one gather loop); the WebAssembly kernel does both in one pass in its own memory and
 * the result is copied out (a memcpy). Both throw the same errors.
 */
export interface HybridGather {
  gather(bytes: Uint8Array, pos: number, end: number, w: number, n: number, dict: Int32Array, words: 1 | 2, out: Int32Array, at: number): void;
}

/** The JS twin: decodeHybrid, then gatherWords. */
export class HybridGatherJs implements HybridGather {
  private indices = new Int32Array(1024);
  private readonly runs = new RunList();

  gather(bytes: Uint8Array, pos: number, end: number, w: number, n: number, dict: Int32Array, words: 1 | 2, out: Int32Array, at: number): void {
    if (this.indices.length < n) this.indices = new Int32Array(n * 2);
    this.runs.count = 0;
    decodeHybrid(bytes, pos, end, w, n, this.indices, this.runs);
    gatherWords(this.indices, n, this.runs, dict, words, out, at);
  }
}

const MESSAGES: Record<number, string> = {
  [RLE_ENDS_EARLY]: 'RLE data ends early',
  [BAD_RUN_HEADER]: 'a bad RLE run header',
  [PACKED_ENDS_EARLY]: 'bit-packed data ends early',
};

type Kernel = (src: number, end: number, w: number, count: number, dict: number, size: number, out: number, runs: number) => number;

/**
 * The WebAssembly kernel, or null where the host has none. Its memory: the error slot and run
 * count (8 bytes), the dictionary (kept while the same array is passed: a column chunk's pages
 * share one), the page's runs (copied in) with 8 bytes of slack, the list of long runs, the
 * output. The output is copied into the column (a memcpy) between the long runs, which are filled
 * there directly: writing a column's fresh memory twice costs more than the loop saves.
 */
export function hybridGatherWasm(): HybridGather | null {
  const module = hybridGatherModule();
  if (!module) return null;
  let memory: WebAssembly.Memory;
  let kernels: { gather32: Kernel; gather64: Kernel };
  try {
    memory = new WebAssembly.Memory({ initial: 16 });
    kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as typeof kernels;
  } catch {
    return null;
  }
  let dictIn: Int32Array | null = null;
  return {
    gather(bytes, pos, end, w, n, dict, words, out, at) {
      if (w > 32) throw new Error(`a bit width of ${w}`);
      const dictAt = 16;
      const runsAt = align8(dictAt + dict.byteLength);
      const runs = end - pos;
      const listAt = align8(runsAt + runs + 8);
      const outAt = listAt + 12 * (Math.floor(n / LONG_RUN) + 1);
      const need = outAt + 4 * words * n;
      if (memory.buffer.byteLength < need) {
        memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
        dictIn = null;
      }
      const buffer = memory.buffer;
      if (dictIn !== dict) {
        new Int32Array(buffer, dictAt, dict.length).set(dict);
        dictIn = dict;
      }
      new Uint8Array(buffer, runsAt, runs).set(bytes.subarray(pos, end));
      const gather = words === 1 ? kernels.gather32 : kernels.gather64;
      const size = dict.length / words;
      const status = gather(runsAt, runsAt + runs, w, n, dictAt, size, outAt, listAt);
      const head = new Int32Array(buffer, 0, 2);
      if (status === BAD_INDEX) throw new Error(`dictionary index ${head[0]! >>> 0} of ${size} entries`);
      if (status !== 0) throw new Error(MESSAGES[status]);
      const values = new Int32Array(buffer, outAt, words * n);
      const list = new Int32Array(buffer, listAt, 3 * head[1]!);
      const wide = words === 2 ? new Float64Array(out.buffer, out.byteOffset, out.length >> 1) : null;
      let from = 0;
      for (let r = 0; r < list.length; r += 3) {
        const start = list[r]!;
        const length = list[r + 1]!;
        const k = list[r + 2]!;
        if (start > from) out.set(values.subarray(words * from, words * start), words * (at + from));
        if (wide) wide.fill(new Float64Array(dict.buffer, dict.byteOffset + 8 * k, 1)[0]!, at + start, at + start + length);
        else out.fill(dict[k]!, at + start, at + start + length);
        from = start + length;
      }
      if (n > from) out.set(values.subarray(words * from, words * n), words * (at + from));
    },
  };
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
