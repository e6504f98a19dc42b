import { z } from 'zod';

/**
 * The task file, as written by the user (YAML or JSON). Paths inside are relative to the task
 * file; `loadTask` resolves them. Every field a user may get wrong is checked here, so the error
 * can name the field.
 */

const LabelSpec = z.union([
  z.string().min(1),
  z
    .object({
      name: z.string().min(1, 'a label needs a non-empty name'),
      description: z.string().optional(),
    })
    .strict(),
]);

const SeedExample = z
  .object({
    text: z.string().min(1, 'a seed example needs non-empty text'),
    label: z.string().optional(),
    labels: z.array(z.string()).optional(),
  })
  .strict()
  .refine((s) => s.label !== undefined || s.labels !== undefined, {
    message: 'a seed example needs `label` (or `labels` for a multi-label task)',
  });

export const PriceSchema = z
  .object({
    /** US dollars per million input tokens. */
    inputPerMTok: z.number().nonnegative(),
    /** US dollars per million output tokens. */
    outputPerMTok: z.number().nonnegative(),
  })
  .strict();

export const TeacherSettingsSchema = z
  .object({
    /** `provider:model`: `openai:gpt-4o-mini`, `anthropic:claude-3-5-haiku-latest`, `openai-compatible:llama3.1`, `dataset:./labeled.jsonl`. */
    model: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]*:.+$/,
        'expected `provider:model`, e.g. `openai:gpt-4o-mini` or `dataset:./labeled.jsonl`',
      ),
    /** Base URL for OpenAI-compatible servers (vLLM, Ollama, llama.cpp, LM Studio) or a proxy. */
    baseUrl: z.string().url().optional(),
    /** Name of the environment variable holding the API key. Keys never go in the task file. */
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .optional(),
    /** Inputs labeled per HTTP request. */
    batchSize: z.number().int().min(1).max(100).default(10),
    /** HTTP requests in flight at once. */
    concurrency: z.number().int().min(1).max(64).default(4),
    /**
     * `batch`: requests go out through the provider's batch API (OpenAI Batch, Anthropic Message
     * Batches) at half the price, answered within 24 h; `online`: one HTTP request each.
     */
    mode: z.enum(['online', 'batch']).default('online'),
    /** Batch mode: first wait between polls of a batch, in milliseconds; it doubles up to a minute. */
    batchPollMs: z.number().int().min(1).default(10_000),
    /** Batch mode: a batch goes out once no new request has come for this long, in milliseconds. */
    batchWindowMs: z.number().int().min(1).default(500),
    /** Ask for a one-sentence rationale with every label. */
    rationale: z.boolean().default(false),
    temperature: z.number().min(0).max(2).default(0),
    /**
     * Sampling temperature of generation requests. Above 0 so that asking twice for examples of the
     * same label yields different texts; labeling keeps `temperature`.
     */
    generateTemperature: z.number().min(0).max(2).default(0.9),
    /** Maximum output tokens per request. */
    maxOutputTokens: z.number().int().positive().default(2048),
    /** Retries of a retryable HTTP failure (429/5xx/timeouts) per request. */
    maxRetries: z.number().int().min(0).max(20).default(4),
    /** Retries of an answer that broke the schema, before it is kept as a rejected row. */
    maxOutputRetries: z.number().int().min(0).max(5).default(1),
    /** Per-request timeout in milliseconds. */
    timeoutMs: z.number().int().positive().default(60_000),
    /** First wait before retrying a failed request; doubles with every retry. A server's `retry-after` wins. */
    retryBaseMs: z.number().int().min(0).max(60_000).default(1000),
    /** Client-side cap on HTTP requests per minute, retries included (off when unset). */
    requestsPerMinute: z.number().positive().optional(),
    /** Client-side cap on tokens per minute, counting each request's prompt plus maxOutputTokens, as providers do (off when unset). */
    tokensPerMinute: z.number().positive().optional(),
    /** Override the built-in price table for this model. */
    price: PriceSchema.optional(),
    /** Dataset teacher only: fraction of answers made wrong, mostly towards similar labels. */
    noise: z.number().min(0).max(1).default(0),
    /**
     * Dataset teacher of an extraction task only: the LLM-shaped mistakes, each a probability per
     * gold span (`missed`: left out; `wrongType`: another type; `boundary`: a token more or less).
     * Unset, `noise` is shared equally among the three.
     */
    spanNoise: z
      .object({
        missed: z.number().min(0).max(1).default(0),
        wrongType: z.number().min(0).max(1).default(0),
        boundary: z.number().min(0).max(1).default(0),
      })
      .strict()
      .optional(),
  })
  .strict();

export const StudentSettingsSchema = z
  .object({
    kind: z.string().default('hashed-linear'),
    /** Passed to the student kind; each kind validates its own parameters. */
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const BudgetSchema = z
  .object({
    /** Hard cap on teacher answers: one input labeled or one example generated. */
    answers: z.number().int().positive().optional(),
    /** Hard cap on tokens (input + output). */
    tokens: z.number().int().positive().optional(),
    /** Hard cap on US dollars. */
    dollars: z.number().positive().optional(),
    /**
     * `distill` asks before a run whose planned cost (`apprentice plan`) is above this many dollars;
     * `--yes` answers for you. Without a terminal to ask on, the run refuses to start.
     */
    confirmAbove: z.number().min(0).optional(),
  })
  .strict();

export const LoopSettingsSchema = z
  .object({
    /**
     * How pool inputs are chosen each round. `closed-loop` (default): uncertainty with diversity plus
     * generation aimed at weak and confused labels. `margin`: lowest-margin pool inputs only.
     * `random`: random pool inputs only. The last two exist as baselines for benchmarks.
     */
    strategy: z.enum(['closed-loop', 'margin', 'random']).default('closed-loop'),
    /** Pool inputs labeled by the teacher in round 0. */
    initialLabels: z.number().int().min(0).default(200),
    /** Examples generated per label in round 0. */
    initialGeneratePerLabel: z.number().int().min(0).default(2),
    /** Teacher answers spent per later round. */
    answersPerRound: z.number().int().positive().default(200),
    /** Share of a round's answers spent on labeling uncertain pool inputs; the rest on generation. */
    poolShare: z.number().min(0).max(1).default(0.8),
    maxRounds: z.number().int().min(0).default(20),
    /** Stop when validation macro-F1 has not improved for this many rounds. */
    patience: z.number().int().min(1).default(3),
    /** Minimum improvement that counts as one. */
    minDelta: z.number().min(0).default(0.002),
    /** Size of the teacher-labeled validation split when no gold file is given. */
    validationSize: z.number().int().min(10).default(200),
    /** Candidate pool inputs scored per round (a random subset of the unlabeled pool, for speed). */
    candidatePool: z.number().int().positive().default(5000),
  })
  .strict();

export const GENERATION_STRATEGIES = [
  'weak-label',
  'hard-negative',
  'attribute',
  'tree',
  'multi-hop',
  'retrieve',
] as const;

export const SKILL_PROFILE_MODES = ['off', 'report', 'steer'] as const;
export type SkillProfileMode = (typeof SKILL_PROFILE_MODES)[number];
/** What steering by the skill profile aims: pool picks, generation requests, training row weights. */
export const SKILL_STEER_TARGETS = ['pool', 'generation', 'weights'] as const;
export type SkillSteerTarget = (typeof SKILL_STEER_TARGETS)[number];

export const DataSettingsSchema = z
  .object({
    /**
     * Generation strategies the loop may use; the bandit shares each round's generation answers among
     * them by what their rows are worth. `weak-label`: examples of the weakest labels. `hard-negative`:
     * examples of a label written to be mistakable for the label the student confuses it with.
     * `attribute`: attribute-conditioned (AttrPrompt). `tree`: leaves of a partition of the task space
     * (TreeSynth). `multi-hop`: expansion from the seeds (AIDE). `retrieve`: texts from `retrieveFrom`
     * labeled by the teacher.
     */
    strategies: z.array(z.enum(GENERATION_STRATEGIES)).min(1).default(['weak-label', 'hard-negative']),
    /** Corpus (JSONL/CSV/lines) the `retrieve` strategy draws texts from. */
    retrieveFrom: z.string().optional(),
    /** Hops of the `multi-hop` strategy. */
    hops: z.number().int().min(1).max(10).default(3),
    /** A second teacher call confirms each generated row's label; a disagreement drops or relabels it. */
    verify: z.enum(['off', 'drop', 'relabel']).default('off'),
    /** Label samples per pool input (1 = off); their agreement becomes the row's confidence. */
    selfConsistency: z.number().int().min(1).max(9).default(1),
    /** Rows below this self-consistency agreement are dropped. */
    minAgreement: z.number().min(0).max(1).default(0.5),
    /** Similarity (0..1, character-shingle MinHash) above which a new row is a near-duplicate and dropped. */
    dedupThreshold: z.number().min(0).max(1).default(0.9),
    /** Drop training rows that are near-duplicates of an evaluation row (and set such pool texts aside unlabeled). */
    leakageGuard: z.boolean().default(true),
    /** Similarity (0..1, character shingles) at or above which a row counts as a copy of an evaluation row. */
    leakageThreshold: z.number().min(0).max(1).default(0.8),
    /** Confident-learning check of training labels: `relabel` asks for a second opinion, `review` lists them (review.jsonl). */
    labelNoise: z.enum(['off', 'relabel', 'review']).default('off'),
    /** A stronger teacher (`provider:model`) for second opinions on flagged labels; default: the task's teacher, sampled afresh. */
    reviewTeacher: z
      .string()
      .regex(/^[a-z][a-z0-9-]*:.+$/, 'expected `provider:model`')
      .optional(),
    /**
     * The skill profile: validation error per attribute value. `report` measures it every round for
     * the report; `steer` also aims the loop at the worst values (what `skillSteer` names); `off`
     * does neither. `true` / `false` mean `steer` / `off`.
     */
    skillProfile: z
      .union([z.boolean(), z.enum(SKILL_PROFILE_MODES)])
      .default('report')
      .transform((v): SkillProfileMode => (v === true ? 'steer' : v === false ? 'off' : v)),
    /**
     * What `skillProfile: steer` aims at the weak values. `pool`: a share of each round's pool picks
     * goes to them (skill-targeted acquisition). `generation`: the attribute and weak-label strategies
     * write for them. `weights`: training rows in them weigh more. Default `pool`, the one measured
     * to save answers (docs/data.md).
     */
    skillSteer: z.array(z.enum(SKILL_STEER_TARGETS)).min(1).default(['pool']),
    /** Share generation answers among strategies by measured gain per answer (off: equal shares). */
    bandit: z.boolean().default(true),
  })
  .strict();

export const TaskFileSchema = z
  .object({
    /** The task kind (src/task/kinds.ts). Absent means `classify`. */
    kind: z.literal('classify').optional(),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" and "-" (it names the run directory)'),
    instruction: z.string().min(10, 'describe the task in a sentence or more: the teacher reads it'),
    multiLabel: z.boolean().default(false),
    labels: z.array(LabelSpec).min(2, 'a classification task needs at least two labels'),
    seeds: z.array(SeedExample).default([]),
    /** Unlabeled inputs: JSONL (`text` field), CSV (`text` column) or one text per line. */
    pool: z.string().optional(),
    /** Gold labeled evaluation file (JSONL with `text` and `label`/`labels`). */
    eval: z.string().optional(),
    teacher: TeacherSettingsSchema,
    student: StudentSettingsSchema.default({ kind: 'hashed-linear', params: {} }),
    budget: BudgetSchema.default({}),
    loop: LoopSettingsSchema.default(LoopSettingsSchema.parse({})),
    data: DataSettingsSchema.default(DataSettingsSchema.parse({})),
    seed: z.number().int().default(42),
  })
  .strict();

export type TaskFile = z.input<typeof TaskFileSchema>;

const ExtractSeedEntity = z
  .object({
    type: z.string().min(1, 'an entity needs a non-empty type'),
    /** The mention as written in the seed's text (the k-th listing of a string is its k-th occurrence). */
    text: z.string().min(1, 'an entity needs its non-empty text'),
  })
  .strict();

const ExtractSeed = z
  .object({
    text: z.string().min(1, 'a seed example needs non-empty text'),
    /** The mentions in the text; an empty list says the text has none (worth showing too). */
    entities: z.array(ExtractSeedEntity).default([]),
  })
  .strict();

/**
 * An extraction task (`kind: extract`): the teacher marks mentions of `types` (entity types or
 * attribute names) in each text; the student learns to tag them. Everything but the labels and the
 * seeds is as in a classification task.
 */
export const ExtractTaskFileSchema = TaskFileSchema.omit({ kind: true, labels: true, multiLabel: true, seeds: true })
  .extend({
    kind: z.literal('extract'),
    /** Entity types or attribute names: a plain name, or a name with a description the teacher reads. */
    types: z.array(LabelSpec).min(1, 'an extraction task needs at least one type'),
    seeds: z.array(ExtractSeed).default([]),
    student: StudentSettingsSchema.default({ kind: 'sequence-perceptron', params: {} }),
  })
  .strict();

export type ExtractTaskFile = z.input<typeof ExtractTaskFileSchema>;

/** A seed of an extraction task, its mentions placed at offsets (end exclusive). */
export interface SpanSeed {
  text: string;
  spans: { start: number; end: number; type: string; text: string }[];
}
export type TeacherSettings = z.infer<typeof TeacherSettingsSchema>;
export type StudentSettings = z.infer<typeof StudentSettingsSchema>;
export type Budget = z.infer<typeof BudgetSchema>;
export type LoopSettings = z.infer<typeof LoopSettingsSchema>;
export type Price = z.infer<typeof PriceSchema>;
export type DataSettings = z.infer<typeof DataSettingsSchema>;

export interface LabelDef {
  name: string;
  description?: string;
}

/** A validated task with paths resolved to absolute ones and labels normalized. */
export interface Task {
  /** Task kind (src/task/kinds.ts); absent means `classify`. */
  kind?: 'classify' | 'extract';
  name: string;
  instruction: string;
  multiLabel: boolean;
  labels: LabelDef[];
  /** Classification seeds. An extraction task has none here: its seeds are `spanSeeds`. */
  seeds: { text: string; labels: string[] }[];
  /** Extraction only: the seeds with their mentions placed. (`labels` then holds the types.) */
  spanSeeds?: SpanSeed[];
  pool?: string;
  eval?: string;
  teacher: TeacherSettings;
  student: StudentSettings;
  budget: Budget;
  loop: LoopSettings;
  data: DataSettings;
  seed: number;
  /** Absolute path of the task file, when it came from one. */
  file?: string;
}
