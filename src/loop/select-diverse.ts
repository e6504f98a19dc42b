import { cosine, type SparseVector } from '../text/vector.js';

/**
 * Uncertainty sampling with diversity. Taking the k lowest-margin inputs tends to pick clusters of
 * near-duplicates (the same confusing phrasing many times), which wastes teacher answers. Instead,
 * walk candidates from least to most certain and accept one only if it is not too similar to one
 * already accepted, and cap how many may share a predicted label, so the batch spreads over the
 * student's distinct weak spots.
 */
export interface Candidate {
  index: number;
  margin: number;
  predicted: string;
  /** Sparse unit vector of the text (see text/word-ngram-vector.ts). */
  vector: SparseVector;
}

export interface DiverseOptions {
  k: number;
  /** Cosine above which two candidates count as near-duplicates. */
  maxSimilarity?: number;
  /** How many of the k may share one predicted label (default: max(2, ceil(3k / labels))). */
  perLabelCap?: number;
  labelCount: number;
}

export function selectDiverse(candidates: readonly Candidate[], options: DiverseOptions): number[] {
  const k = Math.min(options.k, candidates.length);
  if (k <= 0) return [];
  const maxSim = options.maxSimilarity ?? 0.6;
  const cap = options.perLabelCap ?? Math.max(2, Math.ceil((3 * k) / Math.max(1, options.labelCount)));
  const ordered = candidates.slice().sort((a, b) => a.margin - b.margin || a.index - b.index);
  // Only look as deep as needed: diversity among the most uncertain, not among the certain ones.
  const window = ordered.slice(0, Math.min(ordered.length, k * 6));
  const accepted: Candidate[] = [];
  const perLabel = new Map<string, number>();
  const taken = new Set<number>();
  for (const c of window) {
    if (accepted.length >= k) break;
    if ((perLabel.get(c.predicted) ?? 0) >= cap) continue;
    if (accepted.some((a) => cosine(a.vector, c.vector) > maxSim)) continue;
    accepted.push(c);
    taken.add(c.index);
    perLabel.set(c.predicted, (perLabel.get(c.predicted) ?? 0) + 1);
  }
  // If the constraints were too tight, fill up by uncertainty alone.
  for (const c of ordered) {
    if (accepted.length >= k) break;
    if (!taken.has(c.index)) {
      accepted.push(c);
      taken.add(c.index);
    }
  }
  return accepted.map((c) => c.index);
}
