import type { AlignStatus } from '../../text/spans/align.js';
import type { Span, TokenOffsets } from '../../text/spans/types.js';
import type { RejectedEntity } from './output-schema.js';

/**
 * The extraction side of the teacher seam. One answer = one text annotated. A span keeps how it was
 * placed: `gold` when the teacher read it off a labeled file, else the alignment stage that placed
 * the LLM's surface string (exact, case, normalized, fuzzy).
 */
export type SpanStatus = AlignStatus | 'gold';

export interface TeacherSpan extends Span {
  status: SpanStatus;
}

export interface ExtractInput {
  /** Stable id of the text (util/hash textId). */
  id: string;
  text: string;
}

export type ExtractResult =
  | {
      id: string;
      ok: true;
      spans: TeacherSpan[];
      /** Mentions that did not become spans (unknown type, not in the text): raw text and why. */
      rejected: RejectedEntity[];
      /** The source's tokens, when the teacher answered from a tokenized file (CoNLL). */
      tokens?: TokenOffsets[];
    }
  | { id: string; ok: false; raw: string; reason: string };

export interface ExtractTeacher {
  readonly id: string;
  readonly kind: 'llm' | 'dataset';
  /** Requests a caller should have in flight at once (as Teacher.concurrency). */
  readonly concurrency: number;
  /** One answer per input; the budget is checked before anything is bought. */
  extract(inputs: ExtractInput[]): Promise<ExtractResult[]>;
  /** What a user can try when most answers are rejected. */
  readonly rejectionHint?: string;
}
