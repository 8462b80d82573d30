import * as parquet from 'parquet-wasm';

let ready: Promise<typeof parquet> | null = null;

/**
 * parquet-wasm, initialised once. Node resolves the package's "node" build, which instantiates its
 * wasm on import; browsers get the ES build, whose default export fetches the .wasm next to it
 * (Vite emits it as an asset). Feature-detected, so core stays free of platform checks.
 */
export function parquetWasm(): Promise<typeof parquet> {
  ready ??= (async () => {
    const init = (parquet as unknown as { default?: unknown }).default;
    if (typeof init === 'function') await (init as () => Promise<unknown>)();
    return parquet;
  })();
  return ready;
}
