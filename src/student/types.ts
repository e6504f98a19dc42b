import type { z } from 'zod';

export interface TrainingRow {
  text: string;
  labels: string[];
  /** Relative weight of the row in the loss (default 1). */
  weight?: number;
}

export interface EpochReport {
  epoch: number;
  loss: number;
  /** Validation loss / accuracy on the internal early-stopping split, when there is one. */
  valLoss?: number;
  valAccuracy?: number;
}

export interface TrainOptions {
  labels: readonly string[];
  multiLabel: boolean;
  seed: number;
  /** Called after each epoch; the loop turns it into `train-epoch-end` events. */
  onEpoch?: (report: EpochReport) => void;
}

export interface Prediction {
  /** Predicted label(s): argmax for single-label, every label over its threshold for multi-label. */
  labels: string[];
  /** Calibrated probability per label, aligned with `student.labels`. */
  probs: Float32Array;
  /** Top-1 minus top-2 probability (single-label) or distance of the closest label to its threshold (multi-label). Low = unsure. */
  margin: number;
}

/** One feature of a text and what it adds to each label's logit (value × weight). */
export interface FeatureContribution {
  /** The n-gram as text: a word n-gram (`refund`, `my refund`) or a char n-gram in `<word>` padding (`<ref`). */
  feature: string;
  kind: 'word' | 'char';
  /** The feature's value in the text's vector (TF-IDF, normalized). */
  value: number;
  /** value × weight per label, aligned with `student.labels`. */
  contributions: number[];
}

/** Why a linear student scored a text as it did: per label, bias + Σ contributions = logit. */
export interface Explanation {
  labels: string[];
  bias: number[];
  logits: number[];
  /** Probabilities are the logits divided by this, through softmax or sigmoid. */
  temperature: number;
  features: FeatureContribution[];
}

export interface Student {
  readonly kind: string;
  readonly labels: readonly string[];
  readonly multiLabel: boolean;
  predict(text: string): Prediction;
  predictBatch(texts: readonly string[]): Prediction[];
  /** Per-feature contributions to each label's logit, for students that are linear in named features. */
  explain?(text: string): Explanation;
  /** Compact self-describing bytes; `loadStudent` reads them back with identical predictions. */
  toBytes(): Uint8Array;
}

/** A registered student kind: how to train one and how to read one back. */
export interface StudentKind<P = unknown> {
  readonly name: string;
  readonly description: string;
  readonly params: z.ZodType<P>;
  train(rows: readonly TrainingRow[], options: TrainOptions, params: P): Student;
  fromBytes(bytes: Uint8Array): Student;
  /**
   * The task's raw params for a student trained only to be compared with another on the same rows
   * (the bandit's ablations): compression steps that choose features by the rows (pruning) turned
   * off, since which features survive shifts with the rows more than the rows move the fit. Return
   * `raw` itself when nothing changes. Absent: the params as given.
   */
  forComparison?(raw: unknown): unknown;
}
