import { html, type SafeHtml } from '../escape.js';
import { niceDomain, niceTicks } from './ticks.js';

/** Colours told apart in print and by most colour-blind readers; series past the end reuse them. */
export const PALETTE = [
  '#2563eb',
  '#059669',
  '#d97706',
  '#7c3aed',
  '#dc2626',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#475569',
];

export function colorAt(i: number): string {
  return PALETTE[i % PALETTE.length];
}

export interface StackSeries {
  name: string;
  color: string;
  /** One value per category; missing or non-finite counts as 0. */
  values: number[];
}

export interface StackedBarsOptions {
  title: string;
  categories: string[];
  series: StackSeries[];
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  yFormat?: (y: number) => string;
}

const M = { left: 56, right: 18, top: 18, bottom: 46 };

/**
 * Vertical stacked bars as inline SVG, each segment with a hover title. The legend is left to the
 * caller as HTML: series names can be long and HTML wraps where SVG text would overflow.
 */
export function stackedBars(o: StackedBarsOptions): SafeHtml {
  const width = o.width ?? 520;
  const height = o.height ?? 280;
  const fy = o.yFormat ?? String;
  const value = (s: StackSeries, c: number) => (Number.isFinite(s.values[c]) ? Math.max(0, s.values[c]) : 0);
  const totals = o.categories.map((_, c) => o.series.reduce((a, s) => a + value(s, c), 0));
  const [, y1] = niceDomain(0, Math.max(1, ...totals));
  const pw = width - M.left - M.right;
  const ph = height - M.top - M.bottom;
  const band = pw / Math.max(1, o.categories.length);
  const barW = Math.min(56, band * 0.64);
  const sy = (y: number) => M.top + ph - (y / y1) * ph;
  const r = (n: number) => n.toFixed(1);

  const yTicks = niceTicks(0, y1, 5).map(
    (t) => html`
    <line x1="${M.left}" x2="${M.left + pw}" y1="${r(sy(t))}" y2="${r(sy(t))}" class="grid"/>
    <text x="${M.left - 6}" y="${r(sy(t) + 4)}" text-anchor="end" class="tick">${fy(t)}</text>`,
  );
  const bars = o.categories.map((cat, c) => {
    const x = M.left + band * c + (band - barW) / 2;
    let base = 0;
    const segs = o.series.map((s) => {
      const v = value(s, c);
      if (v === 0) return '';
      const seg = html`<rect x="${r(x)}" y="${r(sy(base + v))}" width="${r(barW)}" height="${r(sy(base) - sy(base + v))}" fill="${s.color}" stroke="#fff" stroke-width="1"><title>${s.name}: ${fy(v)} (${o.xLabel} ${cat})</title></rect>`;
      base += v;
      return seg;
    });
    return html`${segs}
    <text x="${r(x + barW / 2)}" y="${M.top + ph + 16}" text-anchor="middle" class="tick">${cat}</text>`;
  });

  return html`<svg class="chart" role="img" aria-label="${o.title}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">
  <title>${o.title}</title>
  ${yTicks}
  <rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" class="frame"/>
  ${bars}
  <text x="${r(M.left + pw / 2)}" y="${height - 8}" text-anchor="middle" class="axis">${o.xLabel}</text>
  <text transform="translate(14,${r(M.top + ph / 2)}) rotate(-90)" text-anchor="middle" class="axis">${o.yLabel}</text>
</svg>`;
}

/** An HTML key for charts whose legend is kept out of the SVG. */
export function legendKey(items: readonly { name: string; color: string; note?: string }[]): SafeHtml {
  return html`<div class="stack-legend chart-key">${items.map((i) => html`<span class="key"><i style="background:${i.color}"></i>${i.name}${i.note ? html` <span class="muted">${i.note}</span>` : ''}</span>`)}</div>`;
}
