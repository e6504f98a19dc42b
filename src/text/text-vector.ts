import { FNV_OFFSET, FNV_PRIME, fnv1a } from './fnv.js';
import { normalize, type SparseVector } from './vector.js';
import { words } from './words.js';

/**
 * The similarity features of a text: its words and the character trigrams of its words, hashed
 * into DIMENSIONS buckets. What label similarity, text clusters, retrieval and the dataset teacher's
 * nearest-row choices all compare texts by.
 */

/** 2^16 hashed features: few collisions at this vocabulary size, 256 KB per dense centroid. */
export const DIMENSIONS = 1 << 16;
/** Long documents say what they are about early; the cap keeps featurizing a large file fast. */
const MAX_CHARS = 1000;
/**
 * Trigrams are hashed from the FNV prime as basis rather than the offset: an accident of history,
 * kept because clusters and the dataset teacher's picks (and so every recorded run) follow from
 * these exact buckets.
 */
const TRIGRAM_BASIS = FNV_PRIME;

/** Hashed feature indices of a text (repeats kept): its words and the character trigrams of its words. */
export function featureIndices(text: string): number[] {
  const ws = words(text.slice(0, MAX_CHARS));
  const out: number[] = [];
  for (const w of ws) out.push(fnv1a(w, FNV_OFFSET) & (DIMENSIONS - 1));
  // Trigrams over space-joined words catch morphology (refund/refunded) that whole words miss.
  const joined = ` ${ws.join(' ')} `;
  for (let i = 0; i + 3 <= joined.length; i++) out.push(fnv1a(joined, TRIGRAM_BASIS, i, i + 3) & (DIMENSIONS - 1));
  return out;
}

/** Feature counts of a text, L2-normalized. */
export function textVector(text: string): SparseVector {
  const v: SparseVector = new Map();
  for (const k of featureIndices(text)) v.set(k, (v.get(k) ?? 0) + 1);
  return normalize(v);
}
