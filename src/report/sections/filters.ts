import { html, truncate, type SafeHtml } from '../escape.js';
import { int } from '../format.js';
import type { ReportData } from '../types.js';

const REASONS_SHOWN = 3;
const REASON_CHARS = 180;

type FilterTotals = { removed: number; relabeled: number; answers: number; rounds: number };

/** Filter names in the order they first ran, which is the order the loop applies them. */
function filterNames(data: ReportData): string[] {
  const names: string[] = [];
  for (const r of data.summary.rounds)
    for (const name of Object.keys(r.filters ?? {})) if (!names.includes(name)) names.push(name);
  return names;
}

function perFilter(data: ReportData, names: readonly string[]): SafeHtml {
  const totals = new Map<string, FilterTotals>(
    names.map((n) => [n, { removed: 0, relabeled: 0, answers: 0, rounds: 0 }]),
  );
  const rows: SafeHtml[] = [];
  for (const r of data.summary.rounds) {
    for (const [name, f] of Object.entries(r.filters ?? {})) {
      const t = totals.get(name)!;
      t.removed += f.removed;
      t.relabeled += f.relabeled;
      t.answers += f.answers;
      t.rounds += 1;
      // A filter that did nothing in a round is already counted in the totals; listing it is noise.
      if (f.removed + f.relabeled + f.answers === 0) continue;
      const reasons = f.examples.slice(0, REASONS_SHOWN);
      rows.push(html`<tr><td class="num">${r.round}</td><td>${name}</td><td class="num">${int(f.removed)}</td><td class="num">${int(f.relabeled)}</td><td class="num">${int(f.answers)}</td>
      <td class="reasons">${reasons.length ? reasons.map((x) => html`<div>${truncate(x, REASON_CHARS)}</div>`) : html`<span class="muted">—</span>`}</td></tr>`);
    }
  }
  const totalRows = names.map((n) => {
    const t = totals.get(n)!;
    return html`<tr><td>${n}</td><td class="num">${int(t.rounds)}</td><td class="num">${int(t.removed)}</td><td class="num">${int(t.relabeled)}</td><td class="num">${int(t.answers)}</td></tr>`;
  });
  return html`<table class="data compact">
    <thead><tr><th>filter</th><th class="num">rounds run</th><th class="num">removed</th><th class="num">relabeled</th><th class="num">answers spent</th></tr></thead>
    <tbody>${totalRows}</tbody>
  </table>
  <h3>Per round</h3>
  ${
    rows.length === 0
      ? html`<p class="muted">No filter removed, relabeled or spent anything in any round.</p>`
      : html`<div class="scroll tall"><table class="data compact filters">
    <thead><tr><th class="num">round</th><th>filter</th><th class="num">removed</th><th class="num">relabeled</th><th class="num">answers</th><th>first reasons</th></tr></thead>
    <tbody>${rows}</tbody>
  </table></div>
  <p class="muted">Rounds in which a filter did nothing are left out.</p>`
  }`;
}

function leakage(data: ReportData, names: readonly string[]): SafeHtml {
  const excluded = data.summary.poolExcludedAsLeakage ?? 0;
  const removed = data.summary.rounds.reduce((a, r) => a + (r.filters?.leakage?.removed ?? 0), 0);
  const off = data.checks ? !data.checks.leakageGuard : !names.includes('leakage') && excluded === 0;
  if (off) {
    return html`<p id="leakage-guard"><strong>Leakage guard off</strong>${data.checks ? '' : ' (no leakage filter ran in any round)'}: training rows were not checked against the evaluation rows.</p>`;
  }
  return html`<p id="leakage-guard"><strong>Leakage guard: ${int(excluded + removed)} texts kept out</strong> of training as near-copies of evaluation rows —
    ${int(excluded)} pool texts set aside before labeling (no answer spent on them), ${int(removed)} new rows removed by the leakage filter.</p>`;
}

function labelNoise(data: ReportData): SafeHtml {
  const rounds = data.summary.rounds.filter((r) => r.labelNoise);
  const mode = data.checks?.labelNoise;
  if (mode === 'off' || (rounds.length === 0 && mode === undefined)) {
    return html`<p id="label-noise" class="muted">Label-noise check off${mode ? ' (data.labelNoise: off)' : ': no round ran it'}.</p>`;
  }
  if (rounds.length === 0) {
    return html`<p id="label-noise" class="muted">Label-noise check on (${mode}) but no round ran it: the budget ran out first, or the loop stopped before a check.</p>`;
  }
  const sum = rounds.reduce(
    (a, r) => ({
      flagged: a.flagged + r.labelNoise!.flagged,
      relabeled: a.relabeled + r.labelNoise!.relabeled,
      answers: a.answers + r.labelNoise!.answers,
    }),
    { flagged: 0, relabeled: 0, answers: 0 },
  );
  const rows = rounds.map(
    (r) =>
      html`<tr><td class="num">${r.round}</td><td class="num">${int(r.labelNoise!.flagged)}</td><td class="num">${int(r.labelNoise!.relabeled)}</td><td class="num">${int(r.labelNoise!.answers)}</td></tr>`,
  );
  return html`<div id="label-noise">
  <p class="muted">Confident learning after each round: rows whose label a student trained without them confidently disagrees with.
    ${mode === 'review' ? 'Review mode: flagged rows are listed in review.jsonl for a person, not relabeled.' : 'Flagged rows get a second opinion; a different answer replaces the label.'}
    Seeds are never questioned, each row at most once, and nothing is flagged while fewer than 100 rows came from the teacher.</p>
  <table class="data compact">
    <thead><tr><th class="num">round</th><th class="num">flagged</th><th class="num">relabeled</th><th class="num">answers</th></tr></thead>
    <tbody>${rows}<tr><th>total</th><td class="num">${int(sum.flagged)}</td><td class="num">${int(sum.relabeled)}</td><td class="num">${int(sum.answers)}</td></tr></tbody>
  </table>
  </div>`;
}

/** What each filter took out of the candidates, the leakage guard's total, and the label-noise check. */
export function filtersSection(data: ReportData): SafeHtml {
  const names = filterNames(data);
  return html`<section id="filters">
  <h2>What the filters removed</h2>
  <p class="muted">Every new row passes the filters in this order before it is admitted. Answers: teacher answers the filter itself spent (verify, self-consistency).</p>
  ${names.length ? perFilter(data, names) : html`<p class="muted">No filter records: no round ran its candidates through filters.</p>`}
  <h3>Leakage guard</h3>
  ${leakage(data, names)}
  <h3>Label-noise check</h3>
  ${labelNoise(data)}
</section>`;
}
