import * as parquet from 'parquet-wasm';

export type ParquetWasm = typeof parquet;

/** Where the browser build finds parquet_wasm_bg.wasm: a URL, its bytes, or a compiled module. */
export type ParquetWasmSource = string | URL | Request | Response | BufferSource | WebAssembly.Module;

let source: ParquetWasmSource | undefined;
let ready: Promise<ParquetWasm> | null = null;

/**
 * For hosts whose bundler does not emit the .wasm next to parquet-wasm's JS (Vite does): say where
 * it is before the first Parquet load. Node needs nothing.
 */
export function setParquetWasmSource(where: ParquetWasmSource): void {
  source = where;
  ready = null;
}

/**
 * parquet-wasm, started once. Node resolves the package's "node" build, which compiles its wasm
 * synchronously on import and has no default export. Browsers and workers get the ES build, whose
 * default export fetches and instantiates the .wasm (by default from
 * `new URL('parquet_wasm_bg.wasm', import.meta.url)`, which Vite rewrites to the emitted asset).
 * Detected by that export, so core needs no platform checks and no bundler-specific imports.
 */
export function parquetWasm(): Promise<ParquetWasm> {
  ready ??= (async () => {
    const init = (parquet as unknown as { default?: unknown }).default;
    if (typeof init === 'function') {
      await (init as (options?: { module_or_path: ParquetWasmSource }) => Promise<unknown>)(
        source === undefined ? undefined : { module_or_path: source },
      );
    }
    return parquet;
  })().catch((err: unknown) => {
    ready = null; // let a later load try again (e.g. after the network came back)
    throw err;
  });
  return ready;
}
