import type { LabeledText } from '../core/types.js';
import { DIMENSIONS, featureIndices } from './text-vector.js';
import { type Centroid, centroidCosine } from './vector.js';

/**
 * How alike labels are, judged from their texts: each label's centroid of text features (see
 * text-vector.ts), weighted so words every label uses (the, and, my) do not make all labels look
 * alike. Pure functions; the dataset teacher uses them to make LLM-like mistakes, the hard-negative
 * strategy to pick the labels a student could confuse.
 */

/**
 * One normalized centroid per label (a multi-label row counts towards each of its labels), each
 * feature weighted by its inverse document frequency over the whole file.
 */
export function labelCentroids(rows: Iterable<LabeledText>): Map<string, Centroid> {
  let n = 0;
  const sums = new Map<string, Float32Array>();
  const df = new Float64Array(DIMENSIONS);
  const counts = new Float64Array(DIMENSIONS);
  for (const row of rows) {
    n++;
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
