import type { SpanPrediction, SpanStudent } from '../student/sequence/types.js';
import type { AttributeExample, SpanExample } from '../text/spans/types.js';
import { type AttributeValueMetrics, attributeValueMetrics } from './attribute-values.js';
import { type SpanMetrics, spanMetrics } from './spans.js';

export interface SpanEvaluation {
  /** Texts scored. */
  n: number;
  metrics: SpanMetrics;
  predictions: SpanPrediction[];
}

/**
 * Tags every gold text (on the file's own tokens when it had them, as CoNLL does, so a boundary
 * the annotators drew is the one scored) and scores the spans at entity level, exact and partial.
 */
export function evaluateSpans(student: SpanStudent, gold: readonly SpanExample[]): SpanEvaluation {
  const predictions = student.predictBatch(gold.map((g) => ({ text: g.text, tokens: g.tokens })));
  const metrics = spanMetrics(
    gold.map((g) => g.spans),
    predictions.map((p) => p.spans),
    student.types,
  );
  return { n: gold.length, metrics, predictions };
}

/**
 * ExtractGPT's value-level scoring for attribute files: per attribute, the student's one value is
 * its most confident span of that attribute (a tagger may find several; the product has one).
 */
export function attributeValueScores(
  rows: readonly AttributeExample[],
  predictions: readonly SpanPredictionRowSource[],
): AttributeValueMetrics {
  return attributeValueMetrics(
    rows.map((row, i) => {
      const best: Record<string, { text: string; confidence: number }> = {};
      for (const s of predictions[i].spans) {
        const cur = best[s.type];
        if (!cur || s.confidence > cur.confidence) best[s.type] = { text: s.text, confidence: s.confidence };
      }
      const predicted: Record<string, string> = {};
      for (const [type, v] of Object.entries(best)) predicted[type] = v.text;
      return { ...(row.category !== undefined ? { category: row.category } : {}), gold: row.attributes, predicted };
    }),
  );
}

/** What attributeValueScores reads from a prediction. */
export type SpanPredictionRowSource = Pick<SpanPrediction, 'spans'>;
