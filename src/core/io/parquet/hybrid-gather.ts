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
  /**
   * Text coded in row order: `dict` maps entries to codes, −1 for entries not coded yet; `code`
   * gets the entries this page uses that are not coded yet, in the order of their first use, and
   * sets their codes before the look-up (one word per value).
   */
  gatherText(bytes: Uint8Array, pos: number, end: number, w: number, n: number, dict: Int32Array, out: Int32Array, at: number, code: (entries: Int32Array) => void): void;
}

/** The JS twin: decodeHybrid, then (text: the first uses coded) gatherWords. */
export class HybridGatherJs implements HybridGather {
  private indices = new Int32Array(1024);
  private readonly runs = new RunList();

  gather(bytes: Uint8Array, pos: number, end: number, w: number, n: number, dict: Int32Array, words: 1 | 2, out: Int32Array, at: number): void {
    this.decode(bytes, pos, end, w, n);
    gatherWords(this.indices, n, this.runs, dict, words, out, at);
  }

  gatherText(bytes: Uint8Array, pos: number, end: number, w: number, n: number, dict: Int32Array, out: Int32Array, at: number, code: (entries: Int32Array) => void): void {
    const indices = this.decode(bytes, pos, end, w, n);
    const firsts: number[] = [];
    for (let i = 0; i < n; i++) {
      const k = indices[i]!;
      // Out of range: gatherWords reports it.
      if (k >>> 0 < dict.length && dict[k] === -1) {
        dict[k] = -2;
        firsts.push(k);
      }
    }
    if (firsts.length) code(Int32Array.from(firsts));
    gatherWords(indices, n, this.runs, dict, 1, out, at);
  }

  private decode(bytes: Uint8Array, pos: number, end: number, w: number, n: number): Int32Array {
    if (this.indices.length < n) this.indices = new Int32Array(n * 2);
    this.runs.count = 0;
    decodeHybrid(bytes, pos, end, w, n, this.indices, this.runs);
    return this.indices;
  }
}

const MESSAGES: Record<number, string> = {
  [RLE_ENDS_EARLY]: 'RLE data ends early',
  [BAD_RUN_HEADER]: 'a bad RLE run header',
  [PACKED_ENDS_EARLY]: 'bit-packed data ends early',
};

type Kernel = (src: number, end: number, w: number, count: number, dict: number, size: number, out: number, runs: number, firsts: number) => number;

/**
 * The WebAssembly kernel, or null where the host has none. Its memory: the error slot and counts
 * (16 bytes), the dictionary (kept while the same array is passed: a column chunk's pages share
 * one), the page's runs (copied in) with 8 bytes of slack, the list of long runs, the list of text
 * entries used first, the output. The output is copied into the column (a memcpy) between the long
 * runs, which are filled there directly: writing a column's fresh memory twice costs more than
 * the loop saves.
 */
export function hybridGatherWasm(): HybridGather | null {
  const module = hybridGatherModule();
  if (!module) return null;
  let memory: WebAssembly.Memory;
  let kernels: { gather32: Kernel; gather64: Kernel; gatherText: Kernel };
  try {
    memory = new WebAssembly.Memory({ initial: 16 });
    kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as typeof kernels;
  } catch {
    return null;
  }
  let dictIn: Int32Array | null = null;
  const dictAt = 16;
  /** Runs the kernel; returns its memory and where the page's output and lists lie there. */
  const run = (kernel: Kernel, bytes: Uint8Array, pos: number, end: number, w: number, n: number, dict: Int32Array, words: 1 | 2) => {
    if (w > 32) throw new Error(`a bit width of ${w}`);
    const runsAt = align8(dictAt + dict.byteLength);
    const runs = end - pos;
    const listAt = align8(runsAt + runs + 8);
    const firstsAt = listAt + 12 * (Math.floor(n / LONG_RUN) + 1);
    const outAt = firstsAt + dict.byteLength;
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
    const size = dict.length / words;
    const status = kernel(runsAt, runsAt + runs, w, n, dictAt, size, outAt, listAt, firstsAt);
    const head = new Int32Array(buffer, 0, 3);
    if (status === BAD_INDEX) throw new Error(`dictionary index ${head[0]! >>> 0} of ${size} entries`);
    if (status !== 0) throw new Error(MESSAGES[status]);
    return { buffer, outAt, listAt, runs: head[1]!, firstsAt, firsts: head[2]! };
  };
  /** Copies a page's output into out[at…], filling its long runs there. */
  const copyOut = (r: ReturnType<typeof run>, n: number, dict: Int32Array, words: 1 | 2, out: Int32Array, at: number): void => {
    const values = new Int32Array(r.buffer, r.outAt, words * n);
    const list = new Int32Array(r.buffer, r.listAt, 3 * r.runs);
    const wide = words === 2 ? new Float64Array(out.buffer, out.byteOffset, out.length >> 1) : null;
    let from = 0;
    for (let k = 0; k < list.length; k += 3) {
      const start = list[k]!;
      const length = list[k + 1]!;
      const entry = list[k + 2]!;
      if (start > from) out.set(values.subarray(words * from, words * start), words * (at + from));
      if (wide) wide.fill(new Float64Array(dict.buffer, dict.byteOffset + 8 * entry, 1)[0]!, at + start, at + start + length);
      else out.fill(dict[entry]!, at + start, at + start + length);
      from = start + length;
    }
    if (n > from) out.set(values.subarray(words * from, words * n), words * (at + from));
  };
  return {
    gather(bytes, pos, end, w, n, dict, words, out, at) {
      const r = run(words === 1 ? kernels.gather32 : kernels.gather64, bytes, pos, end, w, n, dict, words);
      copyOut(r, n, dict, words, out, at);
    },
    gatherText(bytes, pos, end, w, n, dict, out, at, code) {
      let r = run(kernels.gatherText, bytes, pos, end, w, n, dict, 1);
      if (r.firsts > 0) {
        // The page used entries not coded yet: code them, then look the page up again.
        code(new Int32Array(r.buffer, r.firstsAt, r.firsts).slice());
        dictIn = null;
        r = run(kernels.gather32, bytes, pos, end, w, n, dict, 1);
      }
      copyOut(r, n, dict, 1, out, at);
    },
  };
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
