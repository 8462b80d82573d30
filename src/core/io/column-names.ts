/**
 * Final column names: trimmed, blanks named column_N (1-based), duplicates suffixed _2, _3, ….
 * Originals are kept by the caller for the load report.
 */
export function uniqueNames(raw: readonly (string | null)[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  raw.forEach((name, i) => {
    const base = (name ?? '').trim() || `column_${i + 1}`;
    let candidate = base;
    for (let k = 2; seen.has(candidate); k++) candidate = `${base}_${k}`;
    seen.add(candidate);
    out.push(candidate);
  });
  return out;
}
