import { MinHasher, shingleHashes, sortedJaccard, type MinHashOptions, type MinHashSignature } from './minhash.js';

/**
 * Locality-sensitive hashing over MinHash signatures: each signature is cut into bands, and only
 * texts that share a whole band with the query are compared. Texts at the index's threshold share
 * a band with near certainty; unrelated texts almost never do, so a query costs about as much as
 * the number of near matches, not the size of the index.
 *
 * Candidates are then scored by the exact Jaccard similarity of their shingle sets, not the
 * MinHash estimate: with 128 permutations the estimate's standard error is about 0.04, enough to
 * flip a decision at the threshold, and the shingle sets cost no more memory than the signatures.
 */

export interface NearDupOptions extends MinHashOptions {
  /**
   * Lowest similarity queries will ask for: the bands are cut so a pair this similar is found with
   * probability ≥ 0.995. Querying below it still works, but misses more of the weaker matches.
   */
  threshold?: number;
}

export interface NearDupMatch {
  id: string;
  /** Jaccard similarity of the two texts' character-shingle sets, 0..1. */
  similarity: number;
}

/** A text as the index sees it; compute it once when a text is both queried and added. */
export interface Fingerprint {
  shingles: Uint32Array;
  signature: MinHashSignature;
}

export const DEFAULT_INDEX_THRESHOLD = 0.5;
const TARGET_RECALL = 0.995;

/** Rows per band: the most (fewest false candidates) that still finds a pair at `threshold` with TARGET_RECALL. */
export function bandRows(permutations: number, threshold: number): number {
  for (let rows = permutations; rows > 1; rows--) {
    const bands = Math.floor(permutations / rows);
    if (1 - (1 - threshold ** rows) ** bands >= TARGET_RECALL) return rows;
  }
  return 1;
}

function bandKey(sig: MinHashSignature, from: number, to: number): number {
  let h = 0x9747b28c;
  for (let i = from; i < to; i++) {
    h = Math.imul(h ^ sig[i], 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

export class NearDupIndex {
  readonly threshold: number;
  readonly rowsPerBand: number;
  private readonly hasher: MinHasher;
  private readonly ids: string[] = [];
  private readonly shingles: Uint32Array[] = [];
  /** Per band: band key → positions in `ids`. A key collision only adds a candidate, which scoring then rejects. */
  private readonly bands: Map<number, number[]>[];

  constructor(options: NearDupOptions = {}) {
    this.hasher = new MinHasher(options);
    this.threshold = options.threshold ?? DEFAULT_INDEX_THRESHOLD;
    if (!(this.threshold >= 0 && this.threshold <= 1))
      throw new RangeError(`threshold must be within 0..1, got ${this.threshold}`);
    this.rowsPerBand = bandRows(this.hasher.permutations, this.threshold);
    this.bands = Array.from({ length: Math.floor(this.hasher.permutations / this.rowsPerBand) }, () => new Map());
  }

  get size(): number {
    return this.ids.length;
  }

  fingerprint(text: string): Fingerprint {
    const shingles = shingleHashes(text, this.hasher.shingle);
    return { shingles, signature: this.hasher.signatureOf(shingles) };
  }

  add(id: string, text: string | Fingerprint): void {
    const { shingles, signature } = this.toFingerprint(text);
    const at = this.ids.length;
    this.ids.push(id);
    this.shingles.push(shingles);
    this.bands.forEach((band, b) => {
      const key = bandKey(signature, b * this.rowsPerBand, (b + 1) * this.rowsPerBand);
      const bucket = band.get(key);
      if (bucket) bucket.push(at);
      else band.set(key, [at]);
    });
  }

  /** Indexed texts at least `threshold` similar, most similar first (ties in the order they were added). */
  query(text: string | Fingerprint, threshold = this.threshold): NearDupMatch[] {
    const { shingles, signature } = this.toFingerprint(text);
    const candidates = new Set<number>();
    this.bands.forEach((band, b) => {
      const bucket = band.get(bandKey(signature, b * this.rowsPerBand, (b + 1) * this.rowsPerBand));
      if (bucket) for (const at of bucket) candidates.add(at);
    });
    const found: { at: number; similarity: number }[] = [];
    for (const at of candidates) {
      const similarity = sortedJaccard(shingles, this.shingles[at]);
      if (similarity >= threshold) found.push({ at, similarity });
    }
    found.sort((a, b) => b.similarity - a.similarity || a.at - b.at);
    return found.map(({ at, similarity }) => ({ id: this.ids[at], similarity }));
  }

  /** The most similar indexed text at or above `threshold`, if any. */
  nearest(text: string | Fingerprint, threshold = this.threshold): NearDupMatch | undefined {
    return this.query(text, threshold)[0];
  }

  private toFingerprint(text: string | Fingerprint): Fingerprint {
    if (typeof text === 'string') return this.fingerprint(text);
    if (text.signature.length !== this.hasher.permutations) {
      throw new RangeError(
        `a signature of ${text.signature.length} values does not fit an index of ${this.hasher.permutations} permutations`,
      );
    }
    return text;
  }
}
