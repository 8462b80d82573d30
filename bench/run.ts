/**
 * `npm run bench`: our load speed and memory beside peers measured in the same run, on KDD Cup 99
 * 10 % (494,021 rows × 42) as CSV.gz (no header) and as Parquet.
 * - ours: loadTable (src/core/io/load.ts) on nodeFileSource (as the CLI's data worker) with Node's zlib, 3 loads in one fresh process; the
 *   median is reported, and the first (cold: wasm compile and JIT warm-up) beside it. The timing
 *   process and its Parquet helper run bundled, as the CLI does (bench/out/load-bundle/);
 * - pandas read_csv (Debian's python3-pandas, which has no Parquet engine): median of 3;
 * - Polars (nodejs-polars): median of 3;
 * - memory: one load in another fresh process, high-water mark of its resident set minus the
 *   resident set before the load, against the Arrow table's bytes.
 * Prints a table and writes bench/out/load.json. Benchmarks are not tests: nothing here fails.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

const here = (p: string) => new URL(p, import.meta.url).pathname;
const DATA = here('../../shared/datasets/kdd99/');
const ROWS = 494_021;
const REPEAT = 3;
const GOALS = { oursOverPandas: 1.0, oursOverPolars: 1.5, peakOverArrow: 3 };
const sets = [
  { format: 'csv.gz', path: `${DATA}kddcup.data_10_percent.gz`, polars: 'csv', pandas: true },
  { format: 'parquet', path: `${DATA}kddcup-10pct.parquet`, polars: 'parquet', pandas: false },
] as const;

interface Run { seconds: number[]; rows: number; arrowBytes?: number; rssBefore?: number; rssPeak?: number }

const run = (cmd: string, args: string[]): Run => {
  const out = execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop()!) as Run;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const checked = (who: string, r: Run): Run => {
  if (r.rows !== ROWS) throw new Error(`${who} read ${r.rows} rows, not ${ROWS}`);
  return r;
};
// Ours runs as the CLI does: bundled (scripts/build-cli.mjs) with the CLI's workers, so the helper
// threads and the timing process run plain JavaScript, not the sources through tsx.
const BUNDLE = here('./out/load-bundle/');
execFileSync(process.execPath, [here('../scripts/build-cli.mjs'), BUNDLE, `load-once=${here('./load-once.ts')}`], { stdio: 'inherit' });
const loadOnce = `${BUNDLE}load-once.mjs`;

const results = sets.map((set) => {
  const ours = checked('ours', run(process.execPath, [loadOnce, set.path, String(REPEAT)]));
  const memory = checked('ours', run(process.execPath, [loadOnce, set.path, '1']));
  const polars = checked('polars', run('node', [here('./polars-load.mjs'), set.path, set.polars, String(REPEAT)]));
  const pandas = set.pandas && existsSync('/usr/bin/python3') ? checked('pandas', run('/usr/bin/python3', [here('./peers-load.py'), set.path, String(REPEAT)])) : null;
  const oursS = median(ours.seconds);
  const polarsS = median(polars.seconds);
  const pandasS = pandas ? median(pandas.seconds) : null;
  const peak = memory.rssPeak! - memory.rssBefore!;
  return {
    format: set.format,
    rows: ours.rows,
    ours: oursS,
    oursCold: ours.seconds[0]!,
    oursRuns: ours.seconds,
    pandas: pandasS,
    pandasRuns: pandas?.seconds ?? null,
    polars: polarsS,
    polarsRuns: polars.seconds,
    oursOverPandas: pandasS ? oursS / pandasS : null,
    oursOverPolars: oursS / polarsS,
    arrowBytes: memory.arrowBytes!,
    peakBytes: peak,
    peakOverArrow: peak / memory.arrowBytes!,
  };
});

const f = (x: number | null, d = 2) => (x === null ? '—' : x.toFixed(d));
const mark = (x: number | null, goal: number) => (x === null ? ' ' : x <= goal ? '✓' : '✗');
console.log(`Load: KDD Cup 99 10 % (${ROWS.toLocaleString('en')} rows × 42), seconds, median of ${REPEAT} (ours in one fresh process; cold = its first load)`);
console.log('timed, for every reader: from the file on disk to a table in memory, in the timing process (no process or worker start-up):');
console.log('  ours    loadTable(nodeFileSource(file)) as the CLI\'s data worker, bundled as the CLI is: reads the file, gunzips (zlib thread) or decodes Parquet (our TypeScript decoder; parquet-wasm for what it does not cover), parses, builds the Arrow table');
console.log('          Parquet columns are shared with a helper thread started before the loads, as the app\'s data worker starts it (LoadOptions.parquetHelper)');
console.log('  polars  readCSV(readFileSync(file), { hasHeader: false }) / readParquet(file)   pandas  read_csv(file, header=None)');
console.log(`goals: ours/pandas ≤ ${GOALS.oursOverPandas}, ours/polars ≤ ${GOALS.oursOverPolars}, peak memory ≤ ${GOALS.peakOverArrow}× the Arrow table`);
console.log('format    ours s  (cold)  pandas s  polars s  ours/pandas  ours/polars  Arrow MB  peak MB  peak/Arrow');
for (const r of results) {
  console.log(
    [
      r.format.padEnd(8),
      f(r.ours).padStart(6),
      `(${f(r.oursCold)})`.padStart(7),
      f(r.pandas).padStart(8),
      f(r.polars).padStart(8),
      `${f(r.oursOverPandas)} ${mark(r.oursOverPandas, GOALS.oursOverPandas)}`.padStart(11),
      `${f(r.oursOverPolars)} ${mark(r.oursOverPolars, GOALS.oursOverPolars)}`.padStart(11),
      f(r.arrowBytes / 2 ** 20, 0).padStart(8),
      f(r.peakBytes / 2 ** 20, 0).padStart(7),
      `${f(r.peakOverArrow)} ${mark(r.peakOverArrow, GOALS.peakOverArrow)}`.padStart(10),
    ].join('  '),
  );
}
mkdirSync(here('./out/'), { recursive: true });
writeFileSync(here('./out/load.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, goals: GOALS, results }, null, 2) + '\n');
console.log('written: bench/out/load.json');
