import { html, type SafeHtml } from '../escape.js';
import { fixed, int } from '../format.js';
import type { ReportData } from '../types.js';

function bar(f1: number): SafeHtml {
  const w = Number.isFinite(f1) ? Math.max(0, Math.min(1, f1)) * 100 : 0;
  const color = f1 < 0.5 ? '#dc2626' : f1 < 0.8 ? '#d97706' : '#059669';
  return html`<span class="bar"><span style="width:${w.toFixed(1)}%;background:${color}"></span></span>`;
}

/** Worst first: the labels that need more teacher attention are what the reader acts on. */
export function perLabelTable(data: ReportData): SafeHtml {
  const rows = [...data.summary.final.perLabel].sort(
    (a, b) => a.f1 - b.f1 || b.support - a.support || a.label.localeCompare(b.label),
  );
  const body = rows.map(
    (r) => html`<tr>
    <td>${r.label}</td><td class="num">${fixed(r.precision)}</td><td class="num">${fixed(r.recall)}</td>
    <td class="num">${fixed(r.f1)} ${bar(r.f1)}</td><td class="num">${int(r.support)}</td></tr>`,
  );
  return html`<section id="per-label">
  <h2>Per-label scores</h2>
  <p class="muted">${data.summary.final.split} set, sorted worst F1 first.</p>
  <div class="scroll tall"><table class="data">
    <thead><tr><th>label</th><th class="num">precision</th><th class="num">recall</th><th class="num">F1</th><th class="num">support</th></tr></thead>
    <tbody>${body}</tbody>
  </table></div>
</section>`;
}
