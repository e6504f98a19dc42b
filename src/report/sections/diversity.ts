import { html, truncate, type SafeHtml } from '../escape.js';
import { fixed, int, pct } from '../format.js';
import type { ReportData } from '../types.js';
import type { TextDiversity, TrainingDataStats } from '../types.js';

/** Values shown per attribute; the rest are counted, not listed. */
const VALUES_SHOWN = 8;
const VALUE_CHARS = 48;
const SOURCE_ORDER = ['seed', 'human', 'pool', 'generated'];

function card(label: string, value: string, note: string): SafeHtml {
  return html`<div class="card"><div class="card-label">${label}</div><div class="card-value">${value}</div><div class="card-note">${note}</div></div>`;
}

function sourceRow(name: string, d: TextDiversity, strong = false): SafeHtml {
  const cells = html`<td class="num">${int(d.rows)}</td><td class="num">${fixed(d.distinct1, 3)}</td><td class="num">${fixed(d.distinct2, 3)}</td>
    <td class="num">${pct(d.nearDupRate)}</td><td class="num">${fixed(d.labelEntropy, 2)}</td>`;
  return strong ? html`<tr><th>${name}</th>${cells}</tr>` : html`<tr><td>${name}</td>${cells}</tr>`;
}

function bySourceTable(s: TrainingDataStats): SafeHtml {
  const names = Object.keys(s.bySource).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  return html`<table class="data compact">
    <thead><tr><th>source</th><th class="num">rows</th><th class="num">distinct-1</th><th class="num">distinct-2</th><th class="num">near-dup rate</th><th class="num">label balance</th></tr></thead>
    <tbody>${names.map((n) => sourceRow(n, s.bySource[n]))}${sourceRow('all rows', s, true)}</tbody>
  </table>`;
}

function rank(source: string): number {
  const i = SOURCE_ORDER.indexOf(source);
  return i < 0 ? SOURCE_ORDER.length : i;
}

function labelBars(s: TrainingDataStats): SafeHtml {
  const max = Math.max(1, ...s.labels.map((l) => l.rows));
  const rows = s.labels.map(
    (
      l,
    ) => html`<tr><td>${l.label}</td><td class="num">${int(l.rows)}</td><td class="num">${pct(s.rows ? l.rows / s.rows : 0)}</td>
    <td><span class="hbar"><span style="width:${((l.rows / max) * 100).toFixed(1)}%"></span></span></td></tr>`,
  );
  return html`<div class="scroll tall"><table class="data compact">
    <thead><tr><th>label</th><th class="num">rows</th><th class="num">share</th><th>rows, relative to the largest label</th></tr></thead>
    <tbody>${rows}</tbody>
  </table></div>`;
}

function attributeTable(s: TrainingDataStats): SafeHtml {
  if (s.attributes.length === 0) {
    return html`<p class="muted">None: no training row carries an attribute besides the loop's own bookkeeping (strategy, relabeling). Rows get attributes from the attribute, tree, multi-hop and hard-negative strategies.</p>`;
  }
  const rows = s.attributes.map((a) => {
    const shown = a.values.slice(0, VALUES_SHOWN);
    const more = a.distinct - shown.length;
    const sources = Object.entries(a.bySource)
      .sort(([x], [y]) => rank(x) - rank(y))
      .map(([src, n]) => `${src} ${int(n)}`)
      .join(', ');
    return html`<tr><td>${truncate(a.name, VALUE_CHARS)}</td><td class="num">${int(a.rows)}</td><td class="num">${int(a.distinct)}</td><td>${sources}</td>
      <td>${shown.map((v) => html`<span class="chip" title="${v.value}">${truncate(v.value, VALUE_CHARS)} ×${int(v.rows)}</span>`)}${more > 0 ? html` <span class="muted">+${int(more)} more</span>` : ''}</td></tr>`;
  });
  return html`<div class="scroll"><table class="data">
    <thead><tr><th>attribute</th><th class="num">rows</th><th class="num">distinct values</th><th>rows by source</th><th>most common values (rows)</th></tr></thead>
    <tbody>${rows}</tbody>
  </table></div>`;
}

/** Diversity, balance and coverage of the final training rows, from the summary's `data` field. */
export function diversitySection(data: ReportData): SafeHtml {
  const s = data.summary.data;
  const body = !s
    ? html`<p class="muted">Not computed for this run: its summary has no <code>data</code> field.</p>`
    : s.rows === 0
      ? html`<p class="muted">No training rows.</p>`
      : html`
  <div class="cards">
    ${card('Distinct-1', fixed(s.distinct1, 3), 'distinct words / all words')}
    ${card('Distinct-2', fixed(s.distinct2, 3), 'distinct word pairs / all pairs')}
    ${card('Near-duplicates', pct(s.nearDupRate), `${int(Math.round(s.nearDupRate * s.rows))} of ${int(s.rows)} rows have another row ≥ ${fixed(s.nearDupThreshold, 2)} similar`)}
    ${card('Label balance', fixed(s.labelEntropy, 2), `normalized entropy, 1 = even; fewest rows ${int(Math.min(...s.labels.map((l) => l.rows)))}, most ${int(Math.max(...s.labels.map((l) => l.rows)))}`)}
  </div>
  <h3>By source</h3>
  ${bySourceTable(s)}
  <p class="muted">Distinct-n falls as a set grows, so a small source scores higher by its size alone; compare sources of similar size. Near-dup rate: share of the source's rows with a near-duplicate anywhere in the training set (character-shingle Jaccard); new rows pass a dedup filter (0.9 by default) first, so near 0 is expected.</p>
  <h3>Rows per label</h3>
  ${labelBars(s)}
  <h3>Attribute coverage</h3>
  ${attributeTable(s)}`;
  return html`<section id="diversity">
  <h2>Training data diversity</h2>
  ${body}
</section>`;
}
