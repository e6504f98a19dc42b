import { createHash } from 'node:crypto';
import { anthropicAnswer } from './anthropic-protocol.js';
import { openAiAnswer } from './openai-protocol.js';
import { batchTexts, httpError } from './scripts.js';
import type { FakeHandler, FakeLlmRequest, FakeReply } from './types.js';

/**
 * Wraps any handler and answers a share of requests with a fault instead, the way real providers
 * misbehave. Which request gets which fault is a pure function of the seed, the request body and
 * how many times that exact body was seen before: a retry is a fresh draw, and the pattern does not
 * depend on the order concurrent requests happen to arrive in.
 */

/** Transport faults: no usable HTTP response. `truncated-body` is a 200 (billed) whose JSON is cut off. */
export const TRANSPORT_FAULTS = ['rate-limit', 'server-error', 'reset', 'hang', 'truncated-body'] as const;
/**
 * Output faults: a well-formed 200 whose content is unusable as a whole (the client asks again),
 * except `bad-label`, which spoils one row (a label outside the set, or an empty generated example)
 * and which the client keeps as a rejected row without asking again.
 */
export const OUTPUT_FAULTS = ['truncated-answer', 'schema-break', 'empty-answer', 'bad-label'] as const;
export const FAULT_KINDS = [...TRANSPORT_FAULTS, ...OUTPUT_FAULTS] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultOptions {
  /** Share of requests answered with a fault, 0..1. */
  rate: number;
  seed?: number;
  /** Relative weights; kinds left out are never injected. Default: every kind, equally. */
  kinds?: Partial<Record<FaultKind, number>>;
  /** `retry-after` of a 429, in seconds; fractions allowed so tests stay fast. */
  retryAfterSeconds?: number;
  /** Requests never faulted (e.g. `isCorrection`, to spare the client's re-asks). */
  spare?: (req: FakeLlmRequest) => boolean;
}

export type Outcome = number | 'reset' | 'hang';

export interface FaultInjector {
  handler: FakeHandler;
  /** Requests by what they got: a fault kind, or `none`. */
  readonly injected: Record<FaultKind | 'none', number>;
  /** Replies by outcome (`200`, `429`, `reset`, …), as the server then sends them; `200`s are what a provider bills. */
  readonly answered: Record<string, number>;
  /** What each request got, in arrival order. */
  readonly log: { index: number; fault: FaultKind | 'none'; outcome: Outcome }[];
}

const unit = (hex: string) => Number.parseInt(hex, 16) / 0x1_0000_0000;

function pick(weights: [FaultKind, number][], u: number): FaultKind {
  const total = weights.reduce((s, [, w]) => s + w, 0);
  let at = u * total;
  for (const [kind, w] of weights) {
    if (at < w) return kind;
    at -= w;
  }
  return weights[weights.length - 1][0];
}

function answerOf(reply: FakeReply): Extract<FakeReply, { kind: 'answer' }> | undefined {
  if (typeof reply === 'string') return { kind: 'answer', text: reply };
  return reply.kind === 'answer' ? reply : undefined;
}

function outcomeOf(reply: FakeReply): Outcome {
  if (typeof reply === 'string' || reply.kind === 'answer') return 200;
  return reply.kind === 'http' ? reply.status : reply.kind;
}

/** The 200 the server would have sent, cut off part-way through its JSON. */
function truncatedBody(req: FakeLlmRequest, text: string, u: number): FakeReply {
  const usage = { input: 100, output: Math.max(1, Math.ceil(text.length / 4)) };
  const full = JSON.stringify(
    req.provider === 'openai' ? openAiAnswer(req, text, 'stop', usage) : anthropicAnswer(req, text, 'stop', usage),
  );
  return {
    kind: 'http',
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: full.slice(0, 1 + Math.floor(u * (full.length - 2))),
  };
}

/** One row spoilt: a labeling answer gets a label outside the set, a generation answer an empty example. */
function spoilOneRow(req: FakeLlmRequest, text: string): string {
  let value: any;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  if (batchTexts(req) && Array.isArray(value?.items) && value.items.length > 0) {
    const [first, ...rest] = value.items;
    const bad = 'labels' in first ? { ...first, labels: ['not-a-label'] } : { ...first, label: 'not-a-label' };
    return JSON.stringify({ ...value, items: [bad, ...rest] });
  }
  if (Array.isArray(value?.examples) && value.examples.length > 0)
    return JSON.stringify({ ...value, examples: ['', ...value.examples.slice(1)] });
  return text;
}

function outputFault(
  kind: FaultKind,
  req: FakeLlmRequest,
  answer: Extract<FakeReply, { kind: 'answer' }>,
  u: number,
): FakeReply {
  const { text } = answer;
  switch (kind) {
    case 'truncated-body':
      return truncatedBody(req, text, u);
    case 'truncated-answer':
      return { ...answer, text: text.slice(0, Math.floor(text.length * (0.2 + 0.6 * u))), finishReason: 'length' };
    case 'schema-break': {
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Wrapped as a string then: still not the envelope asked for.
      }
      return { ...answer, text: JSON.stringify({ result: parsed }) };
    }
    case 'empty-answer':
      return { ...answer, text: '' };
    default:
      return { ...answer, text: spoilOneRow(req, text) };
  }
}

export function withFaults(inner: FakeHandler, options: FaultOptions): FaultInjector {
  if (!(options.rate >= 0 && options.rate <= 1))
    throw new RangeError(`fault rate must be within 0..1, got ${options.rate}`);
  const weights = (
    Object.entries(options.kinds ?? Object.fromEntries(FAULT_KINDS.map((k) => [k, 1]))) as [FaultKind, number][]
  ).filter(([, w]) => w > 0);
  if (options.rate > 0 && weights.length === 0) throw new RangeError('no fault kind has a positive weight');
  const seen = new Map<string, number>();
  const injected = Object.fromEntries([...FAULT_KINDS, 'none'].map((k) => [k, 0])) as Record<
    FaultKind | 'none',
    number
  >;
  const answered: Record<string, number> = {};
  const log: FaultInjector['log'] = [];

  const draw = (req: FakeLlmRequest): { kind?: FaultKind; u: number } => {
    const body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    const key = createHash('sha256')
      .update(`${options.seed ?? 0}\u0000${body}`)
      .digest('hex');
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    const h = createHash('sha256').update(`${key}:${nth}`).digest('hex');
    if (options.spare?.(req) || unit(h.slice(0, 8)) >= options.rate) return { u: unit(h.slice(16, 24)) };
    return { kind: pick(weights, unit(h.slice(8, 16))), u: unit(h.slice(16, 24)) };
  };

  const decide = async (req: FakeLlmRequest): Promise<{ fault: FaultKind | 'none'; reply: FakeReply }> => {
    const { kind, u } = draw(req);
    switch (kind) {
      case undefined:
        return { fault: 'none', reply: await inner(req) };
      case 'rate-limit':
        return {
          fault: kind,
          reply: httpError(429, 'rate limit reached, slow down', {
            'retry-after': String(options.retryAfterSeconds ?? 0.01),
          }),
        };
      case 'server-error':
        return { fault: kind, reply: u < 0.5 ? httpError(500, 'internal error') : httpError(503, 'overloaded') };
      case 'reset':
        return { fault: kind, reply: { kind: 'reset' } };
      case 'hang':
        return { fault: kind, reply: { kind: 'hang' } };
    }
    const reply = await inner(req);
    const answer = answerOf(reply);
    // Only a real answer can be spoilt; anything else the handler meant goes out as it is.
    return answer ? { fault: kind, reply: outputFault(kind, req, answer, u) } : { fault: 'none', reply };
  };

  return {
    injected,
    answered,
    log,
    handler: async (req) => {
      const { fault, reply } = await decide(req);
      const outcome = outcomeOf(reply);
      injected[fault]++;
      answered[String(outcome)] = (answered[String(outcome)] ?? 0) + 1;
      log.push({ index: req.index, fault, outcome });
      return reply;
    },
  };
}
