/** Minimal inline SVG charts: the report must open offline, with no script and no library. */

export const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface Series {
  name: string;
  color: string;
  values: (number | null)[];
}

const W = 760;
const H = 300;
const M = { top: 20, right: 16, bottom: 56, left: 64 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

interface Axis {
  y(v: number): number;
  ticks: { v: number; label: string }[];
}

function linearAxis(min: number, max: number, fmt: (v: number) => string): Axis {
  const span = max - min || 1;
  const step = niceStep(span / 5);
  const ticks = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) ticks.push({ v, label: fmt(v) });
  return { y: (v) => M.top + PH * (1 - (v - min) / span), ticks };
}

function logAxis(min: number, max: number, fmt: (v: number) => string): Axis {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const span = hi - lo || 1;
  const ticks = [];
  for (let e = lo; e <= hi; e++) ticks.push({ v: 10 ** e, label: fmt(10 ** e) });
  return { y: (v) => M.top + PH * (1 - (Math.log10(v) - lo) / span), ticks };
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

function frame(
  axis: Axis,
  yLabel: string,
  body: string,
  legend: { name: string; color: string; dashed?: boolean }[],
): string {
  const grid = axis.ticks
    .map(
      (t) =>
        `<line x1="${M.left}" x2="${W - M.right}" y1="${axis.y(t.v)}" y2="${axis.y(t.v)}" stroke="#e5e5e5"/><text x="${M.left - 6}" y="${axis.y(t.v) + 4}" text-anchor="end" font-size="11">${esc(t.label)}</text>`,
    )
    .join('');
  const keys = legend
    .map((l, i) => {
      const x = M.left + i * 170;
      const line = `<line x1="${x}" x2="${x + 18}" y1="${H - 10}" y2="${H - 10}" stroke="${l.color}" stroke-width="6"${l.dashed ? ' stroke-dasharray="4 3"' : ''}/>`;
      return `${line}<text x="${x + 24}" y="${H - 6}" font-size="11">${esc(l.name)}</text>`;
    })
    .join('');
  const yl = `<text transform="translate(14 ${M.top + PH / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(yLabel)}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif">${grid}${yl}${body}${keys}</svg>`;
}

export interface BarOptions {
  groups: string[];
  series: Series[];
  yLabel: string;
  log?: boolean;
  /** Linear axis lower bound (accuracy charts start near the worst score, not at 0). */
  min?: number;
  max?: number;
  fmt?: (v: number) => string;
  /** A horizontal reference line, e.g. ratio = 1. */
  reference?: number;
}

export function barChart(o: BarOptions): string {
  const vals = o.series.flatMap((s) => s.values).filter((v): v is number => v !== null && (!o.log || v > 0));
  if (vals.length === 0) return '<p><em>No data.</em></p>';
  const fmt = o.fmt ?? ((v: number) => `${+v.toPrecision(3)}`);
  const all = o.reference === undefined ? vals : [...vals, o.reference];
  const axis = o.log
    ? logAxis(Math.min(...all), Math.max(...all), fmt)
    : linearAxis(o.min ?? 0, o.max ?? Math.max(...all), fmt);
  const gw = PW / o.groups.length;
  const bw = (gw * 0.8) / o.series.length;
  const base = o.log ? M.top + PH : axis.y(o.min ?? 0);
  let body = '';
  o.groups.forEach((g, gi) => {
    const gx = M.left + gi * gw;
    body += `<text x="${gx + gw / 2}" y="${M.top + PH + 16}" text-anchor="middle" font-size="11">${esc(g)}</text>`;
    o.series.forEach((s, si) => {
      const v = s.values[gi];
      if (v === null || v === undefined || (o.log && v <= 0)) return;
      const y = Math.min(base, axis.y(v));
      body += `<rect x="${gx + gw * 0.1 + si * bw}" y="${y}" width="${bw - 1}" height="${Math.max(0, base - y)}" fill="${s.color}"><title>${esc(`${s.name} · ${g}: ${fmt(v)}`)}</title></rect>`;
    });
  });
  if (o.reference !== undefined)
    body += `<line x1="${M.left}" x2="${W - M.right}" y1="${axis.y(o.reference)}" y2="${axis.y(o.reference)}" stroke="#000" stroke-dasharray="5 4"/>`;
  return frame(axis, o.yLabel, body, o.series);
}

export interface LineSeries {
  name: string;
  color: string;
  points: { x: number; y: number }[];
  dashed?: boolean;
}

export function lineChart(o: {
  series: LineSeries[];
  xLabel: string;
  yLabel: string;
  reference?: number;
  fmt?: (v: number) => string;
}): string {
  const pts = o.series.flatMap((s) => s.points);
  if (pts.length === 0) return '<p><em>No data.</em></p>';
  const fmt = o.fmt ?? ((v: number) => `${+v.toPrecision(3)}`);
  const ys = [...pts.map((p) => p.y), ...(o.reference === undefined ? [] : [o.reference])];
  const axis = linearAxis(Math.min(...ys), Math.max(...ys), fmt);
  const xMax = Math.max(...pts.map((p) => p.x)) || 1;
  const x = (v: number) => M.left + (PW * v) / xMax;
  let body = `<text x="${M.left + PW / 2}" y="${M.top + PH + 30}" text-anchor="middle" font-size="11">${esc(o.xLabel)} (0 – ${xMax})</text>`;
  for (const s of o.series) {
    const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${x(p.x).toFixed(1)} ${axis.y(p.y).toFixed(1)}`).join('');
    body += `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="4 3"' : ''}><title>${esc(s.name)}</title></path>`;
  }
  if (o.reference !== undefined)
    body += `<line x1="${M.left}" x2="${W - M.right}" y1="${axis.y(o.reference)}" y2="${axis.y(o.reference)}" stroke="#000" stroke-dasharray="5 4"><title>95% of full-data accuracy</title></line>`;
  const legend = o.series.filter((s, i, a) => a.findIndex((t) => t.name === s.name) === i);
  return frame(axis, o.yLabel, body, legend);
}
