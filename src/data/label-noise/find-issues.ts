import { ConfigError } from '../../errors.js';
import { confidentLearningIssues, type ConfidentLearningOptions } from './confident-learning.js';
import { outOfFoldProbs, type LabeledRow, type OutOfFoldOptions } from './out-of-fold.js';

export interface LabelIssue {
  /** Position of the row in the input. */
  index: number;
  text: string;
  given: string[];
  /** What the out-of-fold student believes instead (multi-label: the given set with the doubtful labels flipped). */
  suggested: string[];
  /** Out-of-fold probability of the given label (multi-label: of the least believable given decision). */
  selfConfidence: number;
}

export type FindLabelIssuesOptions = OutOfFoldOptions & ConfidentLearningOptions;

/**
 * Rows whose label the student, trained without them, confidently disagrees with: K-fold
 * out-of-fold probabilities, then confident learning. Most likely wrong first. Multi-label tasks
 * are checked one label at a time (present vs absent), each as a two-class problem.
 */
export function findLabelIssues(rows: readonly LabeledRow[], options: FindLabelIssuesOptions): LabelIssue[] {
  // Before any training: a bad label should not cost K students first.
  classIndices(rows, options.labels, options.multiLabel);
  const probs = outOfFoldProbs(rows, options);
  return labelIssuesFromProbs(rows, probs, options);
}

/** The confident-learning half, for callers that already hold out-of-fold probabilities. */
export function labelIssuesFromProbs(
  rows: readonly LabeledRow[],
  probs: readonly ArrayLike<number>[],
  options: { labels: readonly string[]; multiLabel: boolean } & ConfidentLearningOptions,
): LabelIssue[] {
  const indices = classIndices(rows, options.labels, options.multiLabel);
  if (!options.multiLabel) {
    const given = indices.map((k) => k[0]);
    return confidentLearningIssues(probs, given, options.labels.length, options).map((i) => ({
      index: i.index,
      text: rows[i.index].text,
      given: [...rows[i.index].labels],
      suggested: [options.labels[i.suggested]],
      selfConfidence: i.selfConfidence,
    }));
  }
  return oneVsRest(rows, probs, options.labels, options, indices);
}

function classIndices(rows: readonly LabeledRow[], labels: readonly string[], multiLabel: boolean): number[][] {
  const index = new Map(labels.map((l, i) => [l, i]));
  return rows.map((row, r) => {
    if (!multiLabel && row.labels.length !== 1)
      throw new ConfigError(
        `row ${r}: a single-label check needs exactly one label per row (got ${row.labels.length})`,
      );
    return row.labels.map((l) => {
      const k = index.get(l);
      if (k === undefined) throw new ConfigError(`row ${r}: label "${l}" is not one of the task's labels`);
      return k;
    });
  });
}

function oneVsRest(
  rows: readonly LabeledRow[],
  probs: readonly ArrayLike<number>[],
  labels: readonly string[],
  options: ConfidentLearningOptions,
  indices: number[][],
): LabelIssue[] {
  const sets = indices.map((k) => new Set(k));
  const flips = new Map<number, { labels: Set<number>; selfConfidence: number }>();
  for (let k = 0; k < labels.length; k++) {
    const binary = probs.map((p) => [1 - p[k], p[k]]);
    const given = sets.map((s) => (s.has(k) ? 1 : 0));
    for (const issue of confidentLearningIssues(binary, given, 2, options)) {
      const hit = flips.get(issue.index) ?? { labels: new Set<number>(), selfConfidence: 1 };
      hit.labels.add(k);
      hit.selfConfidence = Math.min(hit.selfConfidence, issue.selfConfidence);
      flips.set(issue.index, hit);
    }
  }
  const issues: LabelIssue[] = [];
  for (const [r, hit] of flips) {
    const suggested = labels.filter((_, k) => sets[r].has(k) !== hit.labels.has(k));
    issues.push({
      index: r,
      text: rows[r].text,
      given: [...rows[r].labels],
      suggested,
      selfConfidence: hit.selfConfidence,
    });
  }
  return issues.sort((a, b) => a.selfConfidence - b.selfConfidence || a.index - b.index);
}
