import type { ColumnProfile } from '../client/data-client.ts';

export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

const BLUE = '#3b6ea8';

/** A plotly figure for one column: its histogram, or its most frequent values as horizontal bars. */
export function columnFigure(column: ColumnProfile, log = false): Figure | null {
  const scale = log ? 'log' : 'linear';
  const h = column.histogram;
  if (h && h.counts.length && column.kind !== 'bool') {
    const mids = h.counts.map((_, i) => (h.edges[i]! + h.edges[i + 1]!) / 2);
    const widths = h.counts.map((_, i) => h.edges[i + 1]! - h.edges[i]!);
    const time = column.kind === 'timestamp';
    return {
      data: [
        {
          type: 'bar',
          x: time ? mids.map((m) => new Date(m).toISOString()) : mids,
          y: h.counts,
          width: time ? undefined : widths,
          marker: { color: BLUE },
          hovertemplate: '%{x}<br>%{y} rows<extra></extra>',
        },
      ],
      layout: { title: { text: 'histogram', font: { size: 13 } }, bargap: 0.03, yaxis: { title: { text: 'rows' }, type: scale } },
    };
  }
  const top = (column.top ?? []).slice(0, 20);
  if (top.length === 0) return null;
  return {
    data: [
      {
        type: 'bar',
        orientation: 'h',
        x: top.map((t) => t.count),
        y: top.map((t) => (t.value === '' ? '(empty)' : t.value)),
        marker: { color: BLUE },
        hovertemplate: '%{y}: %{x} rows<extra></extra>',
      },
    ],
    layout: {
      title: { text: `top ${top.length} values`, font: { size: 13 } },
      height: Math.max(220, 22 * top.length + 80),
      yaxis: { automargin: true, autorange: 'reversed', type: 'category' },
      xaxis: { title: { text: 'rows' }, type: scale },
    },
  };
}
