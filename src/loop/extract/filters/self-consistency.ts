import { SAMPLE_TEMPERATURE } from '../../../data/filters/self-consistency.js';
import { BudgetExceededError } from '../../../errors.js';
import type { TeacherSpan } from '../../../teacher/extract/types.js';
import type { ExtractRow, RejectedAnswer } from '../types.js';
import { voteSpans } from './span-vote.js';
import type { SpanFilterContext, SpanFilterResult } from './types.js';

export interface SpanSelfConsistencyOptions {
  /** Samples per text, the row's own answer included (data.selfConsistency); 1 = off. */
  samples: number;
  /** Texts whose samples agree less than this are dropped (data.minAgreement). */
  minAgreement: number;
  /** Name in the rejection reasons. */
  filter?: string;
}

/**
 * Self-consistency on spans. Each row's text is annotated `samples − 1` more times at
 * SAMPLE_TEMPERATURE (the classification filter's temperature); a span (exact offsets and type) is
 * kept when a strict majority of the samples gave it — the row's own answer is one sample — and
 * the others are dropped and counted. A text whose samples agree on less than `minAgreement` of
 * their spans on average (span-vote.ts) is dropped whole with the reason, as is one where fewer
 * than a majority of the samples were usable answers: the vote would otherwise call it entity-free.
 *
 * Costs samples − 1 answers per row, as in classification: every sample is a text annotated, on the
 * answer budget, the ledger and the dollars like any answer. Rows beyond the answers given pass
 * unchecked (running out of budget says nothing about a row).
 */
export async function spanSelfConsistency(
  rows: readonly ExtractRow[],
  ctx: SpanFilterContext,
  options: SpanSelfConsistencyOptions,
): Promise<SpanFilterResult> {
  const filter = options.filter ?? 'self-consistency';
  const extra = options.samples - 1;
  if (extra < 1 || rows.length === 0)
    return { kept: rows.slice(), removed: [], spansDropped: 0, checked: 0, unchecked: 0, answers: 0 };
  let checked = Math.min(rows.length, Math.max(0, Math.floor(ctx.answers / extra)));
  const votes: (readonly TeacherSpan[] | undefined)[][] = rows.slice(0, checked).map((r) => [r.spans]);
  let answers = 0;
  // One sample at a time, never concurrently: the gate numbers identical requests in call order,
  // and that numbering is what lets a re-run replay the same samples from the cache.
  for (let s = 0; s < extra && checked > 0; s++) {
    const inputs = rows.slice(0, checked).map((r) => ({ id: r.id, text: r.text }));
    let results: Awaited<ReturnType<SpanFilterContext['teacher']['extract']>>;
    try {
      results = await ctx.teacher.extract(inputs, { temperature: SAMPLE_TEMPERATURE });
    } catch (e) {
      if (!(e instanceof BudgetExceededError)) throw e;
      // A dollar or token cap met: rows with fewer samples than asked pass unchecked.
      if (s === 0) checked = 0;
      else for (const v of votes) v.length = s + 1;
      break;
    }
    answers += inputs.length;
    results.forEach((r, k) => votes[k].push(r.ok ? r.spans : undefined));
  }

  const kept: ExtractRow[] = [];
  const removed: RejectedAnswer[] = [];
  let spansDropped = 0;
  rows.forEach((row, i) => {
    if (i >= checked || votes[i].length < 2) {
      kept.push(row);
      return;
    }
    const v = voteSpans(votes[i]);
    const n = votes[i].length;
    const needed = Math.floor(n / 2) + 1;
    const reject = (reason: string) =>
      removed.push({ id: row.id, text: row.text, raw: JSON.stringify(row.spans), reason, round: ctx.round });
    if (v.usable < needed) {
      reject(`${filter}: only ${v.usable} of ${n} samples were usable answers, under the ${needed} a vote needs`);
      spansDropped += row.spans.length;
      return;
    }
    if (v.agreement < options.minAgreement) {
      reject(
        `${filter}: the ${n} samples agreed on ${pct(v.agreement)} of their spans on average, under the ${pct(options.minAgreement)} required`,
      );
      spansDropped += row.spans.length;
      return;
    }
    const keys = new Set(v.spans.map((s) => `${s.start}:${s.end}:${s.type}`));
    spansDropped += row.spans.filter((s) => !keys.has(`${s.start}:${s.end}:${s.type}`)).length;
    kept.push({ ...row, spans: v.spans });
  });
  const done = rows.slice(0, checked).filter((_, i) => votes[i].length >= 2).length;
  return { kept, removed, spansDropped, checked: done, unchecked: rows.length - done, answers };
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}
