import { APICallError, NoObjectGeneratedError, Output, RetryError, generateText } from 'ai';
import type { z } from 'zod';
import type { FailedCallSpend } from '../core/types.js';
import { InterruptedError, TeacherCallError } from '../errors.js';
import type { CachedResponse } from '../store/types.js';
import type { TeacherSettings } from '../task/schema.js';
import type { GateLease } from './call-gate.js';
import { AttemptTimeoutError, instrumentedFetch, type AttemptCounter, type RetryNotice } from './instrumented-fetch.js';
import type { Envelope } from './output-schema.js';
import { correctionMessages, estimateInputTokens, type Prompt, type PromptMessage } from './prompts.js';
import type { ResolvedProvider } from './providers.js';
import { limiterFor } from './rate-limit.js';
import type { BatchQueue } from './batch/batch-queue.js';

/**
 * What the cache keeps for one model call: the raw answer text, not a parsed object, so a replay
 * goes through the same parser as the live call and parser fixes apply to old answers too.
 */
export interface ModelCallBody {
  text: string;
  finishReason: string;
  /** Earlier answers that failed the shape check and were asked again; kept for audit. */
  discarded: string[];
}

export type CallSettings = Pick<
  TeacherSettings,
  | 'temperature'
  | 'maxOutputTokens'
  | 'maxRetries'
  | 'maxOutputRetries'
  | 'timeoutMs'
  | 'retryBaseMs'
  | 'requestsPerMinute'
  | 'tokensPerMinute'
>;

export interface ModelCallOptions {
  provider: ResolvedProvider;
  settings: CallSettings;
  prompt: Prompt;
  schema: z.ZodType;
  /** Name of the structured output (OpenAI's json_schema name, Anthropic's tool name hint). */
  schemaName: string;
  /** Whole-answer shape check: a failure here is asked again, row-level problems are not. */
  check(text: string, truncated: boolean): Envelope<unknown>;
  onRetry?: (notice: RetryNotice) => void;
  onWarning?: (message: string) => void;
  /** Underlying fetch (tests); the global one by default. */
  fetch?: typeof globalThis.fetch;
  /** From the gate: re-asks are only sent when the budget can take their worst case too. */
  lease?: GateLease;
  /** Stops the call at once (Ctrl-C): the request in flight, back-off waits and re-asks. */
  signal?: AbortSignal;
  /** Batch mode: the request goes out in the next provider batch instead of online. */
  batch?: BatchQueue;
}

interface Answer {
  text: string;
  finishReason: string;
  inputTokens: number;
  outputTokens: number;
}

async function askOnce(options: ModelCallOptions, messages: PromptMessage[], counter: AttemptCounter): Promise<Answer> {
  const { provider, settings, prompt } = options;
  const online = instrumentedFetch({
    counter,
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    retryBaseMs: settings.retryBaseMs ?? 1000,
    limiter: limiterFor(provider, settings),
    tokens: estimateInputTokens({ system: prompt.system, messages }) + settings.maxOutputTokens,
    onRetry: options.onRetry,
    fetch: options.fetch,
    signal: options.signal,
  });
  const fetch = options.batch ? options.batch.fetchFor(online, counter) : online;
  try {
    const result = await generateText({
      model: provider.languageModel(fetch),
      system: prompt.system,
      messages,
      output: Output.object({ schema: options.schema, name: options.schemaName }),
      temperature: settings.temperature,
      maxOutputTokens: settings.maxOutputTokens,
      // Retries happen in our fetch, where they are counted, rate limited and waited for as configured.
      maxRetries: 0,
      abortSignal: options.signal,
    });
    for (const w of result.warnings ?? []) options.onWarning?.(provider.redact(describeWarning(w)));
    return {
      text: result.text,
      finishReason: result.finishReason,
      inputTokens: result.totalUsage.inputTokens ?? 0,
      outputTokens: result.totalUsage.outputTokens ?? 0,
    };
  } catch (error) {
    // The SDK validates against the strict schema and throws on any deviation; we want the raw
    // text instead, to keep the good rows and record the bad ones.
    if (NoObjectGeneratedError.isInstance(error)) {
      return {
        text: error.text ?? '',
        finishReason: error.finishReason ?? 'unknown',
        inputTokens: error.usage?.inputTokens ?? 0,
        outputTokens: error.usage?.outputTokens ?? 0,
      };
    }
    throw error;
  }
}

function describeWarning(w: { type: string } & Record<string, unknown>): string {
  const detail = [w.feature, w.setting, w.details, w.message].filter((x) => typeof x === 'string').join(': ');
  return `AI SDK ${w.type} warning${detail ? `: ${detail}` : ''}`;
}

/**
 * One logical teacher call: transport retries happen in our fetch (429/5xx/timeouts/resets and
 * cut-off bodies, honouring retry-after), answers of the wrong shape are asked again up to
 * `maxOutputRetries` times. Every attempt's tokens and HTTP requests are summed, because every one
 * of them was paid for; a call that fails in the end still reports its paid requests to the gate.
 */
export async function callModel(
  options: ModelCallOptions,
): Promise<Omit<CachedResponse, 'createdAt' | 'ms' | 'dollars'>> {
  const counter: AttemptCounter = { http: 0, paid: 0, attempts: 0 };
  const discarded: string[] = [];
  let inputTokens = 0;
  let outputTokens = 0;
  let messages = options.prompt.messages;
  let last: Answer | undefined;

  for (let attempt = 0; ; attempt++) {
    let answer: Answer;
    try {
      options.signal?.throwIfAborted();
      answer = await askOnce(options, messages, counter);
    } catch (error) {
      // A stop is the user's decision, not a failed call: no unusable answer is kept (it would be
      // cached as if the call had finished) and nothing is asked again. What was paid still reaches
      // the ledger through the spend.
      if (options.signal?.aborted) {
        const spend = { httpRequests: counter.http, paidRequests: counter.paid, inputTokens, outputTokens };
        throw stoppedError(options.signal, error, spend);
      }
      // A paid but unusable answer is still an answer: keep it (its rows become rejected) rather
      // than throw and lose what was spent.
      if (last) {
        discarded.pop();
        break;
      }
      const spend = { httpRequests: counter.http, paidRequests: counter.paid, inputTokens, outputTokens };
      throw toTeacherCallError(error, options.provider, counter.attempts, spend);
    }
    inputTokens += answer.inputTokens;
    outputTokens += answer.outputTokens;
    last = answer;
    const envelope = options.check(answer.text, answer.finishReason === 'length');
    if (envelope.ok || attempt >= options.settings.maxOutputRetries) break;
    const next = [...options.prompt.messages, ...correctionMessages(answer.text, envelope.problem)];
    const estimate = {
      inputTokens: estimateInputTokens({ system: options.prompt.system, messages: next }),
      maxOutputTokens: options.settings.maxOutputTokens,
    };
    // Out of budget for another try: the unusable answer is kept, its rows rejected.
    if (options.lease && !options.lease.extend(estimate)) break;
    discarded.push(answer.text);
    options.onRetry?.({ attempt: attempt + 1, reason: `unusable answer: ${envelope.problem}`, delayMs: 0 });
    messages = next;
  }

  const body: ModelCallBody = { text: last.text, finishReason: last.finishReason, discarded };
  return { body, inputTokens, outputTokens, httpRequests: counter.http, paidRequests: counter.paid };
}

/**
 * A fresh error for each stopped call, the signal's reason as its cause: concurrent calls share one
 * reason, and each attaches its own spend to what it throws.
 */
function stoppedError(signal: AbortSignal, error: unknown, spend: FailedCallSpend): InterruptedError {
  const cause: unknown = signal.reason ?? error;
  const detail = cause instanceof Error ? cause.message : typeof cause === 'string' ? cause : 'aborted';
  return new InterruptedError(`teacher call stopped: ${detail}`, { cause, spend });
}

function hintFor(status: number | undefined, provider: ResolvedProvider, network: boolean): string | undefined {
  if (status === 401 || status === 403) {
    return provider.keyEnv
      ? `check the API key in $${provider.keyEnv}`
      : 'the server wants an API key: set teacher.apiKeyEnv';
  }
  if (status === 404) return `check the model name "${provider.modelId}" and teacher.baseUrl (${provider.baseUrl})`;
  if (status === 429)
    return 'the provider is rate limiting: lower teacher.concurrency, set teacher.requestsPerMinute or raise teacher.maxRetries';
  if (network) return `is the server at ${provider.baseUrl} reachable? (teacher.timeoutMs bounds each attempt)`;
  return undefined;
}

/**
 * Final transport failure, as the run sees it. The SDK error is not kept as `cause`: it carries
 * request and response bodies, and a provider may echo the key in an error body.
 */
export function toTeacherCallError(
  error: unknown,
  provider: ResolvedProvider,
  attempts = 1,
  spend?: FailedCallSpend,
): TeacherCallError {
  const last = RetryError.isInstance(error) ? error.lastError : error;
  let status: number | undefined;
  let isRetryable = false;
  let network = false;
  if (APICallError.isInstance(last)) {
    status = last.statusCode;
    network = status === undefined;
    // A 200 whose body would not parse is a transport glitch, not a verdict: worth another go.
    isRetryable = last.isRetryable || status === 200;
  } else if (last instanceof AttemptTimeoutError) {
    network = true;
    isRetryable = true;
  }
  const detail = last instanceof Error ? last.message : String(last);
  const where = `${provider.provider}:${provider.modelId}`;
  const message = `teacher ${where} request failed${status ? ` with HTTP ${status}` : ''}${attempts > 1 ? ` after ${attempts} attempts` : ''}: ${detail}`;
  return new TeacherCallError(provider.redact(message), {
    isRetryable,
    status,
    hint: hintFor(status, provider, network),
    spend,
  });
}
