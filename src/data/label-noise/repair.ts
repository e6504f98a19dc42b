import type { LabelIssue } from './find-issues.js';
import type { LabeledRow } from './out-of-fold.js';

/** Run-directory file the `review` mode fills, one flagged row per line, most doubtful first. */
export const REVIEW_FILE = 'review.jsonl';

export interface RelabelRequest {
  index: number;
  text: string;
  given: string[];
}

export interface ReviewLine {
  text: string;
  given: string[];
  suggested: string[];
  selfConfidence: number;
}

/**
 * What to do about flagged rows. `relabel`: the loop asks the teacher again for these texts (one
 * answer each) and applies the answers with `applyRelabels`. `review`: nothing changes; the loop
 * writes `lines` to `file` for a person to look at.
 */
export type RepairPlan =
  | { mode: 'relabel'; ask: RelabelRequest[] }
  | { mode: 'review'; file: typeof REVIEW_FILE; lines: ReviewLine[] };

export function repairPlan(issues: readonly LabelIssue[], mode: 'relabel' | 'review'): RepairPlan {
  if (mode === 'relabel')
    return { mode, ask: issues.map((i) => ({ index: i.index, text: i.text, given: [...i.given] })) };
  return {
    mode,
    file: REVIEW_FILE,
    lines: issues.map((i) => ({
      text: i.text,
      given: [...i.given],
      suggested: [...i.suggested],
      selfConfidence: round(i.selfConfidence),
    })),
  };
}

/**
 * The rows with the teacher's second answers in place of the flagged labels. `answers` is aligned
 * with `ask`; undefined (a rejected answer) keeps the given label, since a failed call says nothing
 * about the row. `changed` lists the rows whose labels actually moved.
 */
export function applyRelabels<R extends LabeledRow>(
  rows: readonly R[],
  ask: readonly RelabelRequest[],
  answers: readonly (readonly string[] | undefined)[],
): { rows: R[]; changed: number[] } {
  const out = rows.slice();
  const changed: number[] = [];
  ask.forEach((a, k) => {
    const answer = answers[k];
    if (!answer) return;
    const row = out[a.index];
    if (sameSet(row.labels, answer)) return;
    out[a.index] = { ...row, labels: [...answer] };
    changed.push(a.index);
  });
  return { rows: out, changed };
}

/** The rows without the flagged ones: the alternative to relabeling when no second opinion is to be had. */
export function dropIssues<R>(rows: readonly R[], issues: readonly Pick<LabelIssue, 'index'>[]): R[] {
  const drop = new Set(issues.map((i) => i.index));
  return rows.filter((_, i) => !drop.has(i));
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
