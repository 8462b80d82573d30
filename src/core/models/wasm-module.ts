/**
 * Just enough of the WebAssembly binary format to write our kernels (logistic regression's, GBDT's
 * histograms) in readable source (no assembler dependency): a module that imports its memory and
 * exports functions.
 */

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const utf8 = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** Instructions, as bytes. Memory arguments take (alignment as log2, offset). */
/** An f64 constant's bytes, little-endian. */
const f64Bytes = (v: number): number[] => Array.from(new Uint8Array(Float64Array.of(v).buffer));

export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  get: (local: number) => [0x20, ...uleb(local)],
  set: (local: number) => [0x21, ...uleb(local)],
  tee: (local: number) => [0x22, ...uleb(local)],
  i32: (v: number) => [0x41, ...sleb(v)],
  select: [0x1b],
  i32Eqz: [0x45],
  i32Eq: [0x46],
  i32Ne: [0x47],
  i32Add: [0x6a],
  i32Mul: [0x6c],
  i32Or: [0x72],
  i32Store8: (offset = 0) => [0x3a, 0, ...uleb(offset)],
  i32TruncSatF64S: [0xfc, 0x02],
  i32Sub: [0x6b],
  i32Load: (offset = 0) => [0x28, 2, ...uleb(offset)],
  i32Load8U: (offset = 0) => [0x2d, 0, ...uleb(offset)],
  i32Store: (offset = 0) => [0x36, 2, ...uleb(offset)],
  i32And: [0x71],
  i32Shl: [0x74],
  i32ShrU: [0x76],
  i32LtU: [0x49],
  i32GeU: [0x4f],
  f32Load: (offset = 0) => [0x2a, 2, ...uleb(offset)],
  f64Load: (offset = 0) => [0x2b, 3, ...uleb(offset)],
  f64Store: (offset = 0) => [0x39, 3, ...uleb(offset)],
  f64Const: (v: number) => [0x44, ...f64Bytes(v)],
  i64Eqz: [0x50],
  f64Eq: [0x61],
  f64Ne: [0x62],
  f64Gt: [0x64],
  f64Le: [0x65],
  f64Ge: [0x66],
  f64Abs: [0x99],
  f64Neg: [0x9a],
  f64Floor: [0x9c],
  f64Add: [0xa0],
  f64Sub: [0xa1],
  f64Mul: [0xa2],
  f64Div: [0xa3],
  f64Min: [0xa4],
  f64Max: [0xa5],
  f64ConvertI32S: [0xb7],
  f64PromoteF32: [0xbb],
  i64Const: (v: number) => [0x42, ...sleb(v)],
  v128Load: (offset = 0) => [0xfd, 0x00, 4, ...uleb(offset)],
  v128Store: (offset = 0) => [0xfd, 0x0b, 4, ...uleb(offset)],
  v128Load64Zero: (offset = 0) => [0xfd, 0x5d, 3, ...uleb(offset)],
  i64x2Splat: [0xfd, 0x12],
  f64x2Splat: [0xfd, 0x14],
  f64x2ExtractLane: (lane: number) => [0xfd, 0x21, lane],
  f64x2Floor: [0xfd, 0x75],
  f64x2Gt: [0xfd, 0x4a],
  f64x2Ge: [0xfd, 0x4c],
  f64x2Ne: [0xfd, 0x48],
  f64x2Lt: [0xfd, 0x49],
  f64x2Le: [0xfd, 0x4b],
  v128Not: [0xfd, 0x4d],
  v128And: [0xfd, 0x4e],
  v128Or: [0xfd, 0x50],
  v128AnyTrue: [0xfd, 0x53],
  /** i8x16.shuffle: byte j of the result is byte lanes[j] of a ++ b. */
  i8x16Shuffle: (lanes: number[]) => [0xfd, 0x0d, ...lanes],
  i64x2ExtractLane: (lane: number) => [0xfd, 0x1d, lane],
  i32x4ExtractLane: (lane: number) => [0xfd, 0x1b, lane],
  v128Bitselect: [0xfd, 0x52],
  f64x2Div: [0xfd, ...uleb(0xf3)],
  f64x2Add: [0xfd, ...uleb(0xf0)],
  f64x2Sub: [0xfd, ...uleb(0xf1)],
  f64x2Mul: [0xfd, ...uleb(0xf2)],
  f64x2Min: [0xfd, ...uleb(0xf4)],
  f64x2Pmin: [0xfd, ...uleb(0xf6)],
  f64x2Pmax: [0xfd, ...uleb(0xf7)],
  f64x2Max: [0xfd, ...uleb(0xf5)],
  f64x2PromoteLowF32x4: [0xfd, 0x5f],
  i32x4TruncSatF64x2SZero: [0xfd, ...uleb(0xfc)],
  i64x2ExtendLowI32x4S: [0xfd, ...uleb(0xc7)],
  i64x2Shl: [0xfd, ...uleb(0xcb)],
  i64x2Add: [0xfd, ...uleb(0xce)],
};

export interface WasmFunction {
  name: string;
  params: number[];
  results: number[];
  /** Extra locals, by type, numbered after the parameters. */
  locals: number[];
  body: number[][];
}

/**
 * A module importing `env.memory` (any memory of at least one 64 KiB page; `shared`: any shared
 * one, which a module must declare so) and exporting the functions.
 */
export function wasmModule(functions: WasmFunction[], options: { shared?: boolean } = {}): Uint8Array<ArrayBuffer> {
  const types = section(1, vec(functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))])));
  const limits = options.shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const imports = section(2, vec([[...utf8('env'), ...utf8('memory'), 0x02, ...limits]]));
  const declared = section(3, vec(functions.map((_, i) => uleb(i))));
  const exports = section(7, vec(functions.map((f, i) => [...utf8(f.name), 0x00, ...uleb(i)])));
  const code = section(
    10,
    vec(
      functions.map((f) => {
        const body = [...vec(f.locals.map((t) => [1, t])), ...f.body.flat(), ...op.end];
        return [...uleb(body.length), ...body];
      }),
    ),
  );
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...imports, ...declared, ...exports, ...code]);
}

/** What a module serves, for `precompile`. */
export type KernelUse = 'binning' | 'boosting' | 'forest' | 'logistic';

const registered: { uses: readonly KernelUse[]; compile: () => unknown }[] = [];

/**
 * Compiles a module on first use and keeps it: the module, or null where the host has no
 * WebAssembly (or not the SIMD the module uses) or refuses to compile it (a content security
 * policy); callers then take their JS twins. `uses`: what `precompile` compiles it for.
 */
export function compileOnce(bytes: () => Uint8Array<ArrayBuffer>, uses: readonly KernelUse[] = []): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  const compile = (): WebAssembly.Module | null => {
    if (compiled !== undefined) return compiled;
    compiled = null;
    try {
      const code = bytes();
      if (typeof WebAssembly === 'object' && WebAssembly.validate(code)) compiled = new WebAssembly.Module(code);
    } catch {
      compiled = null;
    }
    return compiled;
  };
  registered.push({ uses, compile });
  return compile;
}

/**
 * Compiles now the modules (of those imported) that serve `use`, so that a training's first call
 * does not: for a thread that would otherwise wait, such as the CLI's while its files load, or a
 * helper thread as it starts.
 */
export function precompile(...uses: KernelUse[]): void {
  for (const module of registered) if (module.uses.some((u) => uses.includes(u))) module.compile();
}
