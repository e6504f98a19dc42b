/**
 * Confident learning (Northcutt et al., 2021) on out-of-fold probabilities, following cleanlab's
 * `find_label_issues`. Pure functions over class indices, so the single-label and the per-label
 * (one-vs-rest) multi-label paths share them, and tests can feed hand-made probabilities.
 */

import { largestRemainder } from '../../util/largest-remainder.js';

export type FilterBy = 'prune_by_noise_rate' | 'confident_learning' | 'both';

export interface ClassIssue {
  index: number;
  given: number;
  suggested: number;
  /** Out-of-fold probability of the given class: low means likely mislabeled. */
  selfConfidence: number;
}

export interface ConfidentLearningOptions {
  /** `prune_by_noise_rate` (cleanlab's default): per (given, true) cell, remove as many rows as the calibrated joint estimates, largest margin first. */
  filterBy?: FilterBy;
  /** Never flag so many rows of a class that fewer than this many keep its label. */
  minPerClass?: number;
}

// cleanlab subtracts this from thresholds so a row whose probability equals the mean still counts.
const EPSILON = 1e-6;

/** t_j: mean probability of class j over the rows labeled j. A class nobody carries can never be confidently present. */
export function perClassThresholds(
  probs: readonly ArrayLike<number>[],
  given: readonly number[],
  K: number,
): Float64Array {
  const sum = new Float64Array(K);
  const count = new Float64Array(K);
  for (let r = 0; r < given.length; r++) {
    sum[given[r]] += probs[r][given[r]];
    count[given[r]]++;
  }
  return sum.map((s, j) => (count[j] > 0 ? s / count[j] : Infinity));
}

/**
 * For each row, the class it confidently belongs to: among the classes at or above their threshold,
 * the most probable; -1 when none is. counts[given][confident] is the confident joint.
 */
export function confidentJoint(
  probs: readonly ArrayLike<number>[],
  given: readonly number[],
  K: number,
  thresholds: Float64Array,
): { counts: number[][]; confident: Int32Array } {
  const counts = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const confident = new Int32Array(given.length).fill(-1);
  for (let r = 0; r < given.length; r++) {
    const p = probs[r];
    let best = -1;
    for (let j = 0; j < K; j++) if (p[j] >= thresholds[j] - EPSILON && (best < 0 || p[j] > p[best])) best = j;
    confident[r] = best;
    if (best >= 0) counts[given[r]][best]++;
  }
  return { counts, confident };
}

/**
 * Rows of the confident joint rescaled to the class sizes, then the whole to n: rows where no class
 * was confident still count towards their class's noise rate.
 */
export function calibrateJoint(counts: readonly number[][], classSizes: readonly number[]): number[][] {
  const scaled = counts.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((c) => (total > 0 ? (c / total) * classSizes[i] : 0));
  });
  const sum = scaled.flat().reduce((a, b) => a + b, 0);
  const n = classSizes.reduce((a, b) => a + b, 0);
  return sum > 0 ? scaled.map((row) => row.map((c) => (c / sum) * n)) : scaled;
}

/**
 * remove[given][true]: rows of each given class to flag per estimated true class, as integers that
 * keep each class's total, with at least `minPerClass` rows of every class left alone.
 */
export function pruneCounts(
  calibrated: readonly number[][],
  classSizes: readonly number[],
  minPerClass: number,
): number[][] {
  return calibrated.map((row, k) => {
    const out = row.slice();
    const keep = Math.min(classSizes[k], minPerClass);
    if (out[k] < keep) {
      const nonzero = out.filter((c, j) => j !== k && c > 0).length;
      const diff = keep - out[k];
      for (let j = 0; j < out.length; j++)
        if (j !== k && out[j] > 0) out[j] = Math.max(0, out[j] - diff / Math.max(1, nonzero));
      out[k] = keep;
    }
    return roundPreservingTotal(out, classSizes[k]);
  });
}

/** Largest-remainder rounding to a given integer total. */
function roundPreservingTotal(values: number[], total: number): number[] {
  const sum = values.reduce((a, b) => a + b, 0);
  if (sum <= 0) return values.map(() => 0);
  return largestRemainder(
    values.map((v) => (v / sum) * total),
    total,
  );
}

function argmax(p: ArrayLike<number>, skip = -1): number {
  let best = -1;
  for (let j = 0; j < p.length; j++) if (j !== skip && (best < 0 || p[j] > p[best])) best = j;
  return best;
}

/** Flagged rows, most likely wrong (lowest self-confidence) first. */
export function confidentLearningIssues(
  probs: readonly ArrayLike<number>[],
  given: readonly number[],
  K: number,
  options: ConfidentLearningOptions = {},
): ClassIssue[] {
  const filterBy = options.filterBy ?? 'prune_by_noise_rate';
  const n = given.length;
  const thresholds = perClassThresholds(probs, given, K);
  const { counts, confident } = confidentJoint(probs, given, K, thresholds);
  const offDiagonal = (r: number) => confident[r] >= 0 && confident[r] !== given[r];

  let flagged: boolean[];
  if (filterBy === 'confident_learning') flagged = Array.from({ length: n }, (_, r) => offDiagonal(r));
  else {
    const sizes = new Array<number>(K).fill(0);
    for (const g of given) sizes[g]++;
    const remove = pruneCounts(calibrateJoint(counts, sizes), sizes, options.minPerClass ?? 1);
    const byClass: number[][] = Array.from({ length: K }, () => []);
    for (let r = 0; r < n; r++) byClass[given[r]].push(r);
    flagged = new Array<boolean>(n).fill(false);
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < K; j++) {
        const take = j === k ? 0 : remove[k][j];
        if (take <= 0) continue;
        // Rows that look most like class j rather than their given k; index breaks ties, so runs repeat.
        const ranked = byClass[k]
          .slice()
          .sort((a, b) => probs[b][j] - probs[b][k] - (probs[a][j] - probs[a][k]) || a - b);
        for (const r of ranked.slice(0, take)) flagged[r] = true;
      }
    }
    if (filterBy === 'both') for (let r = 0; r < n; r++) flagged[r] &&= offDiagonal(r);
    // As cleanlab does: a row the model itself predicts as its given label is not an issue.
    for (let r = 0; r < n; r++) if (flagged[r] && argmax(probs[r]) === given[r]) flagged[r] = false;
  }

  const issues: ClassIssue[] = [];
  for (let r = 0; r < n; r++) {
    if (!flagged[r]) continue;
    const suggested = offDiagonal(r) ? confident[r] : argmax(probs[r], given[r]);
    issues.push({ index: r, given: given[r], suggested, selfConfidence: probs[r][given[r]] });
  }
  return issues.sort((a, b) => a.selfConfidence - b.selfConfidence || a.index - b.index);
}
