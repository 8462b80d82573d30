// Polars (nodejs-polars) reads: prints the median seconds of N reads as JSON. Usage: FILE csv|parquet N
import pl from 'nodejs-polars';

const [path, kind, repeat] = process.argv.slice(2);
const times = [];
let rows = 0;
for (let i = 0; i < Number(repeat); i++) {
  const t = performance.now();
  const df = kind === 'parquet' ? pl.readParquet(path) : pl.readCSV(path, { hasHeader: false });
  times.push((performance.now() - t) / 1000);
  rows = df.height;
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ seconds: times[Math.floor(times.length / 2)], rows }));
