import type { Span, TokenOffsets } from './types.js';

/**
 * Spans ⇄ per-token BIO (IOB2) tags. Tag ids: 0 = O, then B-type and I-type for each type in
 * order (1 + 2t is B, 2 + 2t is I), so any type list fixes the tag set.
 */
export function tagNames(types: readonly string[]): string[] {
  return ['O', ...types.flatMap((t) => [`B-${t}`, `I-${t}`])];
}

export const isBegin = (tag: number) => tag > 0 && tag % 2 === 1;
export const isInside = (tag: number) => tag > 0 && tag % 2 === 0;
/** Type index of a B or I tag. */
export const typeOf = (tag: number) => (tag - 1) >> 1;

/**
 * Tags for tokens from character spans. A token belongs to a span when they overlap at all (a span
 * boundary inside a token takes the whole token: the tagger cannot cut finer than its tokens).
 * Spans must not overlap each other; a later span that would share a token is skipped and counted.
 */
export function spansToTags(
  tokens: readonly TokenOffsets[],
  spans: readonly Span[],
  types: readonly string[],
): { tags: Int32Array; skipped: number } {
  const tags = new Int32Array(tokens.length);
  const typeIndex = new Map(types.map((t, i) => [t, i]));
  let skipped = 0;
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  for (const span of sorted) {
    const t = typeIndex.get(span.type);
    if (t === undefined) {
      skipped++;
      continue;
    }
    const covered: number[] = [];
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i].start < span.end && span.start < tokens[i].end) covered.push(i);
    }
    if (covered.length === 0 || covered.some((i) => tags[i] !== 0)) {
      skipped++;
      continue;
    }
    covered.forEach((i, n) => (tags[i] = n === 0 ? 1 + 2 * t : 2 + 2 * t));
  }
  return { tags, skipped };
}

/**
 * Spans from tags, read the conlleval way: an I-X that does not continue an X span starts one.
 * `text` supplies each span's surface string.
 */
export function tagsToSpans(
  text: string,
  tokens: readonly TokenOffsets[],
  tags: ArrayLike<number>,
  types: readonly string[],
): Span[] {
  const spans: Span[] = [];
  let open: { first: number; last: number; type: number } | undefined;
  const close = () => {
    if (!open) return;
    const start = tokens[open.first].start;
    const end = tokens[open.last].end;
    spans.push({ start, end, type: types[open.type], text: text.slice(start, end) });
    open = undefined;
  };
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i];
    if (tag === 0) {
      close();
      continue;
    }
    const type = typeOf(tag);
    if (isInside(tag) && open && open.type === type) {
      open.last = i;
      continue;
    }
    close();
    open = { first: i, last: i, type };
  }
  close();
  return spans;
}
