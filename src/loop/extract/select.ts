import type { SpanStudent } from '../../student/sequence/types.js';
import { wordNgramVector } from '../../text/word-ngram-vector.js';
import type { Rng } from '../../util/random.js';
import { type Candidate, selectDiverse } from '../select-diverse.js';
import type { PoolText } from './types.js';

export interface Pick {
  item: PoolText;
  uncertainty?: number;
}

/** The random arm: a uniform sample of the unasked texts (round 0, and the `random` baseline). */
export function pickRandom(unasked: readonly PoolText[], k: number, rng: Rng): Pick[] {
  return rng.sample(unasked, k).map((item) => ({ item }));
}

/**
 * Uncertainty per text: 1 − the probability, under the student's calibrated chain, of the tagging
 * it would output (sequence least-confidence; span confidences are marginals under the same
 * chain, so a text with one shaky span scores high too). `diverse`: walk from the most uncertain
 * and skip texts too similar to one taken, with at most a share of picks per predicted dominant type
 * (select-diverse.ts), so a batch does not spend its answers on near-copies of one hard sentence.
 */
export function pickUncertain(
  unasked: readonly PoolText[],
  k: number,
  student: SpanStudent,
  options: { candidates: number; diverse: boolean; rng: Rng; types: number; favourEntities?: boolean },
): Pick[] {
  const scored = options.rng.sample(unasked, Math.min(unasked.length, options.candidates));
  const predictions = student.predictBatch(scored.map((p) => ({ text: p.text, tokens: p.tokens })));
  // favourEntities: texts where the student predicts at least one span rank above all others (1 is
  // added to their uncertainty, which is below 1): entity-sparse sets (WNUT-17) spend most random
  // answers on texts with nothing to learn about the types.
  const uncertainty = predictions.map((p) => 1 - p.confidence + (options.favourEntities && p.spans.length > 0 ? 1 : 0));
  if (!options.diverse) {
    return scored
      .map((item, i) => ({ item, uncertainty: uncertainty[i] }))
      .sort((a, b) => b.uncertainty - a.uncertainty)
      .slice(0, k);
  }
  const candidates: Candidate[] = scored.map((item, i) => ({
    index: i,
    margin: -uncertainty[i],
    predicted: dominantType(predictions[i].spans),
    vector: wordNgramVector(item.text),
  }));
  return selectDiverse(candidates, { k, labelCount: options.types + 1 }).map((i) => ({
    item: scored[i],
    uncertainty: uncertainty[i],
  }));
}

function dominantType(spans: readonly { type: string; confidence: number }[]): string {
  if (spans.length === 0) return '(none)';
  return spans.reduce((a, b) => (b.confidence < a.confidence ? b : a)).type;
}
