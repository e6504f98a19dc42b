import type { SpanStudent, SpanTrainingRow } from '../../../student/sequence/types.js';
import { trainSpanStudent } from '../../../student/span-registry.js';
import type { Span } from '../../../text/spans/types.js';
import { Rng } from '../../../util/random.js';
import { spanKey } from './span-vote.js';

/** Out-of-fold students per check: each trains on everything but a third of the checked rows. */
export const SPAN_NOISE_FOLDS = 3;
/**
 * How sure an out-of-fold student must be of a span that overlaps a teacher span (and so excludes
 * it: overlapping spans cannot both be in one BIO tagging) to doubt the teacher's: more likely than
 * not. Only such evidence accuses a teacher span. The probability of a whole tagging without it
 * would bound the span's too, but a weak student is confidently wrong about "nothing here" on
 * entities it never saw: on WNUT-17 that rule flagged at 0.31 precision against 0.56–0.59 for
 * overlaps only (bench/extract/filters.ts, seed 1, train rows).
 */
export const SPAN_NOISE_DOUBT = 0.5;
/** How sure it must be of a span the teacher did not give (overlapping none of its spans) to call it missed. */
export const SPAN_NOISE_MISSED = 0.8;

export interface SpanIssue {
  /** Index of the row in the rows given. */
  row: number;
  /** `doubted`: a teacher span the student rejects; `missed`: a span the student predicts and the teacher did not give. */
  kind: 'doubted' | 'missed';
  span: Span;
  /** How sure the out-of-fold student is that the teacher is wrong about this span. */
  confidence: number;
}

export interface SpanIssueOptions {
  types: readonly string[];
  seed: number;
  /** The task's span student and its parameters: the student whose mistakes matter. */
  kind: string;
  params?: unknown;
  folds?: number;
  /** Thresholds; default SPAN_NOISE_DOUBT and SPAN_NOISE_MISSED. */
  doubt?: number;
  missed?: number;
}

/**
 * Confident learning adapted to spans. The `checked` rows are dealt into seeded folds; for each
 * fold a span student trains on every row but that fold's (the rest of the training set stays in,
 * so only the checked rows cost folds) and tags the fold's texts. A teacher span is doubted when
 * that student predicts an overlapping, different span (another type or other boundaries) with
 * probability ≥ `doubt`, and a predicted span the teacher did not give (overlapping none of its
 * spans: that case is a doubted teacher span already) is called missed at ≥ `missed`. Costs `folds` trainings on the whole set.
 */
export function findSpanIssues(
  rows: readonly SpanTrainingRow[],
  checked: readonly number[],
  options: SpanIssueOptions,
): SpanIssue[] {
  const folds = Math.min(options.folds ?? SPAN_NOISE_FOLDS, checked.length);
  const threshold = { doubt: options.doubt ?? SPAN_NOISE_DOUBT, missed: options.missed ?? SPAN_NOISE_MISSED };
  if (folds < 2) return [];
  const fold = new Map<number, number>();
  new Rng(options.seed).shuffle([...checked]).forEach((row, k) => fold.set(row, k % folds));
  const issues: SpanIssue[] = [];
  for (let f = 0; f < folds; f++) {
    const train = rows.filter((_, i) => fold.get(i) !== f);
    const held = checked.filter((i) => fold.get(i) === f);
    const student = trainSpanStudent(
      options.kind,
      train,
      { types: options.types, seed: options.seed + f },
      options.params ?? {},
    );
    const predictions = student.predictBatch(held.map((i) => ({ text: rows[i].text, tokens: rows[i].tokens })));
    held.forEach((i, h) => issues.push(...rowIssues(i, rows[i].spans, predictions[h], threshold)));
  }
  return issues.sort((a, b) => a.row - b.row || a.span.start - b.span.start);
}

/** The issues of one row: its teacher spans against one out-of-fold prediction (exported for its test). */
export function rowIssues(
  row: number,
  given: readonly Span[],
  predicted: ReturnType<SpanStudent['predict']>,
  threshold: { doubt: number; missed: number },
): SpanIssue[] {
  const out: SpanIssue[] = [];
  const predictedKeys = new Set(predicted.spans.map(spanKey));
  const givenKeys = new Set(given.map(spanKey));
  const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;
  for (const s of given) {
    if (predictedKeys.has(spanKey(s))) continue;
    const against = Math.max(0, ...predicted.spans.filter((p) => overlaps(p, s)).map((p) => p.confidence));
    if (against >= threshold.doubt && against > 0)
      out.push({ row, kind: 'doubted', span: plain(s), confidence: against });
  }
  for (const p of predicted.spans) {
    if (givenKeys.has(spanKey(p)) || p.confidence < threshold.missed) continue;
    if (given.some((s) => overlaps(s, p))) continue;
    out.push({ row, kind: 'missed', span: plain(p), confidence: p.confidence });
  }
  return out;
}

function plain(s: Span): Span {
  return { start: s.start, end: s.end, type: s.type, text: s.text };
}
