import type { StopReason } from '../events.js';

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

export interface DistillSummary {
  runId: string;
  dir: string;
  status: 'complete' | 'failed';
  stopReason: StopReason;
  task: string;
  teacher: {
    id: string;
    kind: 'llm' | 'dataset';
    answers: number;
    requests: number;
    cacheHits: number;
    dollars: number;
    dollarsUsed: number;
    inputTokens: number;
    outputTokens: number;
    rejected: number;
  };
  student: { kind: string; modelBytes: number; microsPerPrediction: number };
  final: EvalMetrics & { split: 'gold' | 'validation' };
  rounds: RoundRecord[];
  trainingRows: number;
  /** Pool texts set aside before labeling because they nearly copy an evaluation row (leakage guard). */
  poolExcludedAsLeakage: number;
  /** Diversity and coverage of the final training rows. Absent in runs written before it existed. */
  data?: TrainingDataStats;
  ms: number;
}

/** Word-level diversity of a set of rows; distinct-n is corpus-size dependent, so compare like with like. */
export interface TextDiversity {
  rows: number;
  /** Distinct word unigrams / all unigrams (0 when there are none). */
  distinct1: number;
  /** Distinct word bigrams / all bigrams, bigrams taken within a text. */
  distinct2: number;
  /** Share of these rows with a near-duplicate among the other training rows. */
  nearDupRate: number;
  /** Label entropy over the task's labels divided by its maximum: 1 = perfectly balanced. */
  labelEntropy: number;
}

export interface TrainingDataStats extends TextDiversity {
  /** Character-shingle Jaccard similarity at which two rows count as near-duplicates. */
  nearDupThreshold: number;
  /** Rows per label, most first; labels of the task with no rows are listed with 0. */
  labels: { label: string; rows: number }[];
  /** Per attribute name (bookkeeping ones left out): rows carrying it, distinct values, the most common values. */
  attributes: {
    name: string;
    rows: number;
    distinct: number;
    bySource: Record<string, number>;
    values: { value: string; rows: number }[];
  }[];
  bySource: Record<string, TextDiversity>;
}

export interface DistillOptions {
  /** Run directory to write (created; must not already hold a complete run unless `overwrite`). */
  outDir: string;
  /** Teacher cache + ledger. Default: SqliteStore at `cachePath`. */
  store?: import('../store/types.js').Store;
  /** Default: `.apprentice/cache.sqlite` under the current directory. */
  cachePath?: string;
  emitter?: import('../events.js').Emitter;
  signal?: AbortSignal;
  /** Replace a complete run already in `outDir`. */
  overwrite?: boolean;
  /**
   * Called after every round's training and evaluation with that round's student, e.g. to score it
   * on data the loop must never see (a held-out set) or to keep checkpoints. It runs inside the
   * loop: what it throws fails the run, and the time it takes is the run's.
   */
  onRound?: (checkpoint: RoundCheckpoint) => void;
}

/** A round's student, as `DistillOptions.onRound` receives it. */
export interface RoundCheckpoint {
  round: number;
  /** Teacher answers spent so far, as in the round's record. */
  answers: number;
  student: import('../student/types.js').Student;
}
