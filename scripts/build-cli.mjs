// Bundles the headless CLI and its worker threads into dist-cli/ (npm's `prepare` runs it, so a
// fresh clone has it after `npm ci`): plain JavaScript starts several times faster than the
// TypeScript sources through tsx, in the CLI's thread and in every worker thread it starts.
// bin/workbench.mjs runs the bundle only while it is newer than every source file (bin/cli-bundle.mjs).
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
// Usage: node scripts/build-cli.mjs [OUT_DIR [NAME=ENTRY ...]] (default dist-cli/, where
// bin/workbench.mjs looks); extra entries are bundled beside the CLI's, sharing its chunks and
// workers (the load benchmark's timing process: bench/run.ts).
const out = process.argv[2] ?? `${root}dist-cli`;
const extra = Object.fromEntries(process.argv.slice(3).map((arg) => arg.split('=')));
const workers = ['data', 'forest', 'parquet', 'round'];

/**
 * Packages bundled in: plain JavaScript that every thread imports (Arrow alone is ~160 modules,
 * which each thread would otherwise resolve and compile: `--help` took 0.30 s against 0.14 s).
 * Every other package loads from node_modules as usual, so their .wasm and native files stay
 * where they are (parquet-wasm, webgpu) and a dependency added later works unbundled.
 */
const INLINE = new Set(['apache-arrow', 'arrow-js-ffi', 'comlink', 'flatbuffers', 'tslib']);

/** An esbuild plugin: bare imports of packages outside `inline` stay imports. */
function inlineOnly(inline) {
  return {
    name: 'inline-only',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (args.path.startsWith('node:')) return { path: args.path, external: true };
        const [scope, name] = args.path.split('/');
        return inline.has(scope.startsWith('@') ? `${scope}/${name}` : scope) ? undefined : { path: args.path, external: true };
      });
    },
  };
}

const start = Date.now();
rmSync(out, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/main.ts', ...extra, ...Object.fromEntries(workers.map((w) => [`${w}.node-worker`, `src/workers/${w}.node-worker.ts`])) },
  outdir: out,
  bundle: true,
  // Shared code in chunks beside the entries (src/workers/node-worker-script.ts finds the workers next to itself).
  splitting: true,
  chunkNames: 'chunk-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [inlineOnly(INLINE)],
  outExtension: { '.js': '.mjs' },
  sourcemap: 'linked',
  logLevel: 'warning',
});
// The build's start: a source saved during the build makes the bundle stale.
writeFileSync(`${out}/built`, `${start}\n`);
