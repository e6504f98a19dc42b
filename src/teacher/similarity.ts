import type { LabeledText } from '../core/types.js';

/**
 * How alike labels are, judged from their texts: each label's centroid of word and character-trigram
 * vectors, weighted so words every label uses (the, and, my) do not make all labels look alike.
 * Pure functions; the dataset teacher uses them to make LLM-like mistakes, the loop and the report
 * may use them to explain confusions.
 */

/** Sparse vector over hashed features (index < DIMENSIONS). */
export type SparseVector = Map<number, number>;
/** Dense vector over the same hashed features: centroids are dense so summing 100k texts stays fast. */
export type Centroid = Float32Array;

/** 2^16 hashed features: few collisions at this vocabulary size, 256 KB per label centroid. */
export const DIMENSIONS = 1 << 16;
/** Long documents say what they are about early; the cap keeps featurizing a large file fast. */
const MAX_CHARS = 1000;
const WORD = /[\p{L}\p{N}']+/gu;

/** Hashed feature indices of a text (repeats kept): its words and the character trigrams of its words. */
export function featureIndices(text: string): number[] {
  const lower = text.slice(0, MAX_CHARS).toLowerCase();
  const words = lower.match(WORD) ?? [];
  const out: number[] = [];
  for (const w of words) out.push(fnv1a(w, 0, w.length, 0x811c9dc5) & (DIMENSIONS - 1));
  // Trigrams over space-joined words catch morphology (refund/refunded) that whole words miss.
  const joined = ` ${words.join(' ')} `;
  for (let i = 0; i + 3 <= joined.length; i++) out.push(fnv1a(joined, i, i + 3, 0x01000193) & (DIMENSIONS - 1));
  return out;
}

/** Feature counts of a text, L2-normalized. */
export function textVector(text: string): SparseVector {
  const v: SparseVector = new Map();
  for (const k of featureIndices(text)) v.set(k, (v.get(k) ?? 0) + 1);
  let norm = 0;
  for (const x of v.values()) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [k, x] of v) v.set(k, x / norm);
  return v;
}

/** Cosine of a normalized text vector with a normalized centroid, or of two text vectors. */
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

/**
 * One normalized centroid per label (a multi-label row counts towards each of its labels), each
 * feature weighted by its inverse document frequency over the whole file.
 */
export function labelCentroids(rows: readonly LabeledText[]): Map<string, Centroid> {
  const sums = new Map<string, Float32Array>();
  const df = new Float64Array(DIMENSIONS);
  const counts = new Float64Array(DIMENSIONS);
  for (const row of rows) {
    const indices = featureIndices(row.text);
    const touched: number[] = [];
    for (const k of indices) {
      if (counts[k] === 0) touched.push(k);
      counts[k]++;
    }
    let norm = 0;
    for (const k of touched) norm += counts[k] * counts[k];
    norm = Math.sqrt(norm) || 1;
    const targets = row.labels.map((label) => {
      let sum = sums.get(label);
      if (!sum) sums.set(label, (sum = new Float32Array(DIMENSIONS)));
      return sum;
    });
    for (const k of touched) {
      df[k]++;
      const x = counts[k] / norm;
      for (const sum of targets) sum[k] += x;
      counts[k] = 0;
    }
  }
  const n = rows.length;
  const idf = df.map((d) => (d === 0 ? 0 : Math.log((1 + n) / (1 + d))));
  const centroids = new Map<string, Centroid>();
  for (const [label, sum] of sums) {
    let norm = 0;
    for (let k = 0; k < DIMENSIONS; k++) {
      sum[k] *= idf[k];
      norm += sum[k] * sum[k];
    }
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < DIMENSIONS; k++) sum[k] /= norm;
    centroids.set(label, sum);
  }
  return centroids;
}

export function centroidCosine(a: Centroid, b: Centroid): number {
  let dot = 0;
  for (let k = 0; k < a.length; k++) dot += a[k] * b[k];
  return dot;
}

/** The `k` labels whose centroids are closest to `label`'s, most similar first (ties by name, for determinism). */
export function mostSimilarLabels(
  centroids: ReadonlyMap<string, Centroid>,
  label: string,
  k = 3,
): { label: string; similarity: number }[] {
  const own = centroids.get(label);
  if (!own) return [];
  const scored: { label: string; similarity: number }[] = [];
  for (const [other, c] of centroids) {
    if (other !== label) scored.push({ label: other, similarity: centroidCosine(own, c) });
  }
  scored.sort((a, b) => b.similarity - a.similarity || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return scored.slice(0, k);
}

function fnv1a(s: string, from: number, to: number, basis: number): number {
  let h = basis >>> 0;
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
