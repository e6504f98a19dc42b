import type { BenchResults } from '../lib/types.js';
import { MODEL_NAMES, MODELS, PEERS } from './format.js';
import { checkTargets } from './targets.js';
import { barChart, esc, lineChart, type LineSeries } from './svg.js';

const COLORS: Record<string, string> = {
  student: '#d9480f',
  fasttext: '#1971c2',
  sklearn_svm: '#2f9e44',
  sklearn_svm_char: '#e67700',
  sklearn_lr: '#9c36b5',
};
const STRATEGY_COLORS = { loop: '#d9480f', random: '#868e96', margin: '#1971c2' } as const;

export function renderHtml(r: BenchResults): string {
  const ds = r.datasets;
  const groups = ds.map((d) => d.dataset);
  const accs = ds.flatMap((d) => MODELS.map((m) => d[m]?.accuracy)).filter((v): v is number => v !== undefined);
  const pct = (v: number) => `${(100 * v).toFixed(0)}%`;
  const x = (v: number) => `${+v.toPrecision(2)}×`;
  const perModel = (get: (d: (typeof ds)[number], m: (typeof MODELS)[number]) => number | null | undefined) =>
    MODELS.map((m) => ({ name: MODEL_NAMES[m], color: COLORS[m], values: ds.map((d) => get(d, m) ?? null) }));
  const perPeer = (get: (d: (typeof ds)[number], p: (typeof PEERS)[number]) => number | null | undefined) =>
    PEERS.map((p) => ({ name: `÷ ${MODEL_NAMES[p]}`, color: COLORS[p], values: ds.map((d) => get(d, p) ?? null) }));

  const sections = [
    [
      'Test accuracy',
      barChart({
        groups,
        series: perModel((d, m) => d[m]?.accuracy),
        yLabel: 'accuracy',
        min: Math.max(0, Math.floor((Math.min(...accs, 1) - 0.05) * 10) / 10),
        max: 1,
        fmt: pct,
      }),
    ],
    [
      'Training time, student ÷ peer (log scale; below the line = student trains faster)',
      barChart({
        groups,
        series: perPeer((d, p) => d.ratios[p]?.trainSeconds),
        yLabel: 'ratio',
        log: true,
        reference: 1,
        fmt: x,
      }),
    ],
    [
      'Single-thread throughput, texts/s (log scale)',
      barChart({ groups, series: perModel((d, m) => d[m]?.predictPerSecond), yLabel: 'texts / s', log: true }),
    ],
    [
      'Model size on disk, bytes (log scale)',
      barChart({ groups, series: perModel((d, m) => d[m]?.modelBytes), yLabel: 'bytes', log: true }),
    ],
  ];
  const loops = ds
    .filter((d) => d.loop)
    .map((d) => {
      const series: LineSeries[] = [];
      for (const k of ['loop', 'random', 'margin'] as const) {
        for (const c of d.loop!.curves[k])
          series.push({
            name: k,
            color: STRATEGY_COLORS[k],
            dashed: k !== 'loop',
            points: c.map((p) => ({ x: p.answers, y: p.accuracy })),
          });
      }
      return [
        `Loop curve: ${d.dataset} (held-out test-half accuracy vs teacher answers, every seed; dashed line = 95% target)`,
        lineChart({
          series,
          xLabel: 'teacher answers',
          yLabel: 'held-out accuracy',
          reference: d.loop!.target,
          fmt: pct,
        }),
      ];
    });
  const targets = checkTargets(r)
    .map(
      (c) =>
        `<tr class="${c.status.replace(' ', '-')}"><td>${esc(c.target)}</td><td>${esc(c.dataset)}</td><td>${esc(c.value)}</td><td>${esc(c.goal)}</td><td>${c.status}</td></tr>`,
    )
    .join('');

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Apprentice benchmarks</title>
<style>body{font-family:system-ui,sans-serif;max-width:820px;margin:2em auto;color:#222}h2{font-size:1.05em;margin-top:2em}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 8px}.met td:last-child{color:#2f9e44}.missed td:last-child{color:#c92a2a}.no-data td:last-child,.inconclusive td:last-child{color:#888}</style>
</head><body>
<h1>Apprentice benchmarks</h1>
<p>Mode <b>${esc(r.mode)}</b>, run started ${esc(r.startedAt)}, commit ${esc(r.commit ?? 'unknown')} (per dataset: docs/benchmarks.md). ${esc(r.machine.cpu)}, ${r.machine.cores} cores, ${r.machine.memoryGB} GB; Node ${esc(r.versions.node)}, fastText ${esc(r.versions.fasttext ?? '–')}, scikit-learn ${esc(r.versions.sklearn ?? '–')}. Tables and method: docs/benchmarks.md.</p>
${[...sections, ...loops].map(([title, svg]) => `<h2>${esc(title)}</h2>\n${svg}`).join('\n')}
<h2>Targets</h2>
<table><tr><th>target</th><th>dataset</th><th>measured</th><th>goal</th><th>status</th></tr>${targets}</table>
</body></html>
`;
}
