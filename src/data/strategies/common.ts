import type { GenerateRequest } from '../../teacher/types.js';
import { mapLimit } from '../../util/map-limit.js';
import type { CandidateRow } from '../candidate.js';
import type { RejectedRow } from '../example.js';
import type { KnownRows, StrategyContext, StrategyOutput } from './types.js';

/** Largest number of examples asked for in one generate request: more and they start to repeat. */
export const GENERATE_CHUNK = 4;
/** Known texts shown as "already have these": enough to steer away, few enough to stay cheap. */
export const AVOID_COUNT = 5;

/** One generate request and the attributes its rows will carry. */
export interface PlannedRequest {
  request: GenerateRequest;
  attributes?: Record<string, string>;
}

export interface GenerateOutcome extends StrategyOutput {
  /** Rows per planned request, in plan order (trees count coverage, hops take their frontier from it). */
  perRequest: CandidateRow[][];
}

export function emptyOutput(): StrategyOutput {
  return { rows: [], rejected: [], answers: 0 };
}

export function taskLabels(ctx: StrategyContext): string[] {
  return ctx.task.labels.map((l) => l.name);
}

/** The diagnosed weakest labels, worst first, then every other label in task order. */
export function labelsWeakFirst(ctx: StrategyContext): string[] {
  const all = taskLabels(ctx);
  const weak = ctx.weaknesses.weakest.map((w) => w.label).filter((l) => all.includes(l));
  return [...new Set([...weak, ...all])];
}

/** The diagnosed weakest labels, or every label when there is no diagnosis yet (round 0). */
export function weakLabels(ctx: StrategyContext): string[] {
  const all = taskLabels(ctx);
  const weak = [...new Set(ctx.weaknesses.weakest.map((w) => w.label).filter((l) => all.includes(l)))];
  return weak.length > 0 ? weak : all;
}

/**
 * `k` texts known for a label, most recent first (seeds after the rows). `page` shifts the window,
 * so several requests for one label in a round each show, and so avoid, different texts.
 */
export function knownTexts(known: KnownRows, label: string, k: number, page = 0): string[] {
  const all: string[] = [];
  for (let i = known.rows.length - 1; i >= 0; i--)
    if (known.rows[i].labels.includes(label)) all.push(known.rows[i].text);
  for (const s of known.seeds) if (s.labels.includes(label)) all.push(s.text);
  const unique = [...new Set(all)];
  if (unique.length <= k) return unique;
  const start = (page * k) % unique.length;
  return [...unique.slice(start), ...unique.slice(0, start)].slice(0, k);
}

/** The user's seeds of a label first, then known rows: what a label's examples look like. */
export function anchorTexts(known: KnownRows, label: string, k: number): string[] {
  const seeds = known.seeds.filter((s) => s.labels.includes(label)).map((s) => s.text);
  const rows = known.rows.filter((r) => r.labels.includes(label)).map((r) => r.text);
  return [...new Set([...seeds, ...rows])].slice(0, k);
}

/** `answers` split into chunks of at most `size`. */
export function chunks(answers: number, size: number): number[] {
  const out: number[] = [];
  for (let left = Math.floor(answers); left > 0; left -= size) out.push(Math.min(size, left));
  return out;
}

/** Requests in flight at once: what the teacher declares (1 where its answers depend on call order). */
export function concurrencyFor(ctx: StrategyContext): number {
  return ctx.teacher.concurrency;
}

/** Sends the planned requests and turns the answers into candidate rows and rejections. */
export async function runGenerate(
  ctx: StrategyContext,
  strategy: string,
  plan: readonly PlannedRequest[],
  rowAttributes?: (planned: PlannedRequest, text: string) => Record<string, string> | undefined,
): Promise<GenerateOutcome> {
  const results = await mapLimit(plan, concurrencyFor(ctx), (p) => ctx.teacher.generate(p.request));
  const rows: CandidateRow[] = [];
  const rejected: RejectedRow[] = [];
  const perRequest: CandidateRow[][] = [];
  let answers = 0;
  results.forEach((result, i) => {
    const planned = plan[i];
    const { label } = planned.request;
    answers += result.answers;
    const mine = result.texts.map((text): CandidateRow => {
      const attributes = rowAttributes ? rowAttributes(planned, text) : planned.attributes;
      return {
        text,
        labels: [label],
        source: 'generated',
        strategy,
        ...(attributes && Object.keys(attributes).length ? { attributes: { ...attributes } } : {}),
      };
    });
    perRequest.push(mine);
    rows.push(...mine);
    for (const r of result.rejected) {
      rejected.push({
        kind: 'generate',
        round: ctx.round,
        teacher: ctx.teacher.id,
        input: label,
        raw: r.raw,
        reason: r.reason,
      });
    }
  });
  return { rows, rejected, answers, perRequest };
}

/** Round-robin over labels in chunks: the plain plan, and the fallback of the fancier strategies. */
export function roundRobin(
  ctx: StrategyContext,
  labels: readonly string[],
  answers: number,
  size = GENERATE_CHUNK,
): PlannedRequest[] {
  if (labels.length === 0) return [];
  return chunks(answers, size).map((n, i) => {
    const label = labels[i % labels.length];
    const avoid = knownTexts(ctx.known, label, AVOID_COUNT, Math.floor(i / labels.length));
    return { request: { label, n, guidance: avoid.length ? { avoid } : {} } };
  });
}
