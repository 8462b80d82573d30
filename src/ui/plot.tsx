import { useEffect, useRef, useState } from 'react';

interface Plotly {
  react: (el: HTMLElement, data: unknown[], layout: unknown, config: unknown) => Promise<unknown>;
  purge: (el: HTMLElement) => void;
}

let plotly: Promise<Plotly> | null = null;

/** plotly (about 1 MB) is fetched on first use, so the first paint does not wait for it. */
function loadPlotly(): Promise<Plotly> {
  plotly ??= import('plotly.js-cartesian-dist-min').then((m) => (m.default ?? m) as Plotly);
  return plotly;
}

const BASE_LAYOUT = {
  margin: { t: 28, r: 12, b: 40, l: 56 },
  height: 280,
  font: { family: 'system-ui, sans-serif', size: 11, color: '#3c4858' },
  paper_bgcolor: 'rgba(0,0,0,0)',
  plot_bgcolor: 'rgba(0,0,0,0)',
};
const CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['select2d', 'lasso2d'] };

/** A plotly figure (data + layout as plotly takes them); no react-plotly wrapper needed. */
export function Plot({ data, layout, testId }: { data: unknown[]; layout: Record<string, unknown>; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let live = true;
    loadPlotly()
      .then((p) => (live ? p.react(el, data, { ...BASE_LAYOUT, ...layout }, CONFIG) : undefined))
      .catch((err: Error) => live && setFailed(err.message));
    return () => {
      live = false;
    };
  }, [data, layout]);
  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el) void plotly?.then((p) => p.purge(el));
    };
  }, []);
  return (
    <div className="plot-box">
      <div ref={ref} className="plot" data-testid={testId} style={{ minHeight: Number(layout.height ?? BASE_LAYOUT.height) }} />
      {failed && <p className="muted">The chart could not be drawn: {failed}</p>}
    </div>
  );
}
