import { html, truncate, type SafeHtml } from '../escape.js';
import { int, pct } from '../format.js';
import type { ReportData } from '../types.js';

/** Up to this many labels the whole matrix is shown; beyond it, only the most confused ones. */
export const FULL_MATRIX_MAX = 15;
export const TOP_CONFUSED = 12;

/**
 * Labels to show when the whole matrix is too big: both ends of the most confused pairs, biggest
 * pair first, so a pair's two labels sit next to each other and the shown cells hold as many of
 * the errors as possible. A 77×77 table is unreadable; the confusions are what the reader came for.
 */
export function mostConfused(confusion: number[][], limit: number): number[] {
  const k = confusion.length;
  const pairs: [number, number, number][] = [];
  for (let g = 0; g < k; g++)
    for (let p = 0; p < k; p++) if (g !== p && confusion[g][p] > 0) pairs.push([confusion[g][p], g, p]);
  pairs.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
  const chosen = new Set<number>();
  for (const [, g, p] of pairs) {
    if (chosen.size >= limit) break;
    chosen.add(g);
    if (chosen.size < limit) chosen.add(p);
  }
  // Too few confusions to fill the table: pad with the labels that have the most support.
  const support = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const rest = [...support.keys()].filter((i) => !chosen.has(i)).sort((a, b) => support[b] - support[a] || a - b);
  return [...chosen, ...rest].slice(0, limit);
}

function offDiagonal(confusion: number[][], among: number[]): number {
  let n = 0;
  for (const g of among) for (const p of among) if (g !== p) n += confusion[g][p];
  return n;
}

function cell(count: number, rowTotal: number, diagonal: boolean): SafeHtml {
  if (count === 0) return html`<td class="cm zero">·</td>`;
  const share = rowTotal > 0 ? count / rowTotal : 0;
  // sqrt so that a 5% confusion is still visibly tinted next to a 90% diagonal.
  const alpha = Math.min(1, 0.12 + Math.sqrt(share) * 0.88);
  const rgb = diagonal ? '37,99,235' : '220,38,38';
  const ink = alpha > 0.6 ? '#fff' : '#111';
  return html`<td class="cm" style="background:rgba(${rgb},${alpha.toFixed(2)});color:${ink}" title="${int(count)} (${pct(share)} of row)">${int(count)}</td>`;
}

export function confusionMatrix(data: ReportData): SafeHtml {
  const f = data.summary.final;
  const m = f.confusion;
  if (!m || m.length === 0) {
    return html`<section id="confusion"><h2>Confusion matrix</h2><p class="muted">Not applicable: ${f.microF1 !== undefined ? 'a multi-label task has no single confusion matrix; see the per-label table.' : 'no confusion counts were recorded.'}</p></section>`;
  }
  const k = m.length;
  const truncated = k > FULL_MATRIX_MAX;
  const shown = truncated ? mostConfused(m, TOP_CONFUSED) : [...m.keys()];
  const totalErrors = offDiagonal(m, [...m.keys()]);
  const note = truncated
    ? html`<p class="note" id="matrix-truncated">Showing the ${shown.length} of ${k} labels most involved in confusions; they account for ${pct(totalErrors > 0 ? offDiagonal(m, shown) / totalErrors : 0)} of the errors among all labels. Errors with labels not shown are left out of this table.</p>`
    : '';
  const name = (i: number) => f.labels[i] ?? `#${i}`;
  const heads = shown.map((p) => html`<th class="col" title="${name(p)}"><span>${truncate(name(p), 22)}</span></th>`);
  const rows = shown.map((g) => {
    const rowTotal = m[g].reduce((a, b) => a + b, 0);
    return html`<tr><th class="row" title="${name(g)}">${truncate(name(g), 28)}</th>${shown.map((p) => cell(m[g][p], rowTotal, g === p))}<td class="num muted">${int(rowTotal)}</td></tr>`;
  });
  return html`<section id="confusion">
  <h2>Confusion matrix</h2>
  <p class="muted">Rows: gold label; columns: predicted label (${f.split} set). Blue: correct; red: confused. Shade is the share of the row.</p>
  ${note}
  <div class="scroll"><table class="matrix">
    <thead><tr><th class="corner">gold \\ predicted</th>${heads}<th class="col"><span>n</span></th></tr></thead>
    <tbody>${rows}</tbody>
  </table></div>
</section>`;
}
