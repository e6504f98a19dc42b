import type { z } from 'zod';
import type { Span, TokenOffsets } from '../../text/spans/types.js';
import type { EpochReport } from '../types.js';

/**
 * Extraction students. The classification `Student` answers label probabilities per text; an
 * extraction student answers spans, so it has its own interface beside it rather than a
 * classification interface stretched to fit. A `SpanStudentKind` saves into the same APSM
 * container (src/student/model-file.ts) with its kind in the header, so one registry can load both
 * once the task-kind registry lands.
 */

export interface SpanTrainingRow {
  text: string;
  spans: readonly Span[];
  /** The source's tokens (CoNLL); without them the student tokenizes `text` itself. */
  tokens?: readonly TokenOffsets[];
  /** Relative weight in training (default 1; 0 teaches nothing). */
  weight?: number;
}

export interface SpanTrainOptions {
  /** Entity types / attribute names; spans of other types are ignored. */
  types: readonly string[];
  seed: number;
  onEpoch?: (report: EpochReport) => void;
}

export interface PredictedSpan extends Span {
  /** Probability, under the calibrated model, that exactly this span with this type is in the text. */
  confidence: number;
}

export interface SpanPrediction {
  spans: PredictedSpan[];
  tokens: TokenOffsets[];
  /** Probability of the whole predicted tagging: low = the student is unsure about this text. */
  confidence: number;
}

export interface SpanInput {
  text: string;
  tokens?: readonly TokenOffsets[];
}

export interface SpanStudent {
  readonly kind: string;
  readonly types: readonly string[];
  predict(text: string, tokens?: readonly TokenOffsets[]): SpanPrediction;
  predictBatch(inputs: readonly (string | SpanInput)[]): SpanPrediction[];
  /** Compact self-describing bytes; the kind's `fromBytes` reads them back with identical predictions. */
  toBytes(): Uint8Array;
}

export interface SpanStudentKind<P = unknown> {
  readonly name: string;
  readonly description: string;
  readonly params: z.ZodType<P>;
  train(rows: readonly SpanTrainingRow[], options: SpanTrainOptions, params: P): SpanStudent;
  fromBytes(bytes: Uint8Array): SpanStudent;
}
