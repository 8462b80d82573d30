import { useEffect, useRef } from 'react';

type PlotlyModule = { react: (el: HTMLElement, data: unknown[], layout: unknown, config: unknown) => Promise<unknown>; purge: (el: HTMLElement) => void };
let plotly: Promise<PlotlyModule> | null = null;

/** A plotly figure; plotly itself is loaded on first use so the first paint stays fast. */
export function Plot({ data, layout, testId }: { data: unknown[]; layout: Record<string, unknown>; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    plotly ??= import('plotly.js-cartesian-dist-min').then((m) => (m.default ?? m) as unknown as PlotlyModule);
    let live = true;
    void plotly.then((p) => {
      if (live) void p.react(el, data, { margin: { t: 30, r: 10, b: 40, l: 50 }, height: 280, ...layout }, { displaylogo: false, responsive: true });
    });
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
  return <div ref={ref} className="plot" data-testid={testId} />;
}
