import type { EvalMetrics } from '../core/types.js';

export interface RoundRecord {
  round: number;
  trainSize: number;
  /** Teacher answers consumed so far (cumulative, cached or not). */
  answers: number;
  /** Dollars the consumed answers cost (cumulative). */
  dollars: number;
  added: { pool: number; generated: number; seed: number; rejected: number };
  validation: Pick<EvalMetrics, 'n' | 'accuracy' | 'macroF1' | 'microF1'>;
  /** Gold metrics when a gold file is given (same as validation when gold is the validation set). */
  gold?: Pick<EvalMetrics, 'n' | 'accuracy' | 'macroF1' | 'microF1'>;
  /** Weakest labels and most confused pairs, as diagnosed after this round's training. */
  weakest: { label: string; f1: number }[];
  confusedPairs: { gold: string; predicted: string; count: number }[];
  /**
   * Per arm (pool labeling, each generation strategy): answers spent, rows admitted, the gain in
   * mean validation log-likelihood its answers bought (measured by ablation, see loop/ablation.ts),
   * and with the teacher's price known the dollars its own requests cost (filters' checks not
   * included), which the bandit then divides the gain by.
   */
  arms?: Record<string, { answers: number; rows: number; gain?: number; dollars?: number }>;
  /** Per filter: rows removed or relabeled, answers spent, a few reasons. */
  filters?: Record<string, { removed: number; relabeled: number; answers: number; examples: string[] }>;
  /** Worst attribute values by validation error (the skill profile). */
  skills?: { attribute: string; value: string; label?: string; errorRate: number; support: number }[];
  /** Confident-learning check after this round: rows flagged, relabeled by a second opinion, answers spent. */
  labelNoise?: { flagged: number; relabeled: number; answers: number };
  trainMs: number;
}

/** A round's student, as `DistillOptions.onRound` receives it. */
export interface RoundCheckpoint {
  round: number;
  /** Teacher answers spent so far, as in the round's record. */
  answers: number;
  student: import('../student/types.js').Student;
}
