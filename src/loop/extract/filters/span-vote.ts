import type { TeacherSpan } from '../../../teacher/extract/types.js';

/** A span's identity for agreement: exact offsets and type (the surface text follows from them). */
export function spanKey(s: { start: number; end: number; type: string }): string {
  return `${s.start}:${s.end}:${s.type}`;
}

export interface SpanVote {
  /** Spans at least `needed` samples gave, in text order, flat (no overlaps). */
  spans: TeacherSpan[];
  /** Distinct spans some sample gave that did not reach `needed` votes. */
  dropped: TeacherSpan[];
  /**
   * How far the samples agree on the text as a whole: the mean, over every distinct span any usable
   * sample gave, of the share of usable samples that gave it (1 when no sample gave any span).
   */
  agreement: number;
  /** Samples that were usable answers. */
  usable: number;
}

/**
 * Majority vote over span sets. `samples[0]` is the row's own answer; an unusable sample
 * (undefined) votes for nothing and does not count towards `usable`. A span is kept when strictly
 * more than half of the samples asked gave it (2 of 3, 3 of 5): an unusable sample is no evidence
 * for a span. Overlapping winners (possible only with an even count) keep the one with more votes,
 * then the row's own. The kept span is the first sample's copy, so its alignment status stays.
 */
export function voteSpans(samples: readonly (readonly TeacherSpan[] | undefined)[]): SpanVote {
  const needed = Math.floor(samples.length / 2) + 1;
  const tally = new Map<string, { span: TeacherSpan; votes: number; first: number }>();
  let usable = 0;
  samples.forEach((sample, k) => {
    if (!sample) return;
    usable++;
    const seen = new Set<string>();
    for (const s of sample) {
      const key = spanKey(s);
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = tally.get(key);
      if (entry) entry.votes++;
      else tally.set(key, { span: s, votes: 1, first: k });
    }
  });
  const entries = [...tally.values()];
  const winners = entries
    .filter((e) => e.votes >= needed)
    .sort((a, b) => b.votes - a.votes || a.first - b.first || a.span.start - b.span.start);
  const spans: TeacherSpan[] = [];
  for (const w of winners) if (spans.every((s) => w.span.end <= s.start || s.end <= w.span.start)) spans.push(w.span);
  const keptKeys = new Set(spans.map(spanKey));
  const dropped = entries.filter((e) => !keptKeys.has(spanKey(e.span))).map((e) => e.span);
  const agreement =
    entries.length === 0 || usable === 0 ? 1 : entries.reduce((a, e) => a + e.votes / usable, 0) / entries.length;
  spans.sort((a, b) => a.start - b.start);
  return { spans, dropped, agreement, usable };
}
