import { BudgetExceededError } from '../../../errors.js';
import type { ExtractRow, RejectedAnswer } from '../types.js';
import { spanKey } from './span-vote.js';
import type { SpanFilterContext, SpanFilterResult } from './types.js';

/** data.verify: `drop` = a row the second answer does not confirm whole is dropped; `relabel` = it keeps the agreed spans. */
export type SpanVerifyMode = 'drop' | 'relabel';

/**
 * Verification of rows whose spans did not come from an extraction request (generated rows: the
 * writer placed its own mentions): one more structured extraction request per text, at the
 * teacher's usual temperature, as the classification verify filter asks the labeler. Spans both
 * answers give (exact offsets and type) are confirmed. `relabel` keeps a row with its confirmed
 * spans (the rest dropped and counted); `drop` keeps only rows whose spans the second answer
 * confirms whole. A row with no usable second answer is dropped either way: no confirmation, and
 * nothing to keep instead.
 *
 * One answer per verified row. Rows beyond the answers given pass unverified (`unchecked`).
 */
export async function verifySpans(
  rows: readonly ExtractRow[],
  ctx: SpanFilterContext,
  mode: SpanVerifyMode,
): Promise<SpanFilterResult> {
  let checked = Math.min(rows.length, Math.max(0, Math.floor(ctx.answers)));
  let answers: Awaited<ReturnType<SpanFilterContext['teacher']['extract']>> = [];
  if (checked > 0) {
    try {
      answers = await ctx.teacher.extract(rows.slice(0, checked).map((r) => ({ id: r.id, text: r.text })));
    } catch (e) {
      if (!(e instanceof BudgetExceededError)) throw e;
      checked = 0;
    }
  }
  const kept: ExtractRow[] = [];
  const removed: RejectedAnswer[] = [];
  let spansDropped = 0;
  const reject = (row: ExtractRow, reason: string) => {
    removed.push({ id: row.id, text: row.text, raw: JSON.stringify(row.spans), reason, round: ctx.round });
    spansDropped += row.spans.length;
  };
  rows.forEach((row, i) => {
    if (i >= checked) {
      kept.push(row);
      return;
    }
    const second = answers[i];
    if (!second?.ok) {
      reject(row, `verify: the second answer could not be used${second ? `: ${second.reason}` : ''}`);
      return;
    }
    const confirmed = new Set(second.spans.map(spanKey));
    const agreed = row.spans.filter((s) => confirmed.has(spanKey(s)));
    const disputed = row.spans.length - agreed.length;
    // Spans only the second answer gave are not confirmed by the first either: they are not added.
    const extra = second.spans.length - agreed.length;
    if (disputed === 0 && extra === 0) {
      kept.push(row);
      return;
    }
    if (mode === 'drop') {
      reject(row, `verify: the second answer disagrees on ${disputed + extra} span(s): ${show(second.spans)}`);
      return;
    }
    spansDropped += disputed;
    kept.push({ ...row, spans: agreed });
  });
  return { kept, removed, spansDropped, checked, unchecked: rows.length - checked, answers: checked };
}

function show(spans: readonly { type: string; text: string }[]): string {
  return spans.length === 0 ? 'no spans' : spans.map((s) => `${s.type} "${s.text}"`).join(', ');
}
