#!/usr/bin/env node
// The headless entry. Runs the CLI bundle (dist-cli/, which `npm ci` builds: scripts/build-cli.mjs)
// while it is newer than every source file (bundleIsFresh), else the TypeScript sources through
// tsx, so `npx workbench` works right after `npm ci` and right after an edit; its worker threads
// run the same way (src/workers/node-worker-script.ts).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { bundleIsFresh } from './cli-bundle.mjs';

// `--device gpu` runs Dawn on Vulkan. Without the system's Vulkan loader (Debian's libvulkan1), use
// the one Chromium ships: the dynamic loader reads LD_LIBRARY_PATH only at start, hence the re-run.
const CHROMIUM_LIB = '/usr/lib/chromium';
const argv = process.argv.slice(2);
const wantsGpu = argv.some((a, i) => (a === '--device' && argv[i + 1] === 'gpu') || a === '--device=gpu');
if (wantsGpu && !process.env.WORKBENCH_VULKAN_RERUN && !hasVulkanLoader() && existsSync(`${CHROMIUM_LIB}/libvulkan.so.1`)) {
  const env = { ...process.env, WORKBENCH_VULKAN_RERUN: '1', LD_LIBRARY_PATH: [CHROMIUM_LIB, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') };
  const run = spawnSync(process.execPath, process.argv.slice(1), { stdio: 'inherit', env });
  process.exit(run.status ?? 1);
}

function hasVulkanLoader() {
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib'];
  return dirs.some((d) => existsSync(`${d}/libvulkan.so.1`));
}

// A closed pipe (`workbench … | head`) ends the output, not the program with a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const { main } = bundleIsFresh(new URL('..', import.meta.url).pathname.replace(/\/$/, '')) ? await import('../dist-cli/main.mjs') : await fromSources();
process.exitCode = await main(argv);

async function fromSources() {
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src/cli/main.ts');
}
