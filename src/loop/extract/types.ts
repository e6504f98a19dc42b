import type { StopReason } from '../../events.js';
import type { SpanStudent } from '../../student/sequence/types.js';
import type { RejectedEntity } from '../../teacher/extract/output-schema.js';
import type { TeacherSpan } from '../../teacher/extract/types.js';
import type { Span, TokenOffsets } from '../../text/spans/types.js';
import type { SpanFilterReport } from './filters/types.js';

/** A text the loop may ask about, with the source's tokens when it had them (CoNLL). */
export interface PoolText {
  id: string;
  text: string;
  tokens?: TokenOffsets[];
}

/** A gold-annotated text (the task's `eval` file). */
export interface GoldText {
  text: string;
  spans: Span[];
  tokens?: TokenOffsets[];
}

/** Where a training row came from and why it was asked: `generated` rows were written (or handed out) by the teacher. */
export type ExtractSource = 'seed' | 'random' | 'uncertainty' | 'generated';

/** One text annotated: a training (or validation) row, with its provenance. */
export interface ExtractRow {
  id: string;
  text: string;
  spans: TeacherSpan[];
  tokens?: TokenOffsets[];
  source: ExtractSource;
  round: number;
  /** The mentions the teacher gave that did not become spans. */
  rejected: RejectedEntity[];
  /** The student's uncertainty about the text when it was picked (uncertainty picks only). */
  uncertainty?: number;
  /** The bandit arm that bought the row (`pool`, or a generation arm); absent for seeds and validation. */
  arm?: string;
  /** What a generated row was asked for (type, confusedWith, entityFree). */
  guidance?: { type?: string; confusedWith?: string; entityFree?: boolean };
}

/**
 * A teacher answer that could not be used at all, or (with `filter`) a usable generated row a
 * filter kept out of training: `dedup` (a repeat or near-duplicate of a text already seen),
 * `leakage` (a near-copy of an evaluation text).
 */
export interface RejectedAnswer {
  id: string;
  text: string;
  raw: string;
  reason: string;
  round: number;
  filter?: 'dedup' | 'leakage';
}

export interface SpanScoresBrief {
  n: number;
  precision: number;
  recall: number;
  f1: number;
  partialF1: number;
}

export interface ExtractRoundRecord {
  round: number;
  /** Which selection made this round's picks (round 0: random seed set). */
  arm: 'random' | 'uncertainty';
  trainSize: number;
  /** Teacher answers consumed so far (cumulative). */
  answers: number;
  /** Dollars those answers cost (cumulative). */
  dollars: number;
  added: { pool: number; seed: number; rejected: number; validation: number; generated?: number };
  validation: SpanScoresBrief;
  gold?: SpanScoresBrief;
  /** Weakest types on validation after this round (types with gold spans there). */
  weakest: { type: string; f1: number }[];
  /** Most confused pairs of types on validation after this round (gold type, predicted type, count). */
  confused?: { type: string; predicted: string; count: number }[];
  /**
   * Per bandit arm (`pool` and the generation arms, when the run has them): the answers the split
   * gave it, what it spent, the rows it added, dollars with a price, and the ablation gain its
   * answers bought (after round 0, arms with enough rows).
   */
  arms?: Record<string, ExtractArmRound>;
  trainMs: number;
}

export interface ExtractArmRound {
  /** Answers the bandit's split gave the arm this round. */
  share: number;
  /** Answers it spent (a generation arm may spend less when the teacher has fewer texts for its aim). */
  answers: number;
  /** Rows it added to training (after dedup and the leakage guard). */
  rows: number;
  dollars?: number;
  gain?: number;
}

export interface ExtractLoopOutcome {
  student: SpanStudent;
  training: ExtractRow[];
  validation: ExtractRow[];
  rejected: RejectedAnswer[];
  rounds: ExtractRoundRecord[];
  stopReason: StopReason;
  /** Pool texts set aside as (near) copies of eval texts (leakage guard), and exact duplicates dropped. */
  poolExcluded: number;
  duplicates: number;
  /** What the span filters did (filters/), when any is on. */
  filters?: SpanFilterReport;
}
