import type { Explanation, FeatureContribution } from '../types.js';
import { featureNames, hashText, type HashingConfig } from './hashing.js';
import type { LinearLayer } from './linear.js';
import type { Vectorizer } from './vectorizer.js';

/** bucket → the distinct feature strings of one block that hashed there (several on a collision). */
function namesByBucket(buckets: number[], names: string[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  buckets.forEach((b, i) => {
    const list = out.get(b);
    if (!list) out.set(b, [names[i]]);
    else if (!list.includes(names[i])) list.push(names[i]);
  });
  return out;
}

/**
 * Every feature of `text` with its contribution to each logit. The vectorizer's row holds the word
 * block then the char block, each in ascending bucket order with unkept buckets left out, so the
 * same walk over the hashed buckets names each entry of the row. Colliding n-grams share a weight
 * and are shown together (`a / b`): the model cannot tell them apart either.
 */
export function explainLinear(
  text: string,
  cfg: HashingConfig,
  vectorizer: Vectorizer,
  layer: LinearLayer,
  labels: readonly string[],
  temperature: number,
): Explanation {
  const hashed = hashText(text, cfg, { words: [], chars: [] });
  const names = featureNames(text, cfg);
  const x = vectorizer.vectorize(text);
  const K = labels.length;
  const features: FeatureContribution[] = [];
  let at = 0;
  for (const [kind, buckets, strs] of [
    ['word', hashed.words, names.words],
    ['char', hashed.chars, names.chars],
  ] as const) {
    const byBucket = namesByBucket(buckets, strs);
    for (const b of [...byBucket.keys()].sort((p, q) => p - q)) {
      const id = vectorizer.idOf(b);
      if (id < 0) continue;
      if (x.indices[at] !== id) throw new Error(`explain: feature walk out of step at entry ${at}`);
      const value = x.values[at++];
      const contributions = new Array<number>(K);
      for (let k = 0; k < K; k++) contributions[k] = value * layer.weights[id * K + k];
      features.push({ feature: byBucket.get(b)!.join(' / '), kind, value, contributions });
    }
  }
  const logits = Array.from(layer.logits(x.indices, x.values, 0, x.indices.length, new Float64Array(K)));
  return { labels: [...labels], bias: Array.from(layer.bias), logits, temperature, features };
}

/** A feature and its contribution to one label's logit. */
export interface WeightedFeature {
  feature: string;
  kind: 'word' | 'char';
  weight: number;
}

/** The features that pushed label `k` up the most and down the most, strongest first. */
export function topContributions(
  e: Explanation,
  k: number,
  n: number,
): { positive: WeightedFeature[]; negative: WeightedFeature[] } {
  const all = e.features.map((f) => ({ feature: f.feature, kind: f.kind, weight: f.contributions[k] }));
  return {
    positive: all
      .filter((f) => f.weight > 0)
      .sort((a, b) => b.weight - a.weight)
      .slice(0, n),
    negative: all
      .filter((f) => f.weight < 0)
      .sort((a, b) => a.weight - b.weight)
      .slice(0, n),
  };
}
