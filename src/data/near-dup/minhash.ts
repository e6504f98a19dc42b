import { FNV_OFFSET, fnv1a } from '../../text/fnv.js';
import { Rng } from '../../util/random.js';

/**
 * MinHash signatures over character shingles: two texts' signatures agree in about as many
 * positions as the Jaccard similarity of their shingle sets, so near-duplicates can be found
 * without comparing texts pairwise. Pure and deterministic for a given seed.
 */

export type MinHashSignature = Uint32Array;

export interface MinHashOptions {
  /** Hash functions per signature; the estimate's error shrinks with 1/sqrt(permutations). */
  permutations?: number;
  /** Characters per shingle. */
  shingle?: number;
  seed?: number;
}

export const DEFAULT_PERMUTATIONS = 128;
export const DEFAULT_SHINGLE = 5;
const DEFAULT_SEED = 0x5eed;

/**
 * Case, accents written as compatibility forms, punctuation and spacing are not what makes two
 * texts different, so a copy that only changes those still counts as a copy.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Distinct 32-bit hashes of a text's shingles, ascending. A text shorter than one shingle is one shingle. */
export function shingleHashes(text: string, size = DEFAULT_SHINGLE): Uint32Array {
  const s = normalizeText(text);
  if (s.length <= size) return Uint32Array.of(fnv1a(s));
  const all = new Uint32Array(s.length - size + 1);
  for (let i = 0; i < all.length; i++) all[i] = fnv1a(s, FNV_OFFSET, i, i + size);
  // Sorting and skipping repeats is several times faster than a Set for a few hundred numbers.
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[n++] = all[i];
  return all.subarray(0, n);
}

/** Jaccard similarity of two shingle sets as `shingleHashes` returns them (ascending, distinct). */
export function sortedJaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return shared / (a.length + b.length - shared);
}

/** Exact Jaccard similarity of two texts' shingle sets (up to 32-bit hash collisions). */
export function shingleJaccard(a: string, b: string, size = DEFAULT_SHINGLE): number {
  return sortedJaccard(shingleHashes(a, size), shingleHashes(b, size));
}

export class MinHasher {
  readonly permutations: number;
  readonly shingle: number;
  private readonly seeds: Uint32Array;

  constructor(options: MinHashOptions = {}) {
    this.permutations = options.permutations ?? DEFAULT_PERMUTATIONS;
    this.shingle = options.shingle ?? DEFAULT_SHINGLE;
    if (!Number.isInteger(this.permutations) || this.permutations < 1)
      throw new RangeError(`permutations must be a positive integer, got ${this.permutations}`);
    if (!Number.isInteger(this.shingle) || this.shingle < 1)
      throw new RangeError(`shingle must be a positive integer, got ${this.shingle}`);
    const rng = new Rng(options.seed ?? DEFAULT_SEED);
    this.seeds = Uint32Array.from({ length: this.permutations }, () => Math.floor(rng.next() * 0x1_0000_0000));
  }

  signature(text: string): MinHashSignature {
    return this.signatureOf(shingleHashes(text, this.shingle));
  }

  /** The signature of shingles already hashed with this hasher's shingle size. */
  signatureOf(shingles: Uint32Array): MinHashSignature {
    const sig = new Uint32Array(this.permutations).fill(0xffffffff);
    const { seeds } = this;
    for (let k = 0; k < shingles.length; k++) {
      const h = shingles[k];
      for (let i = 0; i < sig.length; i++) {
        // The shingle hash is already well mixed, so one multiply and shift per permutation is
        // enough: its estimates measured as accurate as with a full Murmur finalizer.
        let v = Math.imul(h ^ seeds[i], 0x85ebca6b);
        v = (v ^ (v >>> 15)) >>> 0;
        if (v < sig[i]) sig[i] = v;
      }
    }
    return sig;
  }
}

/** Share of positions where two signatures agree: an unbiased estimate of the shingle sets' Jaccard similarity. */
export function estimateJaccard(a: MinHashSignature, b: MinHashSignature): number {
  if (a.length !== b.length)
    throw new RangeError(`signatures of different lengths (${a.length}, ${b.length}) come from different hashers`);
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}
