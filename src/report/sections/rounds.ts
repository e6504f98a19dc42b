import { html, type SafeHtml } from '../escape.js';
import { duration, fixed, int, pct } from '../format.js';
import type { ReportData } from '../types.js';

const LIST_MAX = 3;

export function roundsTable(data: ReportData): SafeHtml {
  const rounds = data.summary.rounds;
  const multi = rounds.some((r) => r.validation.microF1 !== undefined);
  const gold = rounds.some((r) => r.gold);
  const rows = rounds.map(
    (r) => html`<tr>
    <td class="num">${r.round}</td><td class="num">${int(r.trainSize)}</td>
    <td class="num">${int(r.added.pool)}</td><td class="num">${int(r.added.generated)}</td><td class="num">${int(r.added.seed)}</td><td class="num">${int(r.added.rejected)}</td>
    <td class="num">${int(r.answers)}</td>
    <td class="num">${pct(r.validation.accuracy)}</td><td class="num">${pct(r.validation.macroF1)}</td>
    ${multi ? html`<td class="num">${pct(r.validation.microF1)}</td>` : ''}
    ${gold ? html`<td class="num">${pct(r.gold?.accuracy)}</td>` : ''}
    <td>${r.weakest.slice(0, LIST_MAX).map((w) => html`<div><span class="chip">${w.label}</span> ${fixed(w.f1, 2)}</div>`)}</td>
    <td>${r.confusedPairs.slice(0, LIST_MAX).map((c) => html`<div><span class="chip chip-gold">${c.gold}</span> → <span class="chip chip-pred">${c.predicted}</span> ×${int(c.count)}</div>`)}</td>
    <td class="num">${duration(r.trainMs)}</td></tr>`,
  );
  return html`<section id="rounds">
  <h2>Rounds</h2>
  <p class="muted">Added: rows acquired in the round, by source; rejected: teacher answers that could not be used. Validation scores after the round's training.</p>
  <div class="scroll"><table class="data rounds">
    <thead><tr><th class="num">round</th><th class="num">train size</th><th class="num">+pool</th><th class="num">+generated</th><th class="num">+seed</th><th class="num">rejected</th>
      <th class="num">answers</th><th class="num">val acc</th><th class="num">val macro-F1</th>${multi ? html`<th class="num">val micro-F1</th>` : ''}${gold ? html`<th class="num">gold acc</th>` : ''}
      <th>weakest labels</th><th>confused pairs (gold → predicted)</th><th class="num">train time</th></tr></thead>
    <tbody>${rows}</tbody>
  </table></div>
</section>`;
}

export function trainingByRound(data: ReportData): SafeHtml {
  const human = data.training.byRound.some((r) => r.human);
  const rows = data.training.byRound.map(
    (r) =>
      html`<tr><td class="num">${r.round}</td><td class="num">${int(r.seed)}</td>${human ? html`<td class="num">${int(r.human ?? 0)}</td>` : ''}<td class="num">${int(r.pool)}</td><td class="num">${int(r.generated)}</td><td class="num">${int(r.seed + (r.human ?? 0) + r.pool + r.generated)}</td></tr>`,
  );
  if (rows.length === 0) return html``;
  return html`<section id="training">
  <h2>Final training set by round acquired</h2>
  <table class="data compact">
    <thead><tr><th class="num">round</th><th class="num">seed</th>${human ? html`<th class="num">human</th>` : ''}<th class="num">pool</th><th class="num">generated</th><th class="num">total</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>
</section>`;
}
