import { useMemo } from 'react';
import type { LossPoint, TrainUpdate } from '../client/train-client.ts';
import { Plot } from './plot.tsx';

/** Training and validation loss per round / tree / iteration (plotly, loaded on first use). */
export function LossCurve({ points, unit, testId }: { points: LossPoint[]; unit: TrainUpdate['unit']; testId?: string }) {
  const figure = useMemo(() => {
    const line = (key: 'trainLoss' | 'validationLoss', name: string, color: string) => {
      const shown = points.filter((p) => p[key] !== undefined && Number.isFinite(p[key]));
      return { type: 'scatter', mode: 'lines', name, x: shown.map((p) => p.done), y: shown.map((p) => p[key]), line: { color, width: 2 } };
    };
    const data = [line('trainLoss', unit === 'iteration' ? 'objective' : 'train', '#3b6ea8'), line('validationLoss', 'validation', '#a8443b')].filter((t) => t.x.length > 0);
    return {
      data,
      layout: {
        height: 220,
        margin: { t: 12, r: 12, b: 40, l: 56 },
        xaxis: { title: { text: `${unit}s` } },
        yaxis: { title: { text: unit === 'iteration' ? 'objective' : 'log loss' } },
        legend: { orientation: 'h', y: 1.12 },
      },
    };
  }, [points, unit]);
  if (figure.data.length === 0) return null;
  return <Plot data={figure.data} layout={figure.layout} testId={testId} />;
}
