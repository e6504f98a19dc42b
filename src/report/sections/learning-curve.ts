import type { RoundRecord } from '../../loop/types.js';
import { lineChart, type Series } from '../charts/svg-line-chart.js';
import { html, type SafeHtml } from '../escape.js';
import { dollarsSig, int, pct } from '../format.js';
import type { ReportData } from '../types.js';

const COLORS = { accuracy: '#2563eb', macroF1: '#dc2626', microF1: '#059669' };

/** Gold scores when every round has them (they are the honest ones), validation otherwise. */
function scores(rounds: RoundRecord[]): {
  split: 'gold' | 'validation';
  pick: (r: RoundRecord) => RoundRecord['validation'];
} {
  if (rounds.length > 0 && rounds.every((r) => r.gold)) return { split: 'gold', pick: (r) => r.gold! };
  return { split: 'validation', pick: (r) => r.validation };
}

function seriesAgainst(rounds: RoundRecord[], x: (r: RoundRecord) => number): Series[] {
  const { pick } = scores(rounds);
  const out: Series[] = [
    { name: 'accuracy', color: COLORS.accuracy, points: rounds.map((r) => ({ x: x(r), y: pick(r).accuracy })) },
    {
      name: 'macro-F1',
      color: COLORS.macroF1,
      points: rounds.map((r) => ({ x: x(r), y: pick(r).macroF1 })),
      dashed: true,
    },
  ];
  if (rounds.some((r) => pick(r).microF1 !== undefined)) {
    out.push({
      name: 'micro-F1',
      color: COLORS.microF1,
      points: rounds.filter((r) => pick(r).microF1 !== undefined).map((r) => ({ x: x(r), y: pick(r).microF1! })),
    });
  }
  return out;
}

export function learningCurve(data: ReportData): SafeHtml {
  const rounds = data.summary.rounds;
  if (rounds.length === 0)
    return html`<section id="learning-curve"><h2>Learning curve</h2><p class="muted">No rounds were completed.</p></section>`;
  const { split } = scores(rounds);
  const yLabel = `${split} score`;
  const byAnswers = lineChart({
    title: `Student ${split} score against teacher answers`,
    series: seriesAgainst(rounds, (r) => r.answers),
    xLabel: 'teacher answers (cumulative)',
    yLabel,
    xFormat: (x) => int(x),
    yFormat: (y) => pct(y, 0),
    yClamp: [0, 1],
  });
  const free = rounds.every((r) => r.dollars === 0);
  const byDollars = free
    ? html`<div class="chart-empty"><strong>No cost: dataset teacher or local server.</strong><br/>Every round cost $0, so there is no curve against dollars.</div>`
    : lineChart({
        title: `Student ${split} score against dollars`,
        series: seriesAgainst(rounds, (r) => r.dollars),
        xLabel: 'dollars (cumulative, at original price)',
        yLabel,
        xFormat: (x) => dollarsSig(x),
        yFormat: (y) => pct(y, 0),
        yClamp: [0, 1],
      });
  return html`<section id="learning-curve">
  <h2>Learning curve</h2>
  <p class="muted">Scores on the ${split} set after each round's training. Hover a point for its value.</p>
  <div class="charts">
    <figure>${byAnswers}<figcaption>against teacher answers</figcaption></figure>
    <figure>${byDollars}<figcaption>against dollars</figcaption></figure>
  </div>
</section>`;
}
