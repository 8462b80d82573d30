import { readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Plugin } from 'vite';

/**
 * Writes dist/precache.json: every file of the built site (app, workers, wasm, plotly, example
 * data), which the service worker caches on install so the first visit already works offline.
 */
export function precache(): Plugin {
  let outDir = 'dist';
  return {
    name: 'workbench-precache',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const files: string[] = [];
      const walk = (dir: string) => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const path = join(dir, entry.name);
          if (entry.isDirectory()) walk(path);
          else files.push(relative(outDir, path).split('\\').join('/'));
        }
      };
      walk(outDir);
      const list = ['./', ...files.filter((f) => f !== 'sw.js' && f !== 'precache.json').map((f) => `./${f}`)];
      writeFileSync(join(outDir, 'precache.json'), JSON.stringify(list));
    },
  };
}
