import type { LabelDef } from '../task/schema.js';
import type { TextClusters } from '../text/clusters.js';

/** What a teacher needs to know about the task. */
export interface TeacherTaskContext {
  instruction: string;
  labels: LabelDef[];
  multiLabel: boolean;
  /** A few labeled examples the teacher may show in its prompt. */
  seeds?: { text: string; labels: string[] }[];
}

export interface LabelInput {
  /** Stable id of the text (see util/hash textId). */
  id: string;
  text: string;
}

/** One input's answer: a label set inside the task's labels, or a rejected answer with the raw text. */
export type LabelResult =
  | {
      id: string;
      ok: true;
      labels: string[];
      rationale?: string;
      confidence?: number;
      /**
       * Who gave the labels when it was not the teacher: `human` for a reviewer's correction from the
       * studio (withHumanLabels), answered without asking the teacher. Absent: the teacher answered.
       */
      source?: 'human';
      /** The reviewer's name, with `source: 'human'`. */
      reviewer?: string;
    }
  | { id: string; ok: false; raw: string; reason: string };

/** How to steer generation. All optional; an empty object asks for plain examples of the label. */
export interface Guidance {
  /** Ask for examples of the label that a student could mistake for this other label (hard negatives). */
  confusedWith?: string;
  /** Free-text steer ("short, angry messages"). */
  note?: string;
  /**
   * Attribute values the examples should have (`tone: angry`). Two keys mean more than a trait:
   * `leaf` is a path in a partition of the task space (`billing/refunds`), and `cluster`
   * (`billing#2`) names a cluster of the dataset teacher's texts, which it answers from.
   */
  attributes?: Record<string, string>;
  /** Texts of the label that already exist: new examples should say something else. */
  avoid?: string[];
  /**
   * Texts the examples should stay close to in topic and style (multi-hop expansion). The dataset
   * teacher hands out the unused rows nearest to them.
   */
  anchors?: string[];
}

export interface GenerateRequest {
  label: string;
  guidance?: Guidance;
  /** Number of examples wanted; each is one teacher answer. */
  n: number;
}

export interface GenerateResult {
  label: string;
  texts: string[];
  /** Generated items that could not be used (empty, wrong shape), with their raw text. */
  rejected: { raw: string; reason: string }[];
  /**
   * Answers this request was charged, what the budget counted: an LLM is paid per example asked
   * for, however many came back usable; the dataset teacher charges the rows it handed out.
   */
  answers: number;
}

/** Options of one `label` call. */
export interface LabelOptions {
  /** Sampling temperature for this call (self-consistency asks several samples above 0). Default: the teacher's setting. */
  temperature?: number;
}

/**
 * A free-form structured question: propose attribute dimensions, partition the task space, extract
 * attributes from texts. Costs tokens but yields no training answer by itself (answers = 0).
 */
export interface AskRequest {
  /** What the question is for (`attributes`, `partition`, `extract`, …); part of the cache key. */
  purpose: string;
  /**
   * The question in words; the teacher adds the task (instruction, labels) around it. Untrusted
   * text inside must be JSON-encoded by the caller.
   */
  prompt: string;
  /**
   * Shape of the answer; sent to the provider as structured output. A top-level object whose
   * fields are all required (OpenAI's strict mode refuses anything else); lists instead of records.
   */
  schema: import('zod').ZodType;
  /** Sampling temperature (default: the teacher's setting). */
  temperature?: number;
}

export type AskResult = { ok: true; value: unknown } | { ok: false; raw: string; reason: string };

/**
 * A teacher labels inputs and writes examples. Implementations go through a CallGate
 * (src/teacher/call-gate.ts) for every request, which caches, accounts and enforces the budget.
 */
export interface Teacher {
  /** `provider:model`, e.g. `openai:gpt-4o-mini` or `dataset:/abs/path.jsonl`. */
  readonly id: string;
  /**
   * `dataset` teachers answer from a labeled file. For people only (the report and the CLI say
   * so): code decides by the capabilities below, never by the kind.
   */
  readonly kind: 'llm' | 'dataset';
  /**
   * How many requests a caller should have in flight at once. An LLM teacher declares its
   * `teacher.concurrency` (it queues anything beyond); the dataset teacher declares 1, since what
   * it hands out depends on what it handed out before, so parallel requests would make a run's
   * answers depend on timing.
   */
  readonly concurrency: number;
  /** Max inputs per `label` call that share one request; the loop may pass more (the teacher splits). */
  label(inputs: LabelInput[], options?: LabelOptions): Promise<LabelResult[]>;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /**
   * Free-form structured questions. LLM teachers answer them; the dataset teacher has no such
   * knowledge and leaves this undefined, so strategies fall back to what the data itself shows.
   */
  ask?(request: AskRequest): Promise<AskResult>;
  /**
   * Extraction answers (one per text) for an extraction task's types: LLM teachers give them; an
   * extraction task's dataset teacher is its own class (src/data/extract/dataset-extract-teacher.ts).
   */
  extract?(
    inputs: import('./extract/types.js').ExtractInput[],
    task: import('./extract/prompts.js').ExtractTaskContext,
    options?: import('./extract/types.js').ExtractOptions,
  ): Promise<import('./extract/types.js').ExtractResult[]>;
  /** Annotated texts for an extraction task aimed at a weakness (LLM teachers; see ExtractTeacher.generate). */
  extractGenerate?(
    request: import('./extract/types.js').ExtractGenerateRequest,
    task: import('./extract/prompts.js').ExtractTaskContext,
  ): Promise<import('./extract/types.js').ExtractGenerateResult>;
  /**
   * Per-label clusters of the texts the teacher answers from, when it has any: the dataset
   * teacher's file, clustered with the run seed. `cluster` guidance (`billing#2`) names them, so
   * strategies with no LLM to ask use them as attribute values and leaves, and the skill profile
   * assigns validation rows to the same clusters. An LLM teacher has no texts and leaves this out.
   */
  clusters?(): TextClusters;
  /**
   * What a user can try when most of this teacher's answers are rejected (the loop stops the run
   * then, and says this): a smaller batch for an LLM, a file that covers the pool for a dataset.
   */
  readonly rejectionHint?: string;
}
