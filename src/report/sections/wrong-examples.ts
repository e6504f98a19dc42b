import { html, truncate, type SafeHtml } from '../escape.js';
import { int, pct } from '../format.js';
import type { ReportData } from '../types.js';

export const MAX_WRONG_EXAMPLES = 50;
const MAX_TEXT_CHARS = 400;

function chips(labels: string[], kind: 'gold' | 'pred'): SafeHtml {
  if (labels.length === 0) return html`<span class="muted">(none)</span>`;
  return html`${labels.map((l) => html`<span class="chip chip-${kind}">${l}</span>`)}`;
}

export function wrongExamples(data: ReportData): SafeHtml {
  const all = data.examplesWrong;
  const shown = all.slice(0, MAX_WRONG_EXAMPLES);
  if (shown.length === 0)
    return html`<section id="wrong-examples"><h2>Examples the student gets wrong</h2><p class="muted">None: the student gets every evaluated example right.</p></section>`;
  const rows = shown.map(
    (e) => html`<tr>
    <td class="text">${truncate(e.text, MAX_TEXT_CHARS)}</td>
    <td>${chips(e.gold, 'gold')}</td><td>${chips(e.predicted, 'pred')}</td>
    <td class="num">${pct(e.confidence, 0)}</td></tr>`,
  );
  return html`<section id="wrong-examples">
  <h2>Examples the student gets wrong</h2>
  <p class="muted">${shown.length < all.length ? `First ${shown.length} of ${int(all.length)}` : `All ${shown.length}`} errors on the ${data.summary.final.split} set; texts longer than ${MAX_TEXT_CHARS} characters are cut.</p>
  <table class="data wrong">
    <thead><tr><th>input</th><th>gold</th><th>student</th><th class="num">confidence</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>
</section>`;
}
