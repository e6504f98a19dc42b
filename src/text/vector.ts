/**
 * Sparse vectors over hashed text features and the arithmetic the similarity code needs. Keys are
 * feature hashes; values are weights. Text vectors are L2-normalized, so a dot product is a cosine.
 */

/** Sparse vector over hashed features. */
export type SparseVector = Map<number, number>;
/** Dense vector over hashed features (index < the feature space's size): centroids are dense so summing 100k texts stays fast. */
export type Centroid = Float32Array;

/** Scales `v` in place to unit length (an empty vector stays empty) and returns it. */
export function normalize(v: SparseVector): SparseVector {
  let norm = 0;
  for (const x of v.values()) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [k, x] of v) v.set(k, x / norm);
  return v;
}

/** Cosine of a normalized sparse vector with a normalized centroid, or of two normalized sparse vectors. */
export function cosine(a: SparseVector, b: SparseVector | Centroid): number {
  let dot = 0;
  if (b instanceof Float32Array) {
    for (const [k, x] of a) dot += x * b[k];
    return dot;
  }
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const [k, x] of small) {
    const y = large.get(k);
    if (y !== undefined) dot += x * y;
  }
  return dot;
}

/** Dot product of two dense vectors of the same length (their cosine when both are normalized). */
export function centroidCosine(a: Centroid, b: Centroid): number {
  let dot = 0;
  for (let k = 0; k < a.length; k++) dot += a[k] * b[k];
  return dot;
}

/** L2-normalized sum of sparse vectors. */
export function mean(vectors: readonly SparseVector[]): SparseVector {
  const sum: SparseVector = new Map();
  for (const v of vectors) for (const [k, x] of v) sum.set(k, (sum.get(k) ?? 0) + x);
  return normalize(sum);
}
