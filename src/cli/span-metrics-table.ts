import type { SpanEvaluation } from '../metrics/evaluate-spans.js';
import type { AttributeValueMetrics } from '../metrics/attribute-values.js';
import type { PredictedSpan, SpanPrediction } from '../student/sequence/types.js';

const f = (x: number) => x.toFixed(3);

/** Human rendering of an extraction evaluation: exact-match micro scores, partial F1, per-type table. */
export function renderSpanMetrics(e: SpanEvaluation, attributes?: AttributeValueMetrics): string {
  const m = e.metrics;
  const lines = [
    `entity F1  ${f(m.micro.f1)}   precision ${f(m.micro.precision)}  recall ${f(m.micro.recall)}   (exact span and type, micro; n=${e.n} texts, ${m.micro.gold} gold / ${m.micro.predicted} predicted spans)`,
    `partial F1 ${f(m.partial.f1)}   (a span counts when it overlaps one of the same type)`,
    `macro F1   ${f(m.macroF1)}`,
  ];
  if (attributes)
    lines.push(
      `value F1   ${f(attributes.micro.f1)}   precision ${f(attributes.micro.precision)}  recall ${f(attributes.micro.recall)}   (attribute values as strings, ExtractGPT scoring; macro ${f(attributes.macro.f1)})`,
    );
  const types = Object.keys(m.perType);
  const w = Math.max(4, ...types.map((t) => t.length));
  lines.push('', `${'type'.padEnd(w)}  precision  recall     f1  partial-f1  gold  predicted`);
  for (const t of types) {
    const s = m.perType[t];
    lines.push(
      `${t.padEnd(w)}  ${f(s.precision).padStart(9)}  ${f(s.recall).padStart(6)}  ${f(s.f1).padStart(5)}  ${f(m.partialPerType[t].f1).padStart(10)}  ${String(s.gold).padStart(4)}  ${String(s.predicted).padStart(9)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The `--json` shape of `eval` for an extraction model: stable, documented fields only. */
export function spanMetricsJson(e: SpanEvaluation, attributes?: AttributeValueMetrics): Record<string, unknown> {
  const m = e.metrics;
  return {
    task: 'extract',
    precision: m.micro.precision,
    recall: m.micro.recall,
    f1: m.micro.f1,
    partialF1: m.partial.f1,
    macroF1: m.macroF1,
    n: e.n,
    gold: m.micro.gold,
    predicted: m.micro.predicted,
    perType: Object.fromEntries(
      Object.entries(m.perType).map(([t, s]) => [
        t,
        {
          precision: s.precision,
          recall: s.recall,
          f1: s.f1,
          partialF1: m.partialPerType[t].f1,
          gold: s.gold,
          predicted: s.predicted,
        },
      ]),
    ),
    ...(attributes
      ? {
          attributeValues: {
            precision: attributes.micro.precision,
            recall: attributes.micro.recall,
            f1: attributes.micro.f1,
            macroF1: attributes.macro.f1,
          },
        }
      : {}),
  };
}

export interface SpanPredictionRow {
  text: string;
  spans: { start: number; end: number; type: string; text: string; score: number }[];
  confidence: number;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

export function wireSpan(s: PredictedSpan): SpanPredictionRow['spans'][number] {
  return { start: s.start, end: s.end, type: s.type, text: s.text, score: round(s.confidence) };
}

/** One line of `predict` output: spans with UTF-16 offsets (end exclusive), type and calibrated score. */
export function spanPredictionRow(text: string, p: SpanPrediction): SpanPredictionRow {
  return { text, spans: p.spans.map(wireSpan), confidence: round(p.confidence) };
}
