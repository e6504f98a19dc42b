import { NearDupIndex } from '../data/near-dup/near-dup-index.js';
import { DEFAULT_SHINGLE, shingleHashes, sortedJaccard } from '../data/near-dup/minhash.js';

/**
 * Whether a pool text nearly copies an evaluation row: the near-duplicate index's answer
 * (`nearest`: a shared MinHash band and an exact Jaccard of at least `threshold`), reached without
 * computing a MinHash signature for the texts that cannot pass.
 *
 * The signature (128 hashes of every shingle) was most of the cost of the pass over a million-text
 * pool. Prefix filtering (as in set-similarity joins) rules a text out exactly: order all shingles
 * by how many evaluation texts hold them (rarest first, then by hash). If Jaccard(A, B) >= t, A and
 * B share at least ceil(t·|A|) and ceil(t·|B|) shingles, and then A's first |A| - ceil(t·|A|) + 1
 * shingles and B's first |B| - ceil(t·|B|) + 1 share one. A text whose prefix meets no evaluation
 * text's prefix, or whose exact Jaccard with every evaluation text so met is below t, is no match;
 * every other text gets the index's own answer, so the set found is exactly the index's.
 */
export function nearCopyTest(evalTexts: readonly string[], threshold: number): (text: string) => boolean {
  const index = new NearDupIndex({ threshold });
  evalTexts.forEach((t, i) => index.add(String(i), t));
  const matches = (text: string) => index.nearest(text) !== undefined;
  // With t = 0 every pair reaches it: nothing can be ruled out by overlap.
  if (!(threshold > 0)) return matches;
  const shingles = evalTexts.map((t) => shingleHashes(t, DEFAULT_SHINGLE));
  const frequency = new Map<number, number>();
  for (const set of shingles) for (const s of set) frequency.set(s, (frequency.get(s) ?? 0) + 1);
  // Prefix shingle → the evaluation texts whose prefix holds it.
  const prefixes = new Map<number, number[]>();
  shingles.forEach((set, i) => {
    for (const s of prefix(set, prefixLength(set.length, threshold), frequency)) {
      const list = prefixes.get(s);
      if (list) list.push(i);
      else prefixes.set(s, [i]);
    }
  });
  return (text) => {
    const own = shingleHashes(text, DEFAULT_SHINGLE);
    const length = prefixLength(own.length, threshold);
    // Shingles no evaluation text holds come first in the order and can meet no prefix.
    let absent = 0;
    for (const s of own) if (!frequency.has(s)) absent++;
    if (absent >= length) return false;
    const met = new Set<number>();
    for (const s of prefix(own, length - absent, frequency)) for (const i of prefixes.get(s) ?? []) met.add(i);
    for (const i of met) if (sortedJaccard(own, shingles[i]) >= threshold) return matches(text);
    return false;
  };
}

/** |A| - ceil(t·|A|) + 1, the ceiling taken a hair low so that float rounding can only lengthen it. */
function prefixLength(size: number, threshold: number): number {
  return Math.min(size, size - Math.max(1, Math.ceil(threshold * size - 1e-9)) + 1);
}

/**
 * The first `count` of the shingles of `set` that evaluation texts hold, in the global order:
 * fewest evaluation texts first, then hash. Sorted as one number each (count · 2^32 + hash, exact
 * in a double), which is several times faster than a comparator.
 */
function prefix(set: Uint32Array, count: number, frequency: ReadonlyMap<number, number>): number[] {
  const keys: number[] = [];
  for (const s of set) {
    const f = frequency.get(s);
    if (f !== undefined) keys.push(f * 0x1_0000_0000 + s);
  }
  const sorted = Float64Array.from(keys).sort();
  const out: number[] = [];
  for (let i = 0; i < count && i < sorted.length; i++) out.push(sorted[i] % 0x1_0000_0000);
  return out;
}
