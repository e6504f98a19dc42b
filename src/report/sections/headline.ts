import { html, type SafeHtml } from '../escape.js';
import { dollars, int, pct } from '../format.js';
import type { ReportData } from '../types.js';

const SOURCE_COLORS: Record<string, string> = {
  seed: '#7c3aed',
  pool: '#2563eb',
  generated: '#059669',
  human: '#d97706',
};

function card(label: string, value: string, note?: string): SafeHtml {
  return html`<div class="card"><div class="card-label">${label}</div><div class="card-value">${value}</div>${note ? html`<div class="card-note">${note}</div>` : ''}</div>`;
}

/** Training rows by source as one stacked bar: the mix matters more than the exact counts. */
export function sourceBar(bySource: Record<string, number>): SafeHtml {
  const entries = Object.entries(bySource).filter(([, n]) => n > 0);
  const total = entries.reduce((a, [, n]) => a + n, 0);
  if (total === 0) return html`<p class="muted">No training rows.</p>`;
  const segments = entries.map(
    ([source, n]) =>
      html`<span class="seg" style="width:${((n / total) * 100).toFixed(2)}%;background:${SOURCE_COLORS[source] ?? '#64748b'}" title="${source}: ${int(n)}"></span>`,
  );
  const legend = entries.map(
    ([source, n]) =>
      html`<span class="key"><i style="background:${SOURCE_COLORS[source] ?? '#64748b'}"></i>${source} <strong>${int(n)}</strong> (${pct(n / total, 0)})</span>`,
  );
  return html`<div class="stack">${segments}</div><div class="stack-legend">${legend}</div>`;
}

/** Rows reviewers labeled in the studio: trained on instead of the teacher's answers, not paid for. */
function humanNote(data: ReportData): string {
  const h = data.summary.human;
  if (!h || h.rows + h.unusable === 0) return '';
  return `; ${int(h.rows)} labeled by reviewers (not paid for)${h.unusable > 0 ? `, ${int(h.unusable)} marked unusable` : ''}`;
}

export function headline(data: ReportData): SafeHtml {
  const f = data.summary.final;
  const l = data.ledger;
  const multi = f.microF1 !== undefined;
  const trainTotal = Object.values(data.training.bySource).reduce((a, b) => a + b, 0);
  return html`<section id="headline">
  <h2>Headline</h2>
  <div class="cards">
    ${card('Accuracy', pct(f.accuracy), `${f.split} set, n = ${int(f.n)}${multi ? ', exact match' : ''}`)}
    ${multi ? card('Micro-F1', pct(f.microF1), `macro-F1 ${pct(f.macroF1)}`) : card('Macro-F1', pct(f.macroF1), `${f.labels.length} labels`)}
    ${card('Teacher answers', int(l.answers), `${int(l.httpRequests)} HTTP requests`)}
    ${card('Cache hits', int(l.cacheHits), `of ${int(l.calls)} teacher calls`)}
    ${card('Dollars paid', dollars(l.dollars), `${dollars(l.dollarsUsed)} used (without cache)`)}
    ${card('Training rows', int(trainTotal), `${int(data.summary.teacher.rejected)} teacher answers rejected${humanNote(data)}`)}
  </div>
  <h3>Training rows by source</h3>
  ${sourceBar(data.training.bySource)}
</section>`;
}
