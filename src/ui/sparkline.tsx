import type { ColumnProfile } from '../client/data-client.ts';

const W = 84;
const H = 20;

/** A tiny inline histogram, or top-value bars for categories: plain SVG, cheap enough for 100 rows a page. */
export function Sparkline({ column }: { column: ColumnProfile }) {
  const histogram = column.kind !== 'bool' && column.histogram?.counts.length ? column.histogram.counts : null;
  const counts = histogram ?? (column.top ?? []).slice(0, 12).map((t) => t.count);
  if (counts.length === 0) return null;
  const max = Math.max(...counts, 1);
  const w = W / counts.length;
  return (
    <svg className={histogram ? 'spark' : 'spark cat'} width={W} height={H} aria-hidden>
      {counts.map((c, i) => {
        const h = c > 0 ? Math.max(1, ((H - 2) * c) / max) : 0;
        return <rect key={i} x={i * w} y={H - h} width={Math.max(1, w - (histogram ? 0.5 : 1.5))} height={h} />;
      })}
    </svg>
  );
}
