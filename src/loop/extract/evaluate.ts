import { type SpanMetrics, spanMetrics } from '../../metrics/spans.js';
import type { SpanStudent } from '../../student/sequence/types.js';
import type { Span, TokenOffsets } from '../../text/spans/types.js';
import type { SpanScoresBrief } from './types.js';

export interface Scored {
  metrics: SpanMetrics;
  predicted: Span[][];
}

/** The student on annotated texts (their own tokens when they have them), entity-level. */
export function scoreStudent(
  student: SpanStudent,
  rows: readonly { text: string; spans: readonly Span[]; tokens?: readonly TokenOffsets[] }[],
  types: readonly string[],
): Scored {
  const predicted = student
    .predictBatch(rows.map((r) => ({ text: r.text, tokens: r.tokens })))
    .map((p) => p.spans.map(({ start, end, type, text }) => ({ start, end, type, text })));
  return {
    metrics: spanMetrics(
      rows.map((r) => r.spans),
      predicted,
      types,
    ),
    predicted,
  };
}

export function brief(n: number, m: SpanMetrics): SpanScoresBrief {
  return { n, precision: m.micro.precision, recall: m.micro.recall, f1: m.micro.f1, partialF1: m.partial.f1 };
}
