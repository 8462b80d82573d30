import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precache } from './scripts/precache-plugin.ts';

// Cross-origin isolation lets workers share big buffers (SharedArrayBuffer) with the page.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  base: './',
  plugins: [react(), precache()],
  worker: { format: 'es' },
  // parquet-wasm finds its .wasm with new URL(…, import.meta.url); pre-bundling would break that.
  optimizeDeps: { exclude: ['parquet-wasm'] },
  server: { headers: isolation },
  preview: { headers: isolation },
  build: { target: 'es2022', chunkSizeWarningLimit: 5000 },
});
