import type { LabeledText } from '../core/types.js';
import { sha256 } from '../util/hash.js';
import { Rng } from '../util/random.js';
import { DIMENSIONS, textVector } from './text-vector.js';
import { cosine, mean, type SparseVector } from './vector.js';

/**
 * Per-label clusters of labeled texts: what "kinds" of texts a label has, when no LLM can say.
 * The dataset teacher offers its file's clusters (Teacher.clusters) and answers `cluster` guidance
 * from them, the attribute and tree strategies use them as attribute values and leaves, and the
 * skill profile assigns validation rows to them. The result is a function of the rows (in file
 * order) and the seed alone, so every one of those sees the same clusters in every run.
 */

export interface TextCluster {
  /** `<label>#<index>`, e.g. `card_arrival#2`. */
  id: string;
  label: string;
  index: number;
  /** L2-normalized mean of the members' text vectors. */
  centroid: SparseVector;
  /** Indices of the member rows in the clustered rows. */
  members: number[];
}

export interface ClusterOptions {
  seed: number;
  /** Most clusters per label (default 4). */
  maxK?: number;
  /** Text vector of row i, when the caller already has them. */
  vectorOf?: (index: number) => SparseVector;
  /**
   * Rows per label the clusters are fitted on (default 500): a label with more is clustered on a
   * seeded sample of them, its other rows left out of `members`. A few clusters per label need no
   * more, and fitting every row of a million-row file held a vector per row (gigabytes) and took
   * minutes before the first answer. Labels at or under the cap are clustered exactly as before.
   */
  maxRowsPerLabel?: number;
}

const DEFAULT_MAX_ROWS_PER_LABEL = 500;

const DEFAULT_MAX_K = 4;
/** Below this many rows per cluster, a cluster is noise rather than a kind of text. */
const ROWS_PER_CLUSTER = 6;
const MAX_ITERATIONS = 12;

export function clusterId(label: string, index: number): string {
  return `${label}#${index}`;
}

export class TextClusters {
  private readonly byId = new Map<string, TextCluster>();

  constructor(private readonly byLabel: ReadonlyMap<string, readonly TextCluster[]>) {
    for (const list of byLabel.values()) for (const c of list) this.byId.set(c.id, c);
  }

  labels(): string[] {
    return [...this.byLabel.keys()];
  }

  /** The label's clusters, by index; empty for a label without rows. */
  clustersOf(label: string): readonly TextCluster[] {
    return this.byLabel.get(label) ?? [];
  }

  get(id: string): TextCluster | undefined {
    return this.byId.get(id);
  }

  /** Id of the label's cluster nearest to the text (any text: a validation row, a generated one). */
  assign(text: string, label: string): string | undefined {
    return nearest(textVector(text), this.clustersOf(label))?.id;
  }
}

/** Spherical k-means per label, farthest-first initialization from a seeded start. */
export function clusterTexts(rows: readonly LabeledText[], options: ClusterOptions): TextClusters {
  const indices = new Map<string, number[]>();
  rows.forEach((row, i) => {
    for (const label of row.labels) {
      const list = indices.get(label) ?? [];
      list.push(i);
      indices.set(label, list);
    }
  });
  return clusterLabelRows(indices, { ...options, vectorOf: options.vectorOf ?? ((i) => textVector(rows[i].text)) });
}

/**
 * clusterTexts over rows given as each label's row indices (ascending; labels in the order of their
 * first row), for a caller whose rows live on disk: one label's indices are needed at a time.
 */
export function clusterLabelRows(
  labelRows: Iterable<[label: string, indices: number[]]>,
  options: ClusterOptions & { vectorOf: (index: number) => SparseVector },
): TextClusters {
  const vectors = new Map<number, SparseVector>();
  const vectorOf = (i: number): SparseVector => {
    let v = vectors.get(i);
    if (!v) {
      v = options.vectorOf(i);
      vectors.set(i, v);
    }
    return v;
  };
  const byLabel = new Map<string, TextCluster[]>();
  const cap = options.maxRowsPerLabel ?? DEFAULT_MAX_ROWS_PER_LABEL;
  for (const [label, all] of labelRows) {
    const rng = new Rng(options.seed ^ parseInt(sha256(label).slice(0, 8), 16));
    // Drawn only when over the cap, so a label under it sees the same generator as before.
    const members = all.length > cap ? rng.sample(all, cap).sort((a, b) => a - b) : all;
    const k = Math.max(1, Math.min(options.maxK ?? DEFAULT_MAX_K, Math.floor(members.length / ROWS_PER_CLUSTER)));
    const groups = kMeans(members.map(vectorOf), k, rng);
    // Numbered by their first row in file order, so ids do not depend on the initialization.
    const clusters = groups
      .filter((g) => g.length > 0)
      .map((g) => g.map((j) => members[j]))
      .sort((a, b) => a[0] - b[0])
      .map(
        (m, index): TextCluster => ({
          id: clusterId(label, index),
          label,
          index,
          centroid: mean(m.map(vectorOf)),
          members: m,
        }),
      );
    byLabel.set(label, clusters);
  }
  return new TextClusters(byLabel);
}

function kMeans(points: SparseVector[], k: number, rng: Rng): number[][] {
  let centroids = initialCentroids(points, k, rng);
  let assignment = new Array<number>(points.length).fill(-1);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    let changed = false;
    const dense = centroids.map((c) => denseOf(c));
    const next = points.map((p, i) => {
      const c = bestIndexDense(p, centroids, dense);
      if (c !== assignment[i]) changed = true;
      return c;
    });
    assignment = next;
    if (!changed) break;
    // An emptied cluster keeps its old centroid: it may win points back next iteration.
    centroids = centroids.map((old, c) => {
      const members = points.filter((_, i) => assignment[i] === c);
      return members.length ? mean(members) : old;
    });
  }
  const groups: number[][] = centroids.map(() => []);
  assignment.forEach((c, i) => groups[c].push(i));
  return groups;
}

/** First centroid at random, each next one the point least like any chosen so far. */
function initialCentroids(points: SparseVector[], k: number, rng: Rng): SparseVector[] {
  const chosen = [points[rng.int(points.length)]];
  const best = points.map((p) => cosine(p, chosen[0]));
  while (chosen.length < k) {
    let far = -1;
    for (let i = 0; i < points.length; i++) if (far < 0 || best[i] < best[far]) far = i;
    // Every point is a copy of a chosen one: no more distinct kinds of text to find.
    if (best[far] >= 1 - 1e-9) break;
    chosen.push(points[far]);
    for (let i = 0; i < points.length; i++) best[i] = Math.max(best[i], cosine(points[i], points[far]));
  }
  return chosen;
}

/**
 * A centroid's values in a dense array (keys are feature indices below DIMENSIONS), or undefined
 * when some key is not. Reading the array gives the same products as looking keys up in the map.
 */
function denseOf(c: SparseVector): Float64Array | undefined {
  const out = new Float64Array(DIMENSIONS);
  for (const [k, x] of c) {
    if (!(k >= 0 && k < DIMENSIONS)) return undefined;
    out[k] = x;
  }
  return out;
}

/**
 * bestIndex with the centroids' dense copies: the same scores to the bit. `cosine` walks the
 * smaller vector, so where that is the point, the dot product walks the point's entries in the same
 * order and adds the same products (an absent key adds 0, which changes no sum); otherwise it is
 * `cosine` itself. Several times faster than a map lookup per point entry.
 */
function bestIndexDense(
  p: SparseVector,
  centroids: readonly SparseVector[],
  dense: readonly (Float64Array | undefined)[],
): number {
  let best = 0;
  let score = -Infinity;
  for (let i = 0; i < centroids.length; i++) {
    const d = dense[i];
    let s: number;
    if (d && p.size <= centroids[i].size) {
      s = 0;
      for (const [k, x] of p) s += x * d[k];
    } else s = cosine(p, centroids[i]);
    if (s > score) {
      score = s;
      best = i;
    }
  }
  return best;
}

function bestIndex(p: SparseVector, centroids: readonly SparseVector[]): number {
  let best = 0;
  let score = -Infinity;
  centroids.forEach((c, i) => {
    const s = cosine(p, c);
    if (s > score) {
      score = s;
      best = i;
    }
  });
  return best;
}

function nearest(p: SparseVector, clusters: readonly TextCluster[]): TextCluster | undefined {
  if (clusters.length === 0) return undefined;
  return clusters[
    bestIndex(
      p,
      clusters.map((c) => c.centroid),
    )
  ];
}
