import type { SpanPrediction } from '../student/sequence/types.js';
import type { Prediction } from '../student/types.js';
import type { z } from 'zod';
import type { PredictionSchema, SpanPredictionSchema } from './schemas.js';

type WirePrediction = z.infer<typeof PredictionSchema>;
type WireSpans = z.infer<typeof SpanPredictionSchema>;

/**
 * A student prediction in the Hugging Face pipeline's shape: `scores` as [{label, score}] highest
 * first, cut to `topK`. Selection instead of a full sort: label sets reach hundreds and only a few
 * scores are wanted.
 */
export function toWire(labels: readonly string[], p: Prediction, topK: number): WirePrediction {
  const probs = p.probs;
  const k = Math.min(topK, probs.length);
  const top: number[] = [];
  for (let i = 0; i < probs.length && k > 0; i++) {
    if (top.length === k && probs[i] <= probs[top[k - 1]]) continue;
    // Insert i keeping `top` sorted by descending probability (ties: lower index first, stable).
    let j = top.length < k ? top.length : k - 1;
    while (j > 0 && probs[top[j - 1]] < probs[i]) {
      top[j] = top[j - 1];
      j--;
    }
    top[j] = i;
  }
  return { labels: p.labels, scores: top.map((i) => ({ label: labels[i], score: round(probs[i]) })) };
}

/** Probabilities are float32: digits past the sixth are noise that only fattens the JSON. */
function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** An extraction prediction on the wire: spans with offsets, type and calibrated score. */
export function spansToWire(p: SpanPrediction): WireSpans {
  return {
    spans: p.spans.map((s) => ({ start: s.start, end: s.end, type: s.type, text: s.text, score: round(s.confidence) })),
    confidence: round(p.confidence),
  };
}
