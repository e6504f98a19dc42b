/**
 * Types every layer shares: the bottom of the layer map (docs/architecture.md). Nothing here imports
 * from the rest of src/.
 */

/** A labeled row as read from a file (gold set, dataset teacher file, `train` input). */
export interface LabeledText {
  text: string;
  labels: string[];
}

/** Metrics of one evaluation of the student. */
export interface EvalMetrics {
  n: number;
  accuracy: number;
  macroF1: number;
  /** Multi-label only. */
  microF1?: number;
  perLabel: { label: string; precision: number; recall: number; f1: number; support: number }[];
  /** confusion[gold][pred] counts, label order as in `labels`. Single-label only. */
  confusion?: number[][];
  labels: string[];
}

/** What a teacher call is for, as the gate, the ledger and the events name it. */
export type CallKind = 'label' | 'generate' | 'other';

/** A hard budget cap. */
export type BudgetLimit = 'answers' | 'tokens' | 'dollars';

/** What a teacher call that finally failed (or was stopped) had already paid for: the provider bills every 200 it sent. */
export interface FailedCallSpend {
  httpRequests: number;
  paidRequests: number;
  inputTokens: number;
  outputTokens: number;
}

/**
 * Unlabeled pool texts addressed by position (0-based, file order), so that a pool need not be held
 * in memory: read/PoolIndex keeps them on disk, read/text-pool's arrayPool wraps an array.
 */
export interface TextPool {
  readonly size: number;
  /** Texts at the given positions, in the order given. */
  textsAt(positions: readonly number[]): string[];
  /** Every text in position order: one pass over the pool. */
  texts(): Iterable<string>;
  /** Positions of the texts whose id (util/hash textId) is `id`. */
  positionsOf(id: string): number[];
}
