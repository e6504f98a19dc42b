/**
 * The application's types: what a run directory holds and what `distill` takes and returns.
 */
import type { StopReason, Emitter } from '../events.js';
import type { EvalMetrics } from '../core/types.js';
import type { RoundCheckpoint, RoundRecord } from '../loop/types.js';
import type { Store } from '../store/types.js';
import type { CostPlan } from './plan.js';

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
  /** What the run was planned to spend before it started (`apprentice plan`). Absent in runs written before it existed. */
  plan?: CostPlan;
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
  store?: Store;
  /** Default: `.apprentice/cache.sqlite` under the current directory. */
  cachePath?: string;
  emitter?: Emitter;
  signal?: AbortSignal;
  /** Replace a complete run already in `outDir`. */
  overwrite?: boolean;
  /**
   * Called after every round's training and evaluation with that round's student, e.g. to score it
   * on data the loop must never see (a held-out set) or to keep checkpoints. It runs inside the
   * loop: what it throws fails the run, and the time it takes is the run's.
   */
  onRound?: (checkpoint: RoundCheckpoint) => void;
  /** The cost plan the caller already made (e.g. to confirm it); default: planned from the data read. */
  plan?: CostPlan;
}
