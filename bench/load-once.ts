/**
 * Our loads of one file in this (fresh) process, for the benchmark. Prints one JSON line: the
 * seconds of each of N loads (the first is cold: wasm and JIT warm-up), rows, the Arrow table's
 * bytes, and memory from /proc/self/status: resident set just before the first load and its high
 * -water mark after the loads (run with N = 1 for the peak of one load).
 * Usage: tsx bench/load-once.ts FILE N (`npm run bench` runs its bundle: bench/run.ts)
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadTable } from '../src/core/io/load.ts';
import { nodeFileSource } from '../src/workers/node-file-source.ts';
import { nodeGunzip } from '../src/workers/node-gunzip.ts';
import { parallelParquetDecoder } from '../src/workers/parquet-pool.node.ts';

const status = (key: string): number => {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(key)) ?? '';
  return Number(/(\d+) kB/.exec(line)?.[1] ?? 0) * 1024;
};

const [path, repeat = '1'] = process.argv.slice(2);
if (!path) throw new Error('usage: tsx bench/load-once.ts FILE N');
// As the CLI's data worker opens a path (nodeFileSource).
const source = await nodeFileSource(path, basename(path));
// As the app's data worker: its Parquet helper threads are started with it, before any load.
const parquetHelper = parallelParquetDecoder();
await parquetHelper.start();
const rssBefore = status('VmRSS:');
const seconds: number[] = [];
let rows = 0;
let arrowBytes = 0;
for (let i = 0; i < Number(repeat); i++) {
  const t0 = performance.now();
  const { report } = await loadTable(source, { gunzip: nodeGunzip, parquetHelper });
  seconds.push((performance.now() - t0) / 1000);
  rows = report.rows;
  arrowBytes = report.arrowBytes;
}
process.stdout.write(JSON.stringify({ seconds, rows, arrowBytes, rssBefore, rssPeak: status('VmHWM:') }) + '\n');
await parquetHelper.close();
