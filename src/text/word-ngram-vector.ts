import { fnv1a } from './fnv.js';
import { normalize, type SparseVector } from './vector.js';
import { words } from './words.js';

/**
 * A cheap bag of hashed word unigrams and bigrams (full 32-bit hashes, L2-normalized): tells
 * near-duplicate phrasings apart when the loop chooses which pool inputs to send to the teacher.
 * Not `textVector`: its features (whole bigrams, no trigrams, no folding into 2^16 buckets) are
 * what the pool choice, and so every recorded run's picks, were tuned and measured with.
 */
export function wordNgramVector(text: string): SparseVector {
  const ws = words(text);
  const v: SparseVector = new Map();
  const bump = (s: string) => {
    const h = fnv1a(s);
    v.set(h, (v.get(h) ?? 0) + 1);
  };
  for (let i = 0; i < ws.length; i++) {
    bump(ws[i]);
    if (i + 1 < ws.length) bump(`${ws[i]} ${ws[i + 1]}`);
  }
  return normalize(v);
}
