// Polars (nodejs-polars) reads, timed inside this process: prints the seconds of N reads as JSON.
// CSV.gz: readCSV on the file's bytes (Polars decompresses gzip itself; a path string ending in
// .gz is taken as CSV text, giving one row). The 2 MB file read is inside the timing.
// Usage: node bench/polars-load.mjs FILE csv|parquet N
import { readFileSync } from 'node:fs';
import pl from 'nodejs-polars';

const [path, kind, repeat] = process.argv.slice(2);
const seconds = [];
let rows = 0;
for (let i = 0; i < Number(repeat); i++) {
  const t = performance.now();
  const df = kind === 'parquet' ? pl.readParquet(path) : pl.readCSV(readFileSync(path), { hasHeader: false });
  seconds.push((performance.now() - t) / 1000);
  rows = df.height;
}
console.log(JSON.stringify({ seconds, rows }));
