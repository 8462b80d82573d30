/**
 * Area under the ROC curve of scores for a binary outcome (positive[i] = 1), by the rank-sum
 * (Mann–Whitney) formula with tied scores sharing their mean rank, as scikit-learn's
 * `roc_auc_score`. NaN when either class is absent.
 */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<number>): number {
  const n = scores.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let pos = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]!] === scores[order[start]!]) end++;
    const meanRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) {
      if (positive[order[k]!]) {
        pos++;
        rankSum += meanRank;
      }
    }
    start = end;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}
