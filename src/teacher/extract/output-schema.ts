import { z } from 'zod';
import { type AlignedSpan, type AlignOptions, alignMentions, type RejectedMention } from '../../text/spans/align.js';

/**
 * The teacher's extraction answer, `{"entities": [{"type", "text"}, ...]}`, in the two halves the
 * classification answer has (see ../output-schema.ts): a strict zod schema sent as structured output
 * (so a constrained server cannot name a type outside the task's), and a parser lenient about the
 * envelope and strict per mention, run on the raw text, so one bad mention never costs the others
 * and a replay from the cache parses exactly as the live call did. Parsed mentions then go through
 * `alignMentions`: the answer is surface strings, the student learns from offsets.
 */
export function extractAnswerSchema(types: readonly string[]) {
  if (types.length === 0) throw new RangeError('an extraction answer schema needs at least one type');
  const type = z.enum(types as [string, ...string[]]);
  return z.object({ entities: z.array(z.object({ type, text: z.string() })) });
}

/** A mention the teacher gave that did not become a span: not a mention at all, an unknown type, or unplaceable. */
export interface RejectedEntity {
  /** The mention (or whole answer) as the teacher wrote it. */
  raw: string;
  reason: string;
  /** Position in the answer's list, when the problem is one mention. */
  index?: number;
}

export type ExtractAnswer =
  | { ok: true; spans: AlignedSpan[]; rejected: RejectedEntity[] }
  | { ok: false; raw: string; reason: string };

function stripFence(text: string): string {
  const m = /^```[a-zA-Z]*\s*\n?([\s\S]*?)\s*```$/.exec(text.trim());
  return m ? m[1] : text.trim();
}

/**
 * Raw model text → spans in `input` and what was rejected. Only an answer that is not a JSON object
 * with an "entities" list fails as a whole (`ok: false`, worth asking again); everything else is
 * per mention.
 */
export function parseExtractAnswer(
  raw: string,
  input: string,
  types: readonly string[],
  options: AlignOptions & { truncated?: boolean } = {},
): ExtractAnswer {
  if (raw.trim() === '') return { ok: false, raw, reason: 'the answer was empty' };
  let value: unknown;
  try {
    value = JSON.parse(stripFence(raw));
  } catch {
    return {
      ok: false,
      raw,
      reason: options.truncated
        ? 'the answer was cut off at the output token limit (raise teacher.maxOutputTokens)'
        : 'the answer was not valid JSON',
    };
  }
  const list =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>).entities
      : undefined;
  if (!Array.isArray(list)) return { ok: false, raw, reason: 'the answer had no "entities" list' };

  const known = new Set(types);
  const rejected: RejectedEntity[] = [];
  const mentions: { type: string; text: string }[] = [];
  const answerIndex: number[] = [];
  list.forEach((item, index) => {
    const itemRaw = JSON.stringify(item) ?? String(item);
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      rejected.push({ raw: itemRaw, index, reason: 'mention is not an object with "type" and "text"' });
      return;
    }
    const { type, text } = item as Record<string, unknown>;
    if (typeof type !== 'string' || typeof text !== 'string') {
      rejected.push({ raw: itemRaw, index, reason: 'mention needs a string "type" and a string "text"' });
      return;
    }
    if (!known.has(type)) {
      rejected.push({ raw: itemRaw, index, reason: `type ${JSON.stringify(type)} is not one of the task's types` });
      return;
    }
    mentions.push({ type, text });
    answerIndex.push(index);
  });
  const aligned = alignMentions(input, mentions, options);
  const spans = aligned.spans.map((s) => ({ ...s, index: answerIndex[s.index] }));
  for (const r of aligned.rejected) rejected.push(fromUnaligned(r, answerIndex[r.index]));
  rejected.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return { ok: true, spans, rejected };
}

function fromUnaligned(r: RejectedMention, index: number): RejectedEntity {
  return { raw: JSON.stringify({ type: r.type, text: r.text }), index, reason: r.reason };
}
