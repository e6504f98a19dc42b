import { pct } from './dom.js';

/**
 * What a run's score measures by task kind: accuracy for classification, span F1 (micro, exact span
 * and type) for extraction. The two are different measures and are never drawn on one axis.
 */
export type Metric = 'accuracy' | 'f1';

export const metricOf = (r: { kind?: 'classify' | 'extract' }): Metric => (r.kind === 'extract' ? 'f1' : 'accuracy');
export const metricName = (m: Metric) => (m === 'f1' ? 'span F1' : 'accuracy');
export const metricTitle = (m: Metric) => (m === 'f1' ? 'Span F1' : 'Accuracy');

/** The run's headline score as text: `84.0%` for a classifier, `F1 84.0%` for an extractor. */
export function scoreText(r: { kind?: 'classify' | 'extract'; accuracy?: number; f1?: number }): string {
  return r.kind === 'extract' ? `F1 ${pct(r.f1)}` : pct(r.accuracy);
}
