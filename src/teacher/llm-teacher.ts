import type { CallKind } from '../core/types.js';
import { z } from 'zod';
import { BudgetExceededError, ConfigError } from '../errors.js';
import type { Emitter } from '../events.js';
import type { TeacherSettings } from '../task/schema.js';
import { Semaphore } from '../util/semaphore.js';
import type { CallGate } from './call-gate.js';
import { callModel, type ModelCallBody } from './model-call.js';
import {
  type Envelope,
  generateAnswerSchema,
  generateEnvelope,
  labelAnswerSchema,
  labelEnvelope,
  parseAskAnswer,
  parseGenerateAnswer,
  parseLabelAnswer,
} from './output-schema.js';
import { askPrompt, estimateInputTokens, generationPrompt, labelingPrompt, type Prompt } from './prompts.js';
import { resolveProvider, type ResolvedProvider } from './providers.js';
import { BatchQueue } from './batch/batch-queue.js';
import { type ExtractCallPort, extractWithLlm } from './extract/llm-extract.js';
import { generateWithLlm } from './extract/llm-generate.js';
import type { ExtractTaskContext } from './extract/prompts.js';
import type {
  ExtractGenerateRequest,
  ExtractGenerateResult,
  ExtractInput,
  ExtractOptions,
  ExtractResult,
} from './extract/types.js';
import { openAiBatchApi } from './batch/openai-batch.js';
import { anthropicBatchApi } from './batch/anthropic-batch.js';
import type {
  AskRequest,
  AskResult,
  GenerateRequest,
  GenerateResult,
  LabelInput,
  LabelOptions,
  LabelResult,
  Teacher,
  TeacherTaskContext,
} from './types.js';

export interface LlmTeacherOptions {
  settings: TeacherSettings;
  task: TeacherTaskContext;
  gate: CallGate;
  emitter?: Emitter;
  /** Where API keys are read from; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
  /** Underlying fetch; the global one by default. */
  fetch?: typeof globalThis.fetch;
  /** Stops requests in flight and waits between attempts (Ctrl-C); a stopped call caches nothing. */
  signal?: AbortSignal;
}

/** Answers this teacher could not use, since it was created. */
export interface LlmTeacherStats {
  rejectedRows: number;
  rejectedExamples: number;
  /** Answers asked again because their JSON was unusable, or HTTP attempts retried. */
  retries: number;
}

/** One request of this teacher, as `callGate` sends it through the gate. */
interface TeacherGateCall {
  kind: CallKind;
  prompt: Prompt;
  /** Shape of the answer, sent as structured output. */
  schema: z.ZodType;
  /** The schema's name for the provider ([A-Za-z0-9_-] only). */
  schemaName: string;
  /** Teacher answers the call yields (0 for questions). */
  answers: number;
  /** Whole-answer check; an answer that fails it is asked again. */
  check: (text: string, truncated: boolean) => Envelope<unknown>;
  temperature: number;
  /** More of what shapes the answer (the question's purpose): part of the cache key. */
  extra?: Record<string, unknown>;
}

/**
 * The AI SDK prints its warnings to the console unless told otherwise, and the library never
 * prints. Warnings still reach the user: each teacher forwards its calls' warnings as events. A
 * host that configured the global itself keeps its choice.
 */
function silenceSdkConsoleWarnings(): void {
  const g = globalThis as { AI_SDK_LOG_WARNINGS?: unknown };
  if (g.AI_SDK_LOG_WARNINGS === undefined) g.AI_SDK_LOG_WARNINGS = false;
}

/** Requests a batch-mode teacher lets wait at once: far more than a round asks. */
const BATCH_CONCURRENCY = 10_000;

function batchQueueFor(provider: ResolvedProvider, options: Omit<LlmTeacherOptions, 'env'>): BatchQueue {
  const api =
    provider.provider === 'openai' ? openAiBatchApi : provider.provider === 'anthropic' ? anthropicBatchApi : undefined;
  if (!api) {
    throw new ConfigError(`teacher.mode: batch needs a provider with a batch API; "${provider.provider}" has none`, {
      field: 'teacher.mode',
      hint: 'use openai: or anthropic: (with --base-url for a gateway that speaks their batch API), or teacher.mode: online',
    });
  }
  return new BatchQueue({
    api,
    baseUrl: provider.baseUrl,
    log: options.gate.batchLog,
    fetch: options.fetch,
    windowMs: options.settings.batchWindowMs,
    pollMs: options.settings.batchPollMs,
    signal: options.signal,
    onProgress: (p) =>
      options.emitter?.emit({
        type: 'teacher-batch',
        id: p.id,
        status: p.status,
        total: p.total,
        completed: p.completed,
        failed: p.failed,
        resumed: p.resumed,
      }),
  });
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function readBody(body: unknown): { text: string; truncated: boolean } {
  const b = body as Partial<ModelCallBody> | null;
  // Anything else is a cache entry this code did not write; its rows become rejected, with the entry as raw.
  if (typeof b?.text !== 'string') return { text: JSON.stringify(body) ?? '', truncated: false };
  return { text: b.text, truncated: b.finishReason === 'length' };
}

/** A teacher backed by an LLM through the Vercel AI SDK: OpenAI, Anthropic or any OpenAI-compatible server. */
export class LlmTeacher implements Teacher {
  readonly kind = 'llm' as const;
  readonly id: string;
  readonly concurrency: number;
  get rejectionHint(): string {
    return (
      `check that the model (${this.id}) follows the answer format: try a smaller teacher.batchSize ` +
      '(fewer texts per request are easier to number and answer), a more capable model, or check that ' +
      "teacher.baseUrl serves the model you meant; every rejection is in the run directory's events.jsonl (teacher-rejected)"
    );
  }
  private readonly provider: ResolvedProvider;
  private readonly slots: Semaphore;
  private readonly counts: LlmTeacherStats = { rejectedRows: 0, rejectedExamples: 0, retries: 0 };
  private readonly warned = new Set<string>();
  private readonly batch?: BatchQueue;

  private readonly options: Omit<LlmTeacherOptions, 'env'>;

  constructor({ env, ...options }: LlmTeacherOptions) {
    if (options.task.labels.length === 0) {
      throw new ConfigError('the task has no labels for the teacher to choose from', { field: 'labels' });
    }
    // `env` is used here and dropped: holding it would put every key in it one console.log away.
    this.options = options;
    this.id = options.settings.model;
    this.provider = resolveProvider(options.settings, env);
    // Shared by all calls of this teacher: `concurrency` bounds its requests in flight, however
    // many label() and generate() calls the loop makes at once.
    // In batch mode a request waits for its batch, not for a slot: everything a round asks at once
    // should be in the same batch.
    this.batch = options.settings.mode === 'batch' ? batchQueueFor(this.provider, options) : undefined;
    this.concurrency = this.batch ? BATCH_CONCURRENCY : options.settings.concurrency;
    this.slots = new Semaphore(this.concurrency);
    silenceSdkConsoleWarnings();
  }

  stats(): LlmTeacherStats {
    return { ...this.counts };
  }

  async label(inputs: LabelInput[], options: LabelOptions = {}): Promise<LabelResult[]> {
    if (inputs.length === 0) return [];
    // Checked up front: once one batch has been bought, failing a later one would throw its answers away.
    const remaining = this.options.gate.remainingAnswers();
    if (inputs.length > remaining) {
      throw new BudgetExceededError(
        'answers',
        `labeling ${inputs.length} inputs needs ${inputs.length} answers but only ${remaining} remain`,
      );
    }
    const batches = chunk(inputs, this.options.settings.batchSize);
    const temperature = options.temperature ?? this.options.settings.temperature;
    const results = await this.runAll(batches.map((batch) => () => this.labelBatch(batch, temperature)));
    return results.flat();
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const { label, n, guidance } = request;
    if (!this.options.task.labels.some((l) => l.name === label)) {
      throw new RangeError(`cannot generate examples for "${label}": it is not one of the task's labels`);
    }
    if (!Number.isInteger(n) || n < 1) return { label, texts: [], rejected: [], answers: 0 };
    const [result] = await this.runAll([() => this.generateOnce(label, n, guidance)]);
    return result;
  }

  /**
   * One structured question, outside the answer budget: it buys knowledge about the task, not a
   * training row. The answer is checked against the caller's schema and asked again like any other.
   */
  async ask(request: AskRequest): Promise<AskResult> {
    const { schema, purpose } = request;
    const prompt = askPrompt(this.options.task, request.prompt);
    const temperature = request.temperature ?? this.options.settings.temperature;
    const check = (text: string, truncated: boolean) => parseAskAnswer(text, schema, truncated);
    const [answer] = await this.runAll([
      // OpenAI accepts only [A-Za-z0-9_-] in a schema name.
      () =>
        this.callGate({
          kind: 'other',
          prompt,
          schema,
          schemaName: purpose.replace(/[^A-Za-z0-9_-]/g, '_') || 'answer',
          answers: 0,
          check,
          temperature,
          extra: { purpose },
        }),
    ]);
    const parsed = parseAskAnswer(answer.text, schema, answer.truncated);
    if (parsed.ok) return { ok: true, value: parsed.value };
    this.warnOnce(`the teacher's answer to a "${purpose}" question could not be used: ${parsed.problem}`);
    return { ok: false, raw: answer.text, reason: parsed.problem };
  }

  /**
   * Extraction answers (src/teacher/extract/llm-extract.ts): one request and one answer per text,
   * through the same gate, cache and budget as labels. Checked up front like `label`.
   */
  async extract(inputs: ExtractInput[], task: ExtractTaskContext, options?: ExtractOptions): Promise<ExtractResult[]> {
    if (inputs.length === 0) return [];
    const remaining = this.options.gate.remainingAnswers();
    if (inputs.length > remaining) {
      throw new BudgetExceededError(
        'answers',
        `annotating ${inputs.length} texts needs ${inputs.length} answers but only ${remaining} remain`,
      );
    }
    return extractWithLlm(this.extractPort(), task, inputs, options);
  }

  /**
   * Annotated texts for an extraction task aimed at a weakness (src/teacher/extract/llm-generate.ts):
   * one request for `n` texts, charged `n` answers as classification's `generate` is.
   */
  async extractGenerate(request: ExtractGenerateRequest, task: ExtractTaskContext): Promise<ExtractGenerateResult> {
    return generateWithLlm(this.extractPort(), task, request);
  }

  private extractPort(): ExtractCallPort {
    return {
      call: (c) => this.callGate(c),
      runAll: (jobs) => this.runAll(jobs),
      temperature: this.options.settings.temperature,
      generateTemperature: this.options.settings.generateTemperature,
      onRejected: (id, reason, kind = 'label') => {
        if (kind === 'generate') this.counts.rejectedExamples++;
        else this.counts.rejectedRows++;
        this.options.emitter?.emit({ type: 'teacher-rejected', kind, input: id, reason });
      },
    };
  }

  private async labelBatch(batch: LabelInput[], temperature: number): Promise<LabelResult[]> {
    const { task, settings } = this.options;
    const prompt = labelingPrompt(
      task,
      batch.map((i) => i.text),
      { rationale: settings.rationale },
    );
    const schema = labelAnswerSchema(task, batch.length, settings.rationale);
    const answer = await this.callGate({
      kind: 'label',
      prompt,
      schema,
      schemaName: 'labels',
      answers: batch.length,
      check: labelEnvelope,
      temperature,
    });
    const rows = parseLabelAnswer(
      answer.text,
      batch.map((i) => i.id),
      task,
      answer.truncated,
    );
    for (const row of rows) {
      if (row.ok) continue;
      this.counts.rejectedRows++;
      this.options.emitter?.emit({ type: 'teacher-rejected', kind: 'label', input: row.id, reason: row.reason });
    }
    return rows;
  }

  private async generateOnce(label: string, n: number, guidance: GenerateRequest['guidance']): Promise<GenerateResult> {
    const prompt = generationPrompt(this.options.task, label, n, guidance);
    const answer = await this.callGate({
      kind: 'generate',
      prompt,
      schema: generateAnswerSchema,
      schemaName: 'examples',
      answers: n,
      check: generateEnvelope,
      temperature: this.options.settings.generateTemperature,
    });
    // Charged n answers whatever came back: the gate bought n examples.
    const result = { ...parseGenerateAnswer(answer.text, label, n, answer.truncated), answers: n };
    for (const r of result.rejected) {
      this.counts.rejectedExamples++;
      this.options.emitter?.emit({ type: 'teacher-rejected', kind: 'generate', input: label, reason: r.reason });
    }
    return result;
  }

  /** One gate call. Returns the raw answer, from the cache or from the model. */
  private async callGate(call: TeacherGateCall): Promise<{ text: string; truncated: boolean }> {
    const { kind, prompt, schema, schemaName, answers, check, temperature, extra = {} } = call;
    const { settings, gate, emitter } = this.options;
    const { provider } = this;
    // Everything that shapes the answer, and nothing secret: the key never enters this object.
    const request = {
      provider: provider.provider,
      model: provider.modelId,
      baseUrl: provider.baseUrl,
      kind,
      ...extra,
      system: prompt.system,
      messages: prompt.messages,
      schema: z.toJSONSchema(schema),
      temperature,
      maxOutputTokens: settings.maxOutputTokens,
    };
    const { body } = await gate.run({
      request,
      kind,
      answers,
      estimate: { inputTokens: estimateInputTokens(prompt), maxOutputTokens: settings.maxOutputTokens },
      execute: (lease) =>
        callModel({
          provider,
          settings: { ...settings, temperature },
          lease,
          prompt,
          schema,
          schemaName,
          check,
          fetch: this.options.fetch,
          signal: this.options.signal,
          batch: this.batch,
          onRetry: (notice) => {
            this.counts.retries++;
            emitter?.emit({ type: 'teacher-retry', ...notice });
          },
          onWarning: (message) => this.warnOnce(message),
        }),
    });
    return readBody(body);
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.options.emitter?.emit({ type: 'warning', message });
  }

  /**
   * Runs jobs under the teacher's concurrency limit, in order. After the first failure no new job
   * starts, but those in flight finish, so every answer already paid for reaches the cache before
   * the error surfaces.
   */
  private async runAll<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
    let failure: { error: unknown } | undefined;
    const results = await Promise.all(
      jobs.map((job) =>
        this.slots.run(async () => {
          if (failure) return undefined;
          try {
            return await job();
          } catch (error) {
            failure ??= { error };
            return undefined;
          }
        }),
      ),
    );
    if (failure) throw failure.error;
    return results as T[];
  }
}
