// Whether bin/workbench.mjs may run the CLI bundle (scripts/build-cli.mjs) rather than the sources.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';

/**
 * True when `root`/dist-cli was built (its `built` file holds the build's start, ms since the epoch)
 * after the last change to any file under `root`/src, and WORKBENCH_SOURCES is not set.
 */
export function bundleIsFresh(root, env = process.env) {
  if (env.WORKBENCH_SOURCES) return false;
  const built = `${root}/dist-cli/built`;
  if (!existsSync(built)) return false;
  const at = Number(readFileSync(built, 'utf8'));
  const src = `${root}/src/`;
  return Number.isFinite(at) && readdirSync(src, { recursive: true }).every((f) => statSync(src + f).mtimeMs <= at);
}
