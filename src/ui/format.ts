/** Display helpers shared by the panels. */
export const count = (n: number): string => n.toLocaleString('en-US');

/** "1 row", "2 rows": a count with its noun. */
export const plural = (n: number, noun: string, nouns = `${noun}s`): string => `${count(n)} ${n === 1 ? noun : nouns}`;

export function bytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

/** A number with thousands separators and a few decimals; exponents only when tiny or huge. */
export function num(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return count(v);
  const a = Math.abs(v);
  if (a >= 1e12 || (a < 1e-3 && a > 0)) return v.toExponential(2);
  if (a >= 100) return v.toLocaleString('en-US', { maximumFractionDigits: 1 });
  if (a >= 1) return v.toLocaleString('en-US', { maximumFractionDigits: 3 });
  return v.toLocaleString('en-US', { maximumSignificantDigits: 3 });
}

/** A timestamp (epoch ms) to the second, in UTC. */
export const time = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 19).replace('T', ' ') : '–');

/** A timestamp to the minute, for narrow table cells. */
export const shortTime = (ms: number): string => time(ms).slice(0, 16);

/** A share of a whole, as a short percentage ("0.4 %", "63 %"). */
export function percent(part: number, whole: number): string {
  if (whole <= 0 || part <= 0) return '';
  const p = (100 * part) / whole;
  return `${p < 1 ? p.toFixed(1) : Math.round(p)} %`;
}
