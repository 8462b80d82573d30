import type { ColumnProfile } from '../client/data-client.ts';

/** A tiny inline histogram (or top-value bars): cheap SVG, fine for thousands of rows. */
export function Sparkline({ column }: { column: ColumnProfile }) {
  const counts = column.histogram?.counts.length ? column.histogram.counts : (column.top ?? []).slice(0, 12).map((t) => t.count);
  if (counts.length === 0) return null;
  const max = Math.max(...counts, 1);
  const w = 80 / counts.length;
  return (
    <svg className="spark" width={80} height={20} aria-hidden>
      {counts.map((c, i) => {
        const h = Math.max(c > 0 ? 1 : 0, (18 * c) / max);
        return <rect key={i} x={i * w} y={20 - h} width={Math.max(1, w - 0.5)} height={h} />;
      })}
    </svg>
  );
}
