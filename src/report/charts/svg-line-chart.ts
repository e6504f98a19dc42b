import { html, raw, type SafeHtml } from '../escape.js';
import { niceDomain, niceTicks } from './ticks.js';

export interface Point {
  x: number;
  y: number;
}

export interface Series {
  name: string;
  color: string;
  points: Point[];
  dashed?: boolean;
}

export interface LineChartOptions {
  title: string;
  series: Series[];
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  xFormat?: (x: number) => string;
  yFormat?: (y: number) => string;
  /** Fixed y range; default: fitted to the data. */
  yDomain?: [number, number];
  /** Keep y inside these bounds when fitting (e.g. [0, 1] for scores). */
  yClamp?: [number, number];
  /** Draw the series names above the plot (default). Off for long names, which would overflow: give an HTML key instead. */
  legend?: boolean;
}

const M = { left: 56, right: 18, top: 40, bottom: 46 };

/** A static line chart as inline SVG: no script, readable offline, with native hover titles on points. */
export function lineChart(o: LineChartOptions): SafeHtml {
  const width = o.width ?? 520;
  const height = o.height ?? 300;
  const fx = o.xFormat ?? String;
  const fy = o.yFormat ?? String;
  const all = o.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => p.y);
  const [x0, x1] = niceDomain(Math.min(0, ...xs), Math.max(0, ...xs));
  const yMin = Math.min(...ys, Infinity);
  const yMax = Math.max(...ys, -Infinity);
  // A little headroom so the extreme points do not sit on the frame.
  const pad = (yMax - yMin) * 0.08;
  let [y0, y1] = o.yDomain ?? niceDomain(yMin - pad, yMax + pad);
  if (!Number.isFinite(y0) || !Number.isFinite(y1)) [y0, y1] = [0, 1];
  if (o.yClamp) [y0, y1] = [Math.max(o.yClamp[0], y0), Math.min(o.yClamp[1], y1)];
  const pw = width - M.left - M.right;
  const ph = height - M.top - M.bottom;
  const sx = (x: number) => M.left + ((x - x0) / (x1 - x0 || 1)) * pw;
  const sy = (y: number) => M.top + ph - ((y - y0) / (y1 - y0 || 1)) * ph;
  const r = (n: number) => n.toFixed(1);

  const xTicks = niceTicks(x0, x1, 5).map(
    (t) => html`
    <line x1="${r(sx(t))}" x2="${r(sx(t))}" y1="${M.top}" y2="${M.top + ph}" class="grid"/>
    <text x="${r(sx(t))}" y="${M.top + ph + 16}" text-anchor="middle" class="tick">${fx(t)}</text>`,
  );
  const yTicks = niceTicks(y0, y1, 5).map(
    (t) => html`
    <line x1="${M.left}" x2="${M.left + pw}" y1="${r(sy(t))}" y2="${r(sy(t))}" class="grid"/>
    <text x="${M.left - 6}" y="${r(sy(t) + 4)}" text-anchor="end" class="tick">${fy(t)}</text>`,
  );

  const lines = o.series.map((s) => {
    const pts = s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)).sort((a, b) => a.x - b.x);
    const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${r(sx(p.x))},${r(sy(p.y))}`).join(' ');
    const dots = pts.map(
      (p) =>
        html`<circle cx="${r(sx(p.x))}" cy="${r(sy(p.y))}" r="3.5" fill="${s.color}"><title>${s.name}: ${fy(p.y)} at ${fx(p.x)}</title></circle>`,
    );
    return html`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2.2"${raw(s.dashed ? ' stroke-dasharray="6 4"' : '')}/>${dots}`;
  });

  let lx = M.left;
  const legend =
    o.legend === false
      ? []
      : o.series.map((s) => {
          const item = html`<g transform="translate(${r(lx)},${M.top - 14})"><rect width="14" height="4" y="-4" fill="${s.color}"/><text x="19" y="0" class="legend">${s.name}</text></g>`;
          lx += 34 + s.name.length * 6.6;
          return item;
        });

  return html`<svg class="chart" role="img" aria-label="${o.title}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">
  <title>${o.title}</title>
  ${xTicks}${yTicks}
  <rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" class="frame"/>
  ${lines}
  ${legend}
  <text x="${r(M.left + pw / 2)}" y="${height - 8}" text-anchor="middle" class="axis">${o.xLabel}</text>
  <text transform="translate(14,${r(M.top + ph / 2)}) rotate(-90)" text-anchor="middle" class="axis">${o.yLabel}</text>
</svg>`;
}
