import type { StopReason } from '../../events.js';
import type { SpanNoiseCounts } from '../../loop/extract/filters/types.js';
import type { SpanScores } from '../../metrics/spans.js';
import type { TypeConfusion } from '../../metrics/span-confusion.js';

/** One round of an extraction run, as the summary and the report show it. */
export interface ExtractCurvePoint {
  round: number;
  arm: 'random' | 'uncertainty';
  trainSize: number;
  answers: number;
  dollars: number;
  /** Span F1 (micro, exact) on the teacher-annotated validation split. */
  validationF1: number;
  /** Span F1 on the gold eval file, when given. */
  goldF1?: number;
  trainMs: number;
  /**
   * With generation arms: per arm (`pool`, `weak-type`, `hard-negative`, `entity-free`) the answers
   * the bandit's split gave it, what it spent, the rows it added and the ablation gain they bought.
   */
  arms?: Record<string, { share: number; answers: number; rows: number; dollars?: number; gain?: number }>;
}

/** How the spans of the training rows were placed, and what could not be used. */
export interface AlignmentCounts {
  /** Spans per status: `gold` (a labeled file or seed), `exact`, `case`, `normalized`, `fuzzy`. */
  spans: Record<string, number>;
  /** Mentions that did not become spans (unknown type, not in the text). */
  rejectedMentions: number;
  /** Answers that could not be used at all. */
  rejectedAnswers: number;
}

/** What one span filter did (summed over a run, or one round): src/loop/extract/filters/. */
export interface ExtractFilterCounts {
  /** Rows checked (samples or a second answer bought for them). */
  checked: number;
  /** Rows passed on unchecked because the answers ran out. */
  unchecked: number;
  /** Teacher spans the filter took out (of kept rows and of rejected ones). */
  spansDropped: number;
  /** Rows dropped whole (in rejected.jsonl with the reason). */
  rowsRejected: number;
  /** Teacher answers the filter spent (each on the answer budget). */
  answers: number;
}

/** The label-noise check on spans: out-of-fold span students over each round's new rows (the loop's counts, as summary.json holds them). */
export type ExtractNoiseCounts = SpanNoiseCounts;

/** summary.json `filters` of an extraction run with any span filter on. */
export interface ExtractFilterSummary {
  settings: { selfConsistency: number; minAgreement: number; verify: string; labelNoise: string };
  totals: { selfConsistency: ExtractFilterCounts; verify: ExtractFilterCounts; labelNoise: ExtractNoiseCounts };
  rounds: {
    round: number;
    selfConsistency?: ExtractFilterCounts;
    verify?: ExtractFilterCounts;
    labelNoise?: ExtractNoiseCounts;
  }[];
  /** Flagged rows listed in review.jsonl (`labelNoise: review`). */
  reviewRows: number;
}

/** A text with gold and predicted spans, for the report's examples. */
export interface ExtractExample {
  text: string;
  gold: { start: number; end: number; type: string }[];
  predicted: { start: number; end: number; type: string; confidence?: number }[];
}

/** summary.json of an extraction run (`kind: "extract"`). Metrics are span-level, on `final.split`. */
export interface ExtractDistillSummary {
  kind: 'extract';
  formatVersion?: number;
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
  /** Micro, exact span and type. */
  precision: number;
  recall: number;
  f1: number;
  partialF1: number;
  macroF1: number;
  perType: Record<string, SpanScores>;
  final: { split: 'gold' | 'validation'; n: number };
  curve: ExtractCurvePoint[];
  trainingRows: number;
  /** Training rows per source as training.jsonl has them (`seed`, `human`, `random`, `uncertainty`, `generated`). */
  rowsBySource?: Record<string, number>;
  /** Training rows per bandit arm that bought them (`pool` and the generation arms; seeds are not counted). */
  rowsByArm?: Record<string, number>;
  /** Generated rows kept out of training, per filter (`dedup`, `leakage`); in rejected.jsonl as `kind: "filtered"`. */
  filtered?: Record<string, number>;
  validationRows: number;
  poolExcludedAsLeakage: number;
  alignment: AlignmentCounts;
  /**
   * Reviewers' span corrections from the studio this run used: texts whose spans a person accepted
   * or drew (rows with source `human`, never sent to the teacher, not paid for), texts rejected and
   * left out, and the corrections file. Absent when corrections were off or there were none to read.
   */
  human?: { rows: number; unusable: number; file: string };
  /** A student retrained from another extraction run's rows (`apprentice retrain`): span scores on gold before and after. */
  retrain?: {
    of: string;
    before?: ExtractRetrainScores;
    after: ExtractRetrainScores;
    rows: number;
    human: number;
    unusable: number;
  };
  /** What the span filters did (self-consistency, verification, label noise), when any was on. */
  filters?: ExtractFilterSummary;
  ms: number;
}

/** Micro span precision, recall and F1 (exact span and type) on `n` gold texts. */
export interface ExtractRetrainScores {
  precision: number;
  recall: number;
  f1: number;
  n: number;
}

export interface ExtractReportData {
  summary: ExtractDistillSummary;
  confusion: TypeConfusion;
  examples: ExtractExample[];
  generatedAt?: string;
}
