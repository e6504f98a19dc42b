import { lineChart, type Series } from '../../report/charts/svg-line-chart.js';
import type { CurvePoint } from './api.js';
import { type Metric, metricName } from './kind.js';

/** The report's own SVG line chart (escaped by its html template), dropped into a container. */
const PALETTE = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];

export function curveChart(
  runs: { name: string; curve: CurvePoint[] }[],
  x: 'answers' | 'dollars',
  title: string,
  metric: Metric = 'accuracy',
): HTMLElement {
  const series: Series[] = runs.map((r, i) => ({
    name: r.name,
    color: PALETTE[i % PALETTE.length],
    points: r.curve.flatMap((p) => {
      const y = p[metric];
      return y === undefined ? [] : [{ x: p[x], y }];
    }),
  }));
  const box = document.createElement('figure');
  box.className = 'chart-box';
  box.setAttribute('data-chart', x);
  box.setAttribute('data-metric', metric);
  box.innerHTML = lineChart({
    title,
    series,
    xLabel: x === 'answers' ? 'teacher answers (cumulative)' : 'dollars (cumulative)',
    yLabel: metricName(metric),
    xFormat: (v) => (x === 'answers' ? Math.round(v).toLocaleString('en-US') : `$${v.toFixed(v < 1 ? 3 : 2)}`),
    yFormat: (v) => `${Math.round(v * 100)}%`,
    yClamp: [0, 1],
    legend: runs.length === 1,
  }).value;
  if (runs.length > 1) {
    const key = document.createElement('figcaption');
    runs.forEach((r, i) => {
      const item = document.createElement('span');
      item.className = 'key';
      item.style.setProperty('--c', PALETTE[i % PALETTE.length]);
      item.textContent = r.name;
      key.append(item);
    });
    box.append(key);
  }
  return box;
}
