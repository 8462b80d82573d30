/**
 * `npm run bench`: load speed and memory against peers measured in the same run.
 * KDD Cup 99 10 % (494,021 rows) as CSV.gz and as Parquet: ours (a fresh process per run, median
 * of 3), pandas read_csv (Debian's python3-pandas; it has no Parquet engine there) and Polars
 * (nodejs-polars). Prints a table and writes bench/out/load.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

const DATA = new URL('../../shared/datasets/kdd99/', import.meta.url).pathname;
const REPEAT = 3;
const sets = [
  { format: 'csv.gz', path: `${DATA}kddcup.data_10_percent.gz`, polars: 'csv', pandas: true },
  { format: 'parquet', path: `${DATA}kddcup-10pct.parquet`, polars: 'parquet', pandas: false },
];

const json = (cmd: string, args: string[]) => JSON.parse(execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 }).trim().split('\n').pop()!) as Record<string, number>;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const tsx = new URL('../node_modules/.bin/tsx', import.meta.url).pathname;

const results = [];
for (const set of sets) {
  const ours = Array.from({ length: REPEAT }, () => json(tsx, [new URL('./load-once.ts', import.meta.url).pathname, set.path]));
  const oursS = median(ours.map((o) => o.seconds!));
  const peak = Math.max(...ours.map((o) => o.rssPeak! - o.rssBefore!));
  const arrow = ours[0]!.arrowBytes!;
  const polars = json('node', [new URL('./polars-load.mjs', import.meta.url).pathname, set.path, set.polars, String(REPEAT)]).seconds!;
  const pandas = set.pandas && existsSync('/usr/bin/python3') ? json('/usr/bin/python3', [new URL('./peers-load.py', import.meta.url).pathname, set.path, String(REPEAT)]).seconds! : null;
  results.push({ format: set.format, rows: ours[0]!.rows, ours: oursS, pandas, polars, oursOverPandas: pandas ? oursS / pandas : null, oursOverPolars: oursS / polars, peakMemoryOverArrow: peak / arrow, arrowMB: arrow / 2 ** 20, peakMB: peak / 2 ** 20 });
}

const f = (x: number | null, d = 2) => (x === null ? '—' : x.toFixed(d));
console.log('Load: KDD Cup 99 10 % (494,021 rows × 42), median of 3; goals ours/pandas ≤ 1.0, ours/Polars ≤ 1.5, peak memory ≤ 3× Arrow');
console.log('format    ours s  pandas s  polars s  ours/pandas  ours/polars  Arrow MB  peak MB  peak/Arrow');
for (const r of results) {
  console.log(
    `${r.format.padEnd(8)}  ${f(r.ours).padStart(6)}  ${f(r.pandas).padStart(8)}  ${f(r.polars).padStart(8)}  ${f(r.oursOverPandas).padStart(11)}  ${f(r.oursOverPolars).padStart(11)}  ${f(r.arrowMB, 0).padStart(8)}  ${f(r.peakMB, 0).padStart(7)}  ${f(r.peakMemoryOverArrow).padStart(10)}`,
  );
}
mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
writeFileSync(new URL('./out/load.json', import.meta.url), JSON.stringify(results, null, 2));
