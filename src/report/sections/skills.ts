import { html, truncate, type SafeHtml } from '../escape.js';
import { int, pct } from '../format.js';
import type { ReportData } from '../types.js';
import type { RoundRecord } from '../../loop/types.js';
import type { SkillSteerTarget } from '../../task/schema.js';
import { lineChart } from '../charts/svg-line-chart.js';
import { colorAt, legendKey } from '../charts/svg-stacked-bars.js';

const TABLE_ROWS = 10;
const TRACKED = 5;
const VALUE_CHARS = 60;

type Skill = NonNullable<RoundRecord['skills']>[number];

const keyOf = (s: Pick<Skill, 'attribute' | 'value'>) => `${s.attribute}\u0000${s.value}`;
const nameOf = (s: Pick<Skill, 'attribute' | 'value'>) => truncate(`${s.attribute} = ${s.value}`, VALUE_CHARS);

/** Only values the student gets wrong: a 0% row is not a weakness, however high the record ranks it. */
function latestTable(round: RoundRecord & { skills: Skill[] }): SafeHtml {
  const weak = round.skills.filter((s) => s.errorRate > 0);
  if (weak.length === 0)
    return html`<p class="muted">None: the student gets every one of the ${int(round.skills.length)} recorded values right.</p>`;
  const rows = weak.slice(0, TABLE_ROWS).map(
    (s) => html`<tr><td>${truncate(s.attribute, VALUE_CHARS)}</td><td>${truncate(s.value, VALUE_CHARS)}</td>
    <td>${s.label !== undefined ? html`<span class="chip">${s.label}</span>` : html`<span class="muted">any</span>`}</td>
    <td class="num">${pct(s.errorRate)}</td><td class="num">${int(Math.round(s.errorRate * s.support))}</td><td class="num">${int(s.support)}</td></tr>`,
  );
  const note =
    weak.length < round.skills.length
      ? html`<p class="muted">${int(round.skills.length - weak.length)} more recorded values have no errors.</p>`
      : '';
  return html`<table class="data compact">
    <thead><tr><th>attribute</th><th>value</th><th>label</th><th class="num">error rate</th><th class="num">errors</th><th class="num">support</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>${note}`;
}

/**
 * The values with the highest error rate in any round (ties: more support), so a weakness the loop
 * has since fixed still shows, and how it went.
 */
export function worstEver(rounds: readonly { skills: readonly Skill[] }[], k: number): Skill[] {
  const peak = new Map<string, Skill>();
  for (const r of rounds) {
    for (const s of r.skills) {
      const seen = peak.get(keyOf(s));
      if (!seen || s.errorRate > seen.errorRate) peak.set(keyOf(s), s);
    }
  }
  return [...peak.values()]
    .filter((s) => s.errorRate > 0)
    .sort((a, b) => b.errorRate - a.errorRate || b.support - a.support)
    .slice(0, k);
}

function acrossRounds(rounds: (RoundRecord & { skills: Skill[] })[], tracked: Skill[]): SafeHtml {
  const rate = (r: RoundRecord & { skills: Skill[] }, t: Skill) =>
    r.skills.find((s) => keyOf(s) === keyOf(t))?.errorRate;
  const series = tracked.map((t, i) => ({
    name: nameOf(t),
    color: colorAt(i),
    points: rounds.flatMap((r) => {
      const y = rate(r, t);
      return y === undefined ? [] : [{ x: r.round, y }];
    }),
  }));
  const chart =
    rounds.length < 2
      ? ''
      : html`<figure>${lineChart({
          title: `Error rate of the ${tracked.length} worst attribute values of any round, by round`,
          series,
          xLabel: 'round',
          yLabel: 'validation error rate',
          xFormat: (x) => (Number.isInteger(x) ? String(x) : ''),
          yFormat: (y) => pct(y, 0),
          yClamp: [0, 1],
          legend: false,
        })}${legendKey(series)}</figure>`;
  const gaps = tracked.some((t) => rounds.some((r) => rate(r, t) === undefined));
  const head = rounds.map((r) => html`<th class="num">r${r.round}</th>`);
  const body = tracked.map(
    (t, i) => html`<tr><td><span class="key"><i style="background:${colorAt(i)}"></i></span>${nameOf(t)}</td>
    ${rounds.map((r) => html`<td class="num">${pct(rate(r, t), 0)}</td>`)}</tr>`,
  );
  return html`${chart}<div class="scroll"><table class="data compact">
    <thead><tr><th>attribute = value</th>${head}</tr></thead>
    <tbody>${body}</tbody>
  </table></div>
  ${gaps ? html`<p class="muted">—: not among the values that round recorded (a round keeps only its worst, and rates only values with enough validation rows).</p>` : ''}`;
}

const STEERED: Record<SkillSteerTarget, string> = {
  pool: 'a share of each round\u2019s pool picks went to the values with the most errors',
  generation: 'generation was asked for the worst values',
  weights: 'rows of the worst values weighed more in the next training',
};

function steeredBy(targets: readonly SkillSteerTarget[]): string {
  return targets.map((t) => STEERED[t]).join('; ');
}

/** Validation error by attribute value (the skill profile): where the student is weakest, round by round. */
export function skillsSection(data: ReportData): SafeHtml {
  const checks = data.checks;
  const rounds = data.summary.rounds.filter((r): r is RoundRecord & { skills: Skill[] } => r.skills !== undefined);
  let body: SafeHtml;
  if (checks && (checks.skillProfile === 'off' || !checks.closedLoop)) {
    body = html`<p class="muted">Skill profile off${checks.closedLoop ? ' (data.skillProfile: off)' : ': only the closed loop keeps one'}.</p>`;
  } else if (rounds.length === 0) {
    body = html`<p class="muted">Skill profile off: no round recorded one.</p>`;
  } else {
    const latest = rounds[rounds.length - 1];
    const tracked = worstEver(rounds, TRACKED);
    const steer =
      checks?.skillProfile !== 'report'
        ? html`It steered the loop (data.skillProfile: steer): ${steeredBy(checks?.skillSteer ?? ['generation', 'weights'])}.`
        : html`Measured for this report only: it did not steer the loop (data.skillProfile: steer would aim pool picks, and with data.skillSteer generation and row weights, at the worst values).`;
    body = html`<p class="muted">Validation rows get attributes (per-label clusters of their texts, or the dataset's own); the error rate is the student's, on the rows sharing a value. ${steer}</p>
  <h3>Worst values after round ${latest.round}</h3>
  ${latest.skills.length === 0 ? html`<p class="muted">None to show: no attribute value had enough validation rows to rate.</p>` : latestTable(latest)}
  ${
    tracked.length
      ? html`<h3>The ${tracked.length} worst of any round, across rounds</h3>
  ${acrossRounds(rounds, tracked)}`
      : ''
  }`;
  }
  return html`<section id="skills">
  <h2>Skill profile</h2>
  ${body}
</section>`;
}
