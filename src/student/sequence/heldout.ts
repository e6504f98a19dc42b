import { biased, type bioMask, type ChainWeights, emissions, viterbi } from './decode.js';
import type { SentenceFeatures } from './features.js';

/** A training sentence as both trainers see it: hashed features, gold BIO tags, row weight. */
export interface Sentence {
  feats: SentenceFeatures;
  gold: Int32Array;
  weight: number;
}

export /** Entity-level micro F1 (exact token span and type) of the weights on held-out sentences. */
function heldOutF1(
  data: readonly Sentence[],
  val: readonly number[],
  w: ChainWeights,
  mask: ReturnType<typeof bioMask>,
  outsideBias: number,
): number {
  let tp = 0;
  let predicted = 0;
  let gold = 0;
  for (const s of val) {
    const { feats, gold: g } = data[s];
    const p = viterbi(biased(emissions(feats, w), g.length, w.T, outsideBias), g.length, w, mask);
    const gs = tokenSpans(g);
    const ps = tokenSpans(p);
    gold += gs.size;
    predicted += ps.size;
    for (const k of ps) if (gs.has(k)) tp++;
  }
  return predicted + gold === 0 ? 1 : (2 * tp) / (predicted + gold);
}

export function tokenSpans(tags: Int32Array): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < tags.length; ) {
    if (tags[i] === 0) {
      i++;
      continue;
    }
    const I = tags[i] % 2 === 1 ? tags[i] + 1 : tags[i];
    let j = i;
    while (j + 1 < tags.length && tags[j + 1] === I) j++;
    out.add(`${i}:${j}:${I}`);
    i = j + 1;
  }
  return out;
}
