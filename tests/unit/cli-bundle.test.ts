import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript next to the bin script, without types.
import { bundleIsFresh } from '../../bin/cli-bundle.mjs';
import { DATASETS } from './helpers.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const fresh = bundleIsFresh as (root: string, env?: Record<string, string | undefined>) => boolean;
const temp = mkdtempSync(join(tmpdir(), 'workbench-bundle-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** The profile document without its timings. */
function withoutSeconds(json: string): unknown {
  return JSON.parse(json, (key, value: unknown) => (key === 'seconds' ? undefined : value));
}

describe('the CLI bundle', () => {
  it('runs the same commands as the sources, worker threads included', () => {
    const out = join(temp, 'dist');
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build-cli.mjs'), out], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    // Arrow is bundled in (each thread compiles one file, not ~160 modules); parquet-wasm, whose
    // .wasm lies beside it, stays an import from node_modules.
    const code = readdirSync(out).filter((f) => f.endsWith('.mjs')).map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    expect(code).not.toMatch(/from ["']apache-arrow/);
    expect(code).toMatch(/from ["']parquet-wasm["']/);
    const args = ['profile', `${DATASETS}threat-logs/cybersecurity-threat-detection-logs-10k.csv`, '--json'];
    // The bundle's main, as bin/workbench.mjs runs it (a script file: --eval's flags would reach the worker threads).
    const runner = join(temp, 'run.mjs');
    writeFileSync(runner, `const { main } = await import(${JSON.stringify(join(out, 'main.mjs'))});\nprocess.exitCode = await main(process.argv.slice(2));\n`);
    const bundled = spawnSync(process.execPath, [runner, ...args], { encoding: 'utf8', timeout: 120_000 });
    const sources = spawnSync(process.execPath, [join(ROOT, 'bin/workbench.mjs'), ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, WORKBENCH_SOURCES: '1' } });
    expect(bundled.status, bundled.stderr).toBe(0);
    expect(sources.status, sources.stderr).toBe(0);
    const doc = withoutSeconds(bundled.stdout) as { report: { rows: number } };
    expect(doc.report.rows).toBe(10_000);
    expect(doc).toEqual(withoutSeconds(sources.stdout));
  });

  it('is used only while no source file is newer than its build, and not with WORKBENCH_SOURCES', () => {
    const root = join(temp, 'repo');
    mkdirSync(join(root, 'src/core'), { recursive: true });
    mkdirSync(join(root, 'dist-cli'), { recursive: true });
    const file = join(root, 'src/core/a.ts');
    writeFileSync(file, 'export {};\n');
    // Folders count too: a file added or removed changes its folder's time.
    for (const p of [file, join(root, 'src/core'), join(root, 'src')]) utimesSync(p, new Date(1_000_000), new Date(1_000_000));
    expect(fresh(root, {})).toBe(false); // never built
    writeFileSync(join(root, 'dist-cli/built'), '2000000\n');
    expect(fresh(root, {})).toBe(true);
    expect(fresh(root, { WORKBENCH_SOURCES: '1' })).toBe(false);
    utimesSync(file, new Date(3_000_000), new Date(3_000_000));
    expect(fresh(root, {})).toBe(false); // edited since
    writeFileSync(join(root, 'dist-cli/built'), 'garbage\n');
    expect(fresh(root, {})).toBe(false);
  });
});
