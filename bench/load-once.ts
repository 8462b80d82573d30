/**
 * One load in a fresh process, for the benchmark: prints JSON with the load's seconds, the Arrow
 * table's bytes, and memory (resident set before and at peak, from /proc/self/status).
 * Usage: tsx bench/load-once.ts FILE
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { openAsBlob } from 'node:fs';
import { blobSource } from '../src/core/io/blob-source.ts';
import { loadTable } from '../src/core/io/load.ts';
import { nodeGunzip } from '../src/workers/node-gunzip.ts';

const status = (key: string): number => Number(/(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(key)) ?? '')?.[1] ?? 0) * 1024;

const path = process.argv[2]!;
const blob = await openAsBlob(path);
const rssBefore = status('VmRSS:');
const t0 = performance.now();
const { report } = await loadTable(blobSource(blob, basename(path)), { gunzip: nodeGunzip });
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ seconds, rows: report.rows, arrowBytes: report.arrowBytes, rssBefore, rssPeak: status('VmHWM:') }) + '\n');
