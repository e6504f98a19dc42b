import { html, type SafeHtml } from '../escape.js';
import { dollars, int, sig } from '../format.js';
import type { ReportData } from '../types.js';
import type { RoundRecord } from '../../loop/types.js';
import { colorAt, legendKey, stackedBars } from '../charts/svg-stacked-bars.js';

type Arms = NonNullable<RoundRecord['arms']>;

/** Pool first (it is the baseline arm), then strategies in the order they first took answers. */
function armNames(rounds: readonly { arms: Arms }[]): string[] {
  const names: string[] = [];
  for (const r of rounds) for (const name of Object.keys(r.arms)) if (!names.includes(name)) names.push(name);
  return names.sort((a, b) => (a === 'pool' ? -1 : b === 'pool' ? 1 : 0));
}

/** Gain in mean validation log-likelihood (nats), signed: a gain is a difference and its sign is the point. */
export function points(gain: number | undefined): string {
  if (gain === undefined || !Number.isFinite(gain)) return '—';
  return `${gain > 0 ? '+' : gain < 0 ? '−' : '±'}${Math.abs(gain).toFixed(4)}`;
}

/** True when the arms were charged in dollars (the teacher's price was known): the bandit then weighed gain per dollar. */
function priced(rounds: readonly { arms: Arms }[]): boolean {
  return rounds.some((r) => Object.values(r.arms).some((a) => a.dollars !== undefined));
}

function perRoundTable(rounds: readonly (RoundRecord & { arms: Arms })[], names: readonly string[]): SafeHtml {
  const money = priced(rounds);
  const rows = rounds.flatMap((r) =>
    names
      .filter((n) => r.arms[n])
      .map((n) => {
        const a = r.arms[n];
        return html`<tr><td class="num">${r.round}</td><td><span class="key"><i style="background:${colorAt(names.indexOf(n))}"></i></span>${n}</td>
      <td class="num">${int(a.answers)}</td>${money ? html`<td class="num">${dollars(a.dollars)}</td>` : ''}<td class="num">${int(a.rows)}</td><td class="num">${a.answers > 0 ? sig(a.rows / a.answers, 2) : '—'}</td>
      <td class="num">${points(a.gain)}</td></tr>`;
      }),
  );
  return html`<div class="scroll tall"><table class="data compact">
    <thead><tr><th class="num">round</th><th>arm</th><th class="num">answers</th>${money ? html`<th class="num">dollars</th>` : ''}<th class="num">rows admitted</th><th class="num">rows per answer</th><th class="num">measured gain</th></tr></thead>
    <tbody>${rows}</tbody>
  </table></div>`;
}

function totalsTable(rounds: readonly (RoundRecord & { arms: Arms })[], names: readonly string[]): SafeHtml {
  const money = priced(rounds);
  const rows = names.map((n) => {
    let answers = 0;
    let spent = 0;
    let admitted = 0;
    let gain = 0;
    let measured = 0;
    for (const r of rounds) {
      const a = r.arms[n];
      if (!a) continue;
      answers += a.answers;
      spent += a.dollars ?? 0;
      admitted += a.rows;
      if (a.gain !== undefined) {
        gain += a.gain;
        measured += 1;
      }
    }
    return html`<tr><td><span class="key"><i style="background:${colorAt(names.indexOf(n))}"></i></span>${n}</td><td class="num">${int(answers)}</td>${money ? html`<td class="num">${dollars(spent)}</td>` : ''}<td class="num">${int(admitted)}</td>
      <td class="num">${measured ? points(gain / measured) : '—'}</td><td class="num">${int(measured)}</td></tr>`;
  });
  return html`<table class="data compact">
    <thead><tr><th>arm</th><th class="num">answers</th>${money ? html`<th class="num">dollars</th>` : ''}<th class="num">rows admitted</th><th class="num">mean measured gain</th><th class="num">rounds measured</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}

/** How each round's answers were shared among pool labeling and the generation strategies, and what each share bought. */
export function banditSection(data: ReportData): SafeHtml {
  const rounds = data.summary.rounds.filter(
    (r): r is RoundRecord & { arms: Arms } => r.arms !== undefined && Object.keys(r.arms).length > 0,
  );
  const checks = data.checks;
  let body: SafeHtml;
  if (rounds.length === 0) {
    body = html`<p class="muted">No arm records: no round spent answers on acquisition${checks && !checks.closedLoop ? ' (this loop strategy labels pool inputs only)' : ''}.</p>`;
  } else {
    const names = armNames(rounds);
    const series = names.map((n, i) => ({
      name: n,
      color: colorAt(i),
      values: rounds.map((r) => r.arms[n]?.answers ?? 0),
    }));
    const off = checks
      ? !checks.bandit || !checks.closedLoop
      : !rounds.some((r) => Object.values(r.arms).some((a) => a.gain !== undefined));
    body = html`<p class="muted">Arms: labeling uncertain pool inputs, and each generation strategy. ${
      off
        ? 'Bandit off: shares were fixed, and no gain was measured.'
        : `After round 0 the bandit tilts the configured split toward the arms whose rows gained more ${priced(rounds) ? "per dollar (the teacher's price is known; dollars: what the arm's own requests cost, filters' checks not included)" : 'per answer'} so far (at most 2× either way); a generator whose rows keep making the student worse gets only a small floor and an occasional probe. Measured gain: how much the mean log-likelihood of the validation labels (nats) drops when the student is retrained without the arm's rows of that round, scaled to all of the arm's answers (every arm loses the same number of rows, so big and small arms are compared at the same scale).`
    }
    Filters and the label-noise check spend answers of their own (see the filters section).</p>
  <figure>${stackedBars({ title: 'Teacher answers per arm, by round', categories: rounds.map((r) => String(r.round)), series, xLabel: 'round', yLabel: 'answers' })}
  ${legendKey(series)}</figure>
  <h3>Per arm, all rounds</h3>
  ${totalsTable(rounds, names)}
  <h3>Per round</h3>
  ${perRoundTable(rounds, names)}`;
  }
  return html`<section id="bandit">
  <h2>Budget split among arms</h2>
  ${body}
</section>`;
}
