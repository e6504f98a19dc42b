import type { Task } from '../task/schema.js';
import type { TextPool } from '../core/types.js';
import { asTextPool } from '../read/text-pool.js';
import type { Guidance, TeacherTaskContext } from '../teacher/types.js';
import { generationPrompt, labelingPrompt, type Prompt } from '../teacher/prompts.js';
import { BATCH_DISCOUNT, priceFor } from '../teacher/pricing.js';
import { AVOID_COUNT, GENERATE_CHUNK } from '../data/strategies/common.js';
import { MAX_VALIDATION_SHARE } from './validation.js';

/**
 * A cost plan: what a run of this task would spend before a single paid request is sent. It walks
 * the loop's schedule (validation split, round 0, then `answersPerRound` until the budget or the
 * rounds run out), builds the prompts the teacher would get for a sample of the pool, and counts
 * them. The run itself may stop earlier (patience, an exhausted pool), so this is an upper estimate
 * of answers and an estimate of everything else; `assumptions` says what it rests on.
 */
export interface CostPlan {
  teacher: string;
  /** USD per million tokens, when known (built-in table or `teacher.price`). */
  price?: { inputPerMTok: number; outputPerMTok: number };
  rounds: number;
  answers: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Undefined without a known price. `batch` is at the providers' batch rate (half the online price). */
  dollars?: { online: number; batch: number };
  /** At the configured concurrency, with the per-request latency in `assumptions`. */
  wallSeconds: number;
  breakdown: PlanLine[];
  assumptions: string[];
}

export interface PlanLine {
  /** What the calls are for: `validation`, `pool-label`, `generate`, `verify`, `self-consistency`. */
  purpose: string;
  answers: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

export interface PlanInput {
  /** Number of unique pool texts. */
  poolSize: number;
  /** A sample of pool texts (a few hundred are plenty) to build real prompts from. */
  poolSample: readonly string[];
  /** Rows in the gold file; with gold there is no teacher-labeled validation split. */
  goldSize?: number;
}

/** Characters per token for English text with the providers' BPE tokenizers: the usual rule of thumb. */
export const CHARS_PER_TOKEN = 4;
/** Seconds a request takes before its output, and output tokens a second, for the wall-time estimate. */
const REQUEST_SECONDS = 1.5;
const OUTPUT_TOKENS_PER_SECOND = 60;
/** JSON framing of one structured answer (`{"items": [...]}`, `{"examples": [...]}`). */
const ANSWER_FRAME_CHARS = 16;

/**
 * Examples per request by strategy, where it differs from GENERATE_CHUNK: a hard negative asks for
 * about half the confusions of its pair, which on a trained student is one or two.
 */
const CHUNK: Record<string, number> = { 'hard-negative': 2 };
const GUIDANCE: Record<string, Guidance> = { 'hard-negative': { avoid: [], confusedWith: 'x' } };

/** `total` shared as evenly as whole numbers allow. */
function spread(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/** Pool texts a plan builds its prompts from: enough for a stable mean, cheap to build. */
const SAMPLE = 500;

/** An evenly spaced sample of the pool, in file order. */
export function poolSample(texts: readonly string[] | TextPool): string[] {
  const pool = asTextPool(texts);
  const step = Math.max(1, Math.floor(pool.size / SAMPLE));
  const at: number[] = [];
  for (let i = 0; i < pool.size && at.length < SAMPLE; i += step) at.push(i);
  return pool.textsAt(at);
}

const tokens = (chars: number) => Math.ceil(chars / CHARS_PER_TOKEN);
const promptChars = (p: Prompt) => p.system.length + p.messages.reduce((s, m) => s + m.content.length, 0);

type RequestCost = (n: number) => { input: number; output: number };

/** Tokens of one request of n items, from the real prompt builders over the pool sample. */
function requestCosts(task: Task, poolSample: readonly string[]) {
  const ctx: TeacherTaskContext = {
    instruction: task.instruction,
    labels: task.labels,
    multiLabel: task.multiLabel,
    seeds: task.seeds,
  };
  const sample = poolSample.length > 0 ? poolSample : ['(an empty pool)'];
  const meanChars = sample.reduce((s, t) => s + t.length, 0) / sample.length;
  const labelChars = task.labels.reduce((s, l) => s + l.name.length, 0) / Math.max(1, task.labels.length);
  // Cycled over the sample if it is short.
  const label: RequestCost = (n) => {
    const texts = Array.from({ length: n }, (_, i) => sample[i % sample.length]);
    const inChars = promptChars(labelingPrompt(ctx, texts, { rationale: false }));
    // One item a text: {"id":"12","label":"name"} (multi-label: a one-label list on average).
    const itemChars = `{"id":"${n}","label${task.multiLabel ? 's' : ''}":${task.multiLabel ? '[""]' : '""'}},`.length;
    return { input: tokens(inChars), output: tokens(ANSWER_FRAME_CHARS + n * (itemChars + labelChars)) };
  };
  // After round 0 a request shows texts of its label to avoid repeating; a hard negative also names the
  // label it must not be mistaken for.
  const avoid = sample.slice(0, AVOID_COUNT);
  const generate =
    (guidance: Guidance): RequestCost =>
    (n) => {
      const other = (i: number) => task.labels[(i + 1) % task.labels.length].name;
      const prompts = task.labels.map((l, i) =>
        generationPrompt(ctx, l.name, n, {
          ...(guidance.avoid ? { avoid } : {}),
          ...(guidance.confusedWith ? { confusedWith: other(i) } : {}),
        }),
      );
      const inChars = prompts.reduce((s, p) => s + promptChars(p), 0) / Math.max(1, prompts.length);
      return { input: tokens(inChars), output: tokens(ANSWER_FRAME_CHARS + n * (meanChars + 4)) };
    };
  return { label, generate };
}

/** Plan lines by purpose; `add` books `answers` in requests of `perRequest`. */
class PlanLines {
  private readonly lines = new Map<string, PlanLine>();

  add(purpose: string, answers: number, perRequest: number, cost: RequestCost): void {
    if (answers <= 0) return;
    const line = this.lines.get(purpose) ?? { purpose, answers: 0, requests: 0, inputTokens: 0, outputTokens: 0 };
    const full = Math.floor(answers / perRequest);
    const rest = answers - full * perRequest;
    const one = cost(perRequest);
    line.answers += answers;
    line.requests += full + (rest > 0 ? 1 : 0);
    line.inputTokens += full * one.input;
    line.outputTokens += full * one.output;
    if (rest > 0) {
      const last = cost(rest);
      line.inputTokens += last.input;
      line.outputTokens += last.output;
    }
    this.lines.set(purpose, line);
  }

  all(): PlanLine[] {
    return [...this.lines.values()];
  }
}

/** Walks the loop's schedule: the validation split, round 0, then rounds until budget, rounds or pool run out. */
function walkSchedule(task: Task, input: PlanInput, lines: PlanLines): number {
  const costs = requestCosts(task, input.poolSample);
  const { loop, data } = task;
  const batchSize = task.teacher.batchSize;
  let remaining = task.budget.answers ?? Number.POSITIVE_INFINITY;
  let poolLeft = input.poolSize;
  const closed = loop.strategy === 'closed-loop';

  if (!input.goldSize) {
    const cap = Math.floor(remaining * MAX_VALIDATION_SHARE);
    const size = Math.max(0, Math.min(loop.validationSize, cap, Math.floor(input.poolSize / 3)));
    lines.add('validation', size, batchSize, costs.label);
    remaining -= size;
    poolLeft -= size;
  }

  let rounds = 0;
  for (let round = 0; round <= loop.maxRounds && remaining > 0 && poolLeft > 0; round++) {
    const initialGenerate = loop.initialGeneratePerLabel * task.labels.length;
    const answers = Math.min(remaining, round === 0 ? loop.initialLabels + initialGenerate : loop.answersPerRound);
    const wantGenerate = !closed
      ? 0
      : round === 0
        ? Math.min(answers, initialGenerate)
        : answers - Math.round(answers * loop.poolShare);
    const poolAnswers = Math.min(poolLeft, answers - wantGenerate);
    const generated = closed ? answers - poolAnswers : 0;
    lines.add('pool-label', poolAnswers, batchSize, costs.label);
    if (round === 0) {
      // Every label gets its share of round 0's examples, each label in its own requests.
      for (const n of spread(generated, task.labels.length))
        lines.add('generate', n, GENERATE_CHUNK, costs.generate({}));
    } else {
      const shares = spread(generated, data.strategies.length);
      data.strategies.forEach((strategy, i) => {
        const guidance = GUIDANCE[strategy] ?? { avoid: [] };
        lines.add('generate', shares[i], CHUNK[strategy] ?? GENERATE_CHUNK, costs.generate(guidance));
      });
    }
    if (data.selfConsistency > 1)
      lines.add('self-consistency', poolAnswers * (data.selfConsistency - 1), batchSize, costs.label);
    if (data.verify !== 'off') lines.add('verify', generated, batchSize, costs.label);
    remaining -= poolAnswers + generated;
    poolLeft -= poolAnswers;
    rounds++;
    if (poolAnswers + generated === 0) break;
  }
  return rounds;
}

export function planRun(task: Task, input: PlanInput): CostPlan {
  const lines = new PlanLines();
  const rounds = walkSchedule(task, input, lines);
  const breakdown = lines.all();
  const sum = (f: (l: PlanLine) => number) => breakdown.reduce((s, l) => s + f(l), 0);
  const requests = sum((l) => l.requests);
  const inputTokens = sum((l) => l.inputTokens);
  const outputTokens = sum((l) => l.outputTokens);
  // Budgeted answers only: filter checks (verify, self-consistency) are paid in tokens, not answers.
  const answers = sum((l) => (l.purpose === 'verify' || l.purpose === 'self-consistency' ? 0 : l.answers));
  const price = priceFor(task.teacher.model, task.teacher.price);
  const online = price
    ? (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000
    : undefined;
  const perRequestSeconds = REQUEST_SECONDS + outputTokens / Math.max(1, requests) / OUTPUT_TOKENS_PER_SECOND;
  const wallSeconds = Math.ceil(requests / Math.max(1, task.teacher.concurrency)) * perRequestSeconds;

  return {
    teacher: task.teacher.model,
    ...(price ? { price: { inputPerMTok: price.inputPerMTok, outputPerMTok: price.outputPerMTok } } : {}),
    rounds,
    answers,
    requests,
    inputTokens,
    outputTokens,
    ...(online !== undefined ? { dollars: { online, batch: online * BATCH_DISCOUNT } } : {}),
    wallSeconds: Math.round(wallSeconds),
    breakdown,
    assumptions: assumptions(task, input, { rounds, perRequestSeconds, priced: price !== undefined }),
  };
}

function assumptions(
  task: Task,
  input: PlanInput,
  facts: { rounds: number; perRequestSeconds: number; priced: boolean },
): string[] {
  const out = [
    `the run spends its whole budget (${task.budget.answers ?? 'no answer cap'}${task.budget.answers ? ' answers' : ''}) over ${facts.rounds} rounds; it stops earlier when validation stops improving (loop.patience ${task.loop.patience}) or the pool runs out`,
    `tokens are counted on the prompts the run would send, built for a sample of ${input.poolSample.length} of the ${input.poolSize} pool texts, at ${CHARS_PER_TOKEN} characters a token (the providers' tokenizers differ by about ±15% on English)`,
    `generated examples are as long as the pool texts on average; round 0 asks for every label's examples separately, later rounds share generation evenly among data.strategies (${GENERATE_CHUNK} examples a request, 2 for hard negatives) and show ${AVOID_COUNT} known texts to avoid`,
    `a request takes ${REQUEST_SECONDS} s plus its output at ${OUTPUT_TOKENS_PER_SECOND} tokens/s (${facts.perRequestSeconds.toFixed(1)} s on average here), ${task.teacher.concurrency} in flight; cached answers cost nothing and take no time`,
    'one-off questions (attribute dimensions, tree partitions, skill tags) and retries are not counted: each is a handful of requests',
  ];
  if (task.data.verify !== 'off') out.push('verification checks every generated row once');
  if (task.data.labelNoise === 'relabel')
    out.push('label-noise second opinions are not counted: their number depends on what is flagged');
  out.push(
    facts.priced
      ? `batch mode costs ${BATCH_DISCOUNT * 100}% of the online price (OpenAI Batch, Anthropic Message Batches) and answers within 24 h`
      : 'no price is known for this teacher (local or unlisted): set teacher.price to get dollars',
  );
  return out;
}
