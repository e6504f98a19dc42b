import type { Span } from '../../../text/spans/types.js';
import type { ExtractTeacher } from '../../../teacher/extract/types.js';
import type { ExtractRow, RejectedAnswer } from '../types.js';

/** What a span filter may use: the teacher (through its call gate) and the answers it may spend. */
export interface SpanFilterContext {
  teacher: ExtractTeacher;
  /** Teacher answers (texts annotated) the filter may spend; it must not spend more. */
  answers: number;
  round: number;
}

/** What one span filter did to a batch of rows. */
export interface SpanFilterResult {
  kept: ExtractRow[];
  /** Rows dropped whole, with the reason (they go to rejected.jsonl). */
  removed: RejectedAnswer[];
  /** Spans taken out of kept rows (and of removed ones) because the check did not confirm them. */
  spansDropped: number;
  /** Rows checked (samples or a second answer bought for them). */
  checked: number;
  /** Rows passed on unchecked because the answers (or a dollar/token cap) ran out. */
  unchecked: number;
  /** Teacher answers spent. */
  answers: number;
}

/** Counts of one span filter over a round, or a run (summed), as summary.json shows them. */
export interface SpanFilterCounts {
  checked: number;
  unchecked: number;
  spansDropped: number;
  rowsRejected: number;
  answers: number;
}

/** The label-noise check's counts (out-of-fold span students over the round's new rows). */
export interface SpanNoiseCounts {
  /** Rows the out-of-fold students looked at. */
  checked: number;
  /** Rows with at least one flagged span. */
  flaggedRows: number;
  /** Teacher spans an out-of-fold student confidently rejected. */
  doubtedSpans: number;
  /** Spans an out-of-fold student confidently predicted that the teacher did not give. */
  missedSpans: number;
  /** Flagged rows sent back for self-consistency samples (`labelNoise: relabel`). */
  reasked: number;
  /** Re-asked rows whose spans changed. */
  changed: number;
  /** Re-asked rows dropped because the samples did not agree. */
  rowsRejected: number;
  /** Spans the re-ask took out. */
  spansDropped: number;
  answers: number;
}

export interface SpanFilterRound {
  round: number;
  selfConsistency?: SpanFilterCounts;
  verify?: SpanFilterCounts;
  labelNoise?: SpanNoiseCounts;
}

/** A flagged row for a person to look at (`labelNoise: review`), written to review.jsonl. */
export interface SpanReviewLine {
  text: string;
  round: number;
  spans: Span[];
  /** Teacher spans the out-of-fold student rejected, with how sure it was. */
  doubted: (Span & { confidence: number })[];
  /** Spans the out-of-fold student predicted that the teacher did not give. */
  missed: (Span & { confidence: number })[];
}

/** Everything the span filters did in a run. */
export interface SpanFilterReport {
  /** The settings they ran with (data.selfConsistency, data.verify, data.labelNoise). */
  settings: { selfConsistency: number; minAgreement: number; verify: string; labelNoise: string };
  totals: { selfConsistency: SpanFilterCounts; verify: SpanFilterCounts; labelNoise: SpanNoiseCounts };
  rounds: SpanFilterRound[];
  review: SpanReviewLine[];
}

export const emptyCounts = (): SpanFilterCounts => ({
  checked: 0,
  unchecked: 0,
  spansDropped: 0,
  rowsRejected: 0,
  answers: 0,
});

export const emptyNoiseCounts = (): SpanNoiseCounts => ({
  checked: 0,
  flaggedRows: 0,
  doubtedSpans: 0,
  missedSpans: 0,
  reasked: 0,
  changed: 0,
  rowsRejected: 0,
  spansDropped: 0,
  answers: 0,
});
