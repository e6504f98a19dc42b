import type { Task } from '../../../task/schema.js';
import type { ExtractTeacher } from '../../../teacher/extract/types.js';
import { Rng } from '../../../util/random.js';
import type { ExtractRow, RejectedAnswer } from '../types.js';
import { findSpanIssues, type SpanIssue } from './label-noise.js';
import { replaceKept } from './replace.js';
import { spanSelfConsistency } from './self-consistency.js';
import { spanKey } from './span-vote.js';
import { emptyNoiseCounts, type SpanNoiseCounts, type SpanReviewLine } from './types.js';

/** Below this many training rows, out-of-fold span students are too weak to accuse the teacher (classification: 100). */
export const SPAN_NOISE_MIN_ROWS = 100;
/** Rows the label-noise check looks at per round at most (a seeded sample of the new ones): its cost is folds × training. */
export const SPAN_NOISE_MAX_CHECKED = 300;
/** Samples a flagged row is re-asked with (`labelNoise: relabel`), its own answer included, when selfConsistency asks fewer. */
const REASK_SAMPLES = 3;

export interface NoiseRoundInput {
  task: Task;
  teacher: ExtractTeacher;
  /** Answers the re-asks may spend. */
  answers: number;
  round: number;
  /** The training set before this round's rows (the out-of-fold students train on it). */
  training: readonly ExtractRow[];
  rejected: RejectedAnswer[];
  /** `labelNoise: review` appends the flagged rows here. */
  review: SpanReviewLine[];
}

/**
 * One round of the span label-noise check over the round's new rows (seeds never questioned): find
 * the issues with out-of-fold students, then `relabel` re-asks the flagged rows by self-consistency
 * (their own answer one of the samples; a row whose samples disagree is dropped), `review` lists
 * them and changes nothing. Each row is questioned once, in the round it joins.
 */
export async function spanNoiseRound(
  rows: ExtractRow[],
  input: NoiseRoundInput,
): Promise<{ rows: ExtractRow[]; counts: SpanNoiseCounts; reasked: ExtractRow[] }> {
  const { task, round } = input;
  const c = emptyNoiseCounts();
  const questioned = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.source !== 'seed');
  if (input.training.length + rows.length < SPAN_NOISE_MIN_ROWS || questioned.length < 2)
    return { rows, counts: c, reasked: [] };
  const base = input.training.length;
  const all = [...input.training, ...rows].map((r) => ({
    text: r.text,
    spans: r.spans,
    ...(r.tokens ? { tokens: r.tokens } : {}),
  }));
  const sample = new Rng(task.seed + round).sample(questioned, SPAN_NOISE_MAX_CHECKED);
  const checked = sample.map(({ i }) => base + i).sort((a, b) => a - b);
  c.checked = checked.length;
  const issues = findSpanIssues(all, checked, {
    types: task.labels.map((l) => l.name),
    seed: task.seed + round,
    kind: task.student.kind,
    params: task.student.params,
  });
  const byRow = new Map<number, SpanIssue[]>();
  for (const x of issues) byRow.set(x.row - base, [...(byRow.get(x.row - base) ?? []), x]);
  c.flaggedRows = byRow.size;
  c.doubtedSpans = issues.filter((x) => x.kind === 'doubted').length;
  c.missedSpans = issues.filter((x) => x.kind === 'missed').length;
  if (byRow.size === 0) return { rows, counts: c, reasked: [] };
  const order = [...byRow.keys()].sort((a, b) => a - b);

  if (task.data.labelNoise === 'review') {
    for (const i of order) input.review.push(reviewLine(rows[i], byRow.get(i)!, round));
    return { rows, counts: c, reasked: [] };
  }
  const flagged = order.map((i) => rows[i]);
  const result = await spanSelfConsistency(
    flagged,
    { teacher: input.teacher, answers: input.answers, round },
    {
      samples: Math.max(REASK_SAMPLES, task.data.selfConsistency),
      minAgreement: task.data.minAgreement,
      filter: 'label-noise',
    },
  );
  c.reasked = result.checked;
  c.rowsRejected = result.removed.length;
  c.spansDropped = result.spansDropped;
  c.answers = result.answers;
  const before = new Map(flagged.map((r) => [r.id, spanSet(r)]));
  c.changed = result.kept.filter((r) => before.get(r.id) !== spanSet(r)).length;
  return {
    rows: replaceKept(rows, flagged, result, input.rejected),
    counts: c,
    reasked: flagged.slice(0, result.checked),
  };
}

function reviewLine(row: ExtractRow, issues: readonly SpanIssue[], round: number): SpanReviewLine {
  const pick = (kind: SpanIssue['kind']) =>
    issues
      .filter((x) => x.kind === kind)
      .map((x) => ({ ...x.span, confidence: Math.round(x.confidence * 1000) / 1000 }));
  return {
    text: row.text,
    round,
    spans: row.spans.map(({ start, end, type, text }) => ({ start, end, type, text })),
    doubted: pick('doubted'),
    missed: pick('missed'),
  };
}

function spanSet(r: ExtractRow): string {
  return r.spans.map(spanKey).join('|');
}
