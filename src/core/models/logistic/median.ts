/**
 * The median of the values (the mean of the two middle ones for an even count, as numpy), by
 * quickselect: O(n) rather than a sort. Reorders `values` in place.
 */
export function median(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return NaN;
  const hi = select(values, n >> 1);
  if (n % 2 === 1) return hi;
  // After selecting index n/2, everything before it is ≤ it: the lower middle is their maximum.
  let lo = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (values[i]! > lo) lo = values[i]!;
  return (lo + hi) / 2;
}

/** The k-th smallest value (0-based); leaves smaller values before index k and larger after. */
function select(a: Float64Array, k: number): number {
  let left = 0;
  let right = a.length - 1;
  while (right > left) {
    // Median of three as the pivot: sorted or constant runs stay O(n).
    const mid = (left + right) >> 1;
    const pivot = medianOf3(a[left]!, a[mid]!, a[right]!);
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k]!;
  }
  return a[k]!;
}

const medianOf3 = (a: number, b: number, c: number): number => Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
