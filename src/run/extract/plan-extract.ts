import { SPAN_SHAPES, readSpanFile } from '../../data/extract/read-spans.js';
import { detectLabeledShape } from '../../data/extract/detect.js';
import { extractTaskContext } from '../../data/extract/extract-teacher.js';
import { readExtractPool } from '../../loop/extract/pool.js';
import { CHARS_PER_TOKEN, type CostPlan, type PlanLine, poolSample } from '../../loop/plan.js';
import type { Task } from '../../task/schema.js';
import { extractionPrompt } from '../../teacher/extract/prompts.js';
import type { Prompt } from '../../teacher/prompts.js';
import { BATCH_DISCOUNT, priceFor } from '../../teacher/pricing.js';

/**
 * The cost plan of a `kind: extract` task. The extraction loop asks one text a request (a text is
 * one answer) and generates nothing, so the schedule is: a teacher-annotated validation split, round
 * 0's `loop.initialLabels`, then `loop.answersPerRound` a round until the budget, the pool or
 * `loop.maxRounds` runs out, as src/loop/extract/run-extract-loop.ts walks it. Input tokens are
 * counted on the real extraction prompts built for a sample of the pool; output tokens on the
 * `{"entities": [...]}` answer the teacher would give, sized from the pool's own annotations when
 * the pool is a labeled file, else from the seeds.
 */

/** The extraction loop's validation share of the pool and of an answer cap (run-extract-loop.ts). */
const VALIDATION_SHARE = 0.2;
const REQUEST_SECONDS = 1.5;
const OUTPUT_TOKENS_PER_SECOND = 60;
/** Mentions a text and characters a mention when neither the pool nor the seeds say: short entity-bearing sentences. */
const DEFAULT_MENTIONS = 1.5;
const DEFAULT_MENTION_CHARS = 10;

const tokens = (chars: number) => Math.ceil(chars / CHARS_PER_TOKEN);
const promptChars = (p: Prompt) => p.system.length + p.messages.reduce((s, m) => s + m.content.length, 0);

interface AnswerShape {
  mentions: number;
  mentionChars: number;
  typeChars: number;
  from: string;
}

/** Mean mentions a text and their lengths: from the pool's annotations, the seeds, or a stated default. */
function answerShape(task: Task): AnswerShape {
  const typeChars = task.labels.reduce((s, l) => s + l.name.length, 0) / Math.max(1, task.labels.length);
  const measure = (rows: { spans: { text: string; type: string }[] }[], from: string): AnswerShape | undefined => {
    const spans = rows.flatMap((r) => r.spans);
    if (rows.length === 0) return undefined;
    return {
      mentions: spans.length / rows.length,
      mentionChars: spans.length
        ? spans.reduce((s, sp) => s + sp.text.length, 0) / spans.length
        : DEFAULT_MENTION_CHARS,
      typeChars: spans.length ? spans.reduce((s, sp) => s + sp.type.length, 0) / spans.length : typeChars,
      from,
    };
  };
  if (task.pool && (SPAN_SHAPES as readonly string[]).includes(detectLabeledShape(task.pool).shape)) {
    const shaped = measure(readSpanFile(task.pool).examples, "the pool file's own annotations");
    if (shaped) return shaped;
  }
  const seeded = measure(task.spanSeeds ?? [], 'the seeds');
  if (seeded && seeded.mentions > 0) return seeded;
  return {
    mentions: DEFAULT_MENTIONS,
    mentionChars: DEFAULT_MENTION_CHARS,
    typeChars,
    from: `an assumed ${DEFAULT_MENTIONS} mentions a text of ${DEFAULT_MENTION_CHARS} characters (no annotated pool or seeds to measure)`,
  };
}

/** Answers by purpose, walking the extraction loop's schedule. */
export function extractSchedule(task: Task, poolSize: number): { validation: number; rounds: number[] } {
  let remaining = task.budget.answers ?? Number.POSITIVE_INFINITY;
  let poolLeft = poolSize;
  const validation = Math.max(
    0,
    Math.min(
      task.loop.validationSize,
      Math.floor(poolLeft * VALIDATION_SHARE),
      Number.isFinite(remaining) ? Math.floor(remaining * VALIDATION_SHARE) : Number.POSITIVE_INFINITY,
    ),
  );
  remaining -= validation;
  poolLeft -= validation;
  const rounds: number[] = [];
  for (let round = 0; round <= task.loop.maxRounds; round++) {
    const k = round === 0 ? task.loop.initialLabels : task.loop.answersPerRound;
    const asked = Math.max(0, Math.min(k, remaining, poolLeft));
    if (round > 0 && asked === 0) break;
    rounds.push(asked);
    remaining -= asked;
    poolLeft -= asked;
    if (remaining <= 0 || poolLeft <= 0) break;
  }
  return { validation, rounds };
}

export function planExtract(task: Task): CostPlan {
  const pool = task.pool ? readExtractPool(task.pool).texts : [];
  const seedTexts = new Set((task.spanSeeds ?? []).map((s) => s.text));
  const askable = pool.filter((p) => !seedTexts.has(p.text));
  const sample = poolSample(askable.map((p) => p.text));
  const ctx = extractTaskContext(task);
  const texts = sample.length > 0 ? sample : ['(an empty pool)'];
  const inputPerText = texts.reduce((s, t) => s + tokens(promptChars(extractionPrompt(ctx, t))), 0) / texts.length;
  const shape = answerShape(task);
  // {"entities":[ ... ]} and one {"type":"T","text":"M"}, a mention, with JSON escaping ignored.
  const outputPerText = tokens(
    '{"entities":[]}'.length +
      shape.mentions * ('{"type":"","text":""},'.length + shape.typeChars + shape.mentionChars),
  );

  const { validation, rounds } = extractSchedule(task, askable.length);
  const line = (purpose: string, answers: number): PlanLine => ({
    purpose,
    answers,
    requests: answers,
    inputTokens: Math.round(answers * inputPerText),
    outputTokens: Math.round(answers * outputPerText),
  });
  const poolAnswers = rounds.reduce((s, n) => s + n, 0);
  const breakdown = [line('validation', validation), line('pool-label', poolAnswers)].filter((l) => l.answers > 0);
  const sum = (f: (l: PlanLine) => number) => breakdown.reduce((s, l) => s + f(l), 0);
  const answers = sum((l) => l.answers);
  const inputTokens = sum((l) => l.inputTokens);
  const outputTokens = sum((l) => l.outputTokens);
  const price = task.teacher.model.startsWith('dataset:')
    ? undefined
    : priceFor(task.teacher.model, task.teacher.price);
  const online = price
    ? (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000
    : undefined;
  const perRequestSeconds = REQUEST_SECONDS + outputPerText / OUTPUT_TOKENS_PER_SECOND;
  const wallSeconds = Math.ceil(answers / Math.max(1, task.teacher.concurrency)) * perRequestSeconds;

  return {
    teacher: task.teacher.model,
    ...(price ? { price: { inputPerMTok: price.inputPerMTok, outputPerMTok: price.outputPerMTok } } : {}),
    rounds: rounds.length,
    answers,
    requests: answers,
    inputTokens,
    outputTokens,
    ...(online !== undefined ? { dollars: { online, batch: online * BATCH_DISCOUNT } } : {}),
    wallSeconds: Math.round(wallSeconds),
    breakdown,
    assumptions: [
      `the run spends its whole budget (${task.budget.answers ?? 'no answer cap'}${task.budget.answers ? ' answers' : ''}) over ${rounds.length} rounds; it stops earlier when validation F1 stops improving (loop.patience ${task.loop.patience}); pool texts that nearly copy a gold text (leakage guard) are not subtracted`,
      `one request a text: extraction prompts built for a sample of ${sample.length} of the ${askable.length} pool texts, at ${CHARS_PER_TOKEN} characters a token (the providers' tokenizers differ by about ±15% on English)`,
      `answers of ${shape.mentions.toFixed(2)} mentions a text, ${shape.mentionChars.toFixed(1)} characters a mention, measured on ${shape.from}`,
      `a request takes ${REQUEST_SECONDS} s plus its output at ${OUTPUT_TOKENS_PER_SECOND} tokens/s (${perRequestSeconds.toFixed(1)} s here), ${task.teacher.concurrency} in flight; cached answers cost nothing and take no time`,
      'retries (an answer that is not an entities object is asked once more) are not counted',
      ...(task.loop.strategy === 'closed-loop' && task.loop.poolShare < 1
        ? [
            `generation arms (loop.poolShare ${task.loop.poolShare}: up to ${Math.round((1 - task.loop.poolShare) * 100)}% of each round after round 0 at first, as the bandit decides) are planned as pool texts: the same answers, but a generation request writes up to 10 annotated texts, so fewer requests and more output tokens an answer than planned`,
          ]
        : []),
      price
        ? `batch mode costs ${BATCH_DISCOUNT * 100}% of the online price (OpenAI Batch, Anthropic Message Batches) and answers within 24 h`
        : task.teacher.model.startsWith('dataset:')
          ? 'the dataset teacher costs nothing: tokens are what an LLM teacher would be sent'
          : 'no price is known for this teacher (local or unlisted): set teacher.price to get dollars',
    ],
  };
}
