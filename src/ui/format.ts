/** Display helpers shared by the panels. */
export const count = (n: number): string => n.toLocaleString('en-US');

export function bytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MB`;
  return `${(n / 1024).toFixed(1)} KB`;
}

export function num(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return count(v);
  return Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3 ? v.toExponential(3) : v.toFixed(3);
}

export const time = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString().replace('.000Z', 'Z') : '–');
