import type { EvalMetrics } from '../core/types.js';

/** Human rendering of an evaluation: headline numbers, per-label table, worst confusions. */
export function renderMetrics(m: EvalMetrics, multiLabel: boolean): string {
  const lines = [
    `accuracy  ${m.accuracy.toFixed(3)}   (n=${m.n}${multiLabel ? ', exact match' : ''})`,
    `macro-F1  ${m.macroF1.toFixed(3)}`,
  ];
  if (m.microF1 !== undefined) lines.push(`micro-F1  ${m.microF1.toFixed(3)}`);
  const w = Math.max(5, ...m.perLabel.map((p) => p.label.length));
  lines.push('', `${'label'.padEnd(w)}  precision  recall     f1  support`);
  for (const p of m.perLabel) {
    lines.push(
      `${p.label.padEnd(w)}  ${p.precision.toFixed(3).padStart(9)}  ${p.recall.toFixed(3).padStart(6)}  ${p.f1.toFixed(3).padStart(5)}  ${String(p.support).padStart(7)}`,
    );
  }
  const confusions = topConfusions(m, 5);
  if (confusions.length > 0) {
    lines.push('', 'most confused (gold → predicted):');
    for (const c of confusions) lines.push(`  ${c.gold} → ${c.predicted}: ${c.count}`);
  }
  return `${lines.join('\n')}\n`;
}

export function topConfusions(m: EvalMetrics, k: number): { gold: string; predicted: string; count: number }[] {
  if (!m.confusion) return [];
  const out: { gold: string; predicted: string; count: number }[] = [];
  m.confusion.forEach((row, g) =>
    row.forEach((count, p) => {
      if (g !== p && count > 0) out.push({ gold: m.labels[g], predicted: m.labels[p], count });
    }),
  );
  return out.sort((a, b) => b.count - a.count).slice(0, k);
}

/** The `--json` shape of `eval`: stable, documented fields only. */
export function metricsJson(m: EvalMetrics): Record<string, unknown> {
  return {
    accuracy: m.accuracy,
    macroF1: m.macroF1,
    ...(m.microF1 !== undefined ? { microF1: m.microF1 } : {}),
    n: m.n,
    perLabel: m.perLabel,
  };
}
