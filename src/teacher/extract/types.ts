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

/** Per-call options of `ExtractTeacher.extract`. */
export interface ExtractOptions {
  /**
   * Sampling temperature for this call (self-consistency on spans asks extra samples above 0).
   * Default: the teacher's setting. Part of the cached request, and the gate numbers identical
   * requests, so the n-th sample of a text is its own cache entry and its own answer on the budget.
   */
  temperature?: number;
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

/**
 * What to write (an LLM) or hand out (the dataset teacher) for an extraction task: texts annotated
 * like any answer. Exactly one aim: texts with mentions of `type` (the student's weak type);
 * with `confusedWith`, hard negatives for a confused pair (mentions of `type` the student could take
 * for `confusedWith`); or, with `entityFree`, texts of the task's kind with no mention at all (what
 * is not an entity).
 */
export interface ExtractGenerateRequest {
  /** The type the texts must mention (absent with `entityFree`). */
  type?: string;
  /** The type the student confuses `type` with: write mentions of `type` that look like it. */
  confusedWith?: string;
  /** Texts with no mention of any type. */
  entityFree?: boolean;
  /** Texts wanted; each is one teacher answer. */
  n: number;
  /** Texts that already exist: new ones should say something else. */
  avoid?: string[];
}

/** A written (or handed-out) text with its annotation, as an extraction answer. */
export interface GeneratedExample {
  text: string;
  spans: TeacherSpan[];
  /** Mentions the teacher listed that did not become spans (unknown type, not in its own text). */
  rejected: RejectedEntity[];
  tokens?: TokenOffsets[];
}

export interface ExtractGenerateResult {
  examples: GeneratedExample[];
  /** Whole examples that could not be used (empty text, wrong shape), with their raw JSON. */
  rejected: { raw: string; reason: string }[];
  /**
   * Answers charged, what the budget counted: an LLM is paid per example asked for, however many
   * came back usable; the dataset teacher charges the rows it handed out.
   */
  answers: number;
}

export interface ExtractTeacher {
  readonly id: string;
  readonly kind: 'llm' | 'dataset';
  /** Requests a caller should have in flight at once (as Teacher.concurrency). */
  readonly concurrency: number;
  /** One answer per input; the budget is checked before anything is bought. */
  extract(inputs: ExtractInput[], options?: ExtractOptions): Promise<ExtractResult[]>;
  /** Annotated texts aimed at a weakness (generation arms of the loop); absent: the loop only asks about the pool. */
  generate?(request: ExtractGenerateRequest): Promise<ExtractGenerateResult>;
  /**
   * Texts the loop will never train on (pool texts that nearly copy an evaluation text): a teacher
   * that hands out texts of its own (the dataset teacher) leaves them out, rather than charging for
   * rows the leakage guard would then drop.
   */
  setAside?(texts: readonly string[]): void;
  /** What a user can try when most answers are rejected. */
  readonly rejectionHint?: string;
}
