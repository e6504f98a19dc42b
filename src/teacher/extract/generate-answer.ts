import { z } from 'zod';
import type { Envelope } from '../output-schema.js';
import { parseExtractAnswer } from './output-schema.js';
import type { ExtractGenerateResult, GeneratedExample } from './types.js';

/** Structured output of an extraction generation: texts, each with its mentions, types restricted to the task's. */
export function extractGenerateSchema(types: readonly string[]) {
  if (types.length === 0) throw new RangeError('an extraction generation schema needs at least one type');
  const type = z.enum(types as [string, ...string[]]);
  return z.object({
    examples: z.array(z.object({ text: z.string(), entities: z.array(z.object({ type, text: z.string() })) })),
  });
}

function stripFence(text: string): string {
  const m = /^```[a-zA-Z]*\s*\n?([\s\S]*?)\s*```$/.exec(text.trim());
  return m ? m[1] : text.trim();
}

/** Whole-answer shape: a JSON object with an `examples` list (the check that asks again). */
export function extractGenerateEnvelope(text: string, truncated = false): Envelope<unknown[]> {
  if (text.trim() === '') return { ok: false, problem: 'the answer was empty' };
  let value: unknown;
  try {
    value = JSON.parse(stripFence(text));
  } catch {
    return {
      ok: false,
      problem: truncated
        ? 'the answer was cut off at the output token limit (raise teacher.maxOutputTokens)'
        : 'the answer was not valid JSON',
    };
  }
  const list =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>).examples
      : undefined;
  if (!Array.isArray(list)) return { ok: false, problem: 'the answer had no "examples" list' };
  return { ok: true, value: list };
}

/**
 * Raw model text → annotated examples. Per example: a missing or empty text, a repeat of an earlier
 * one, an entities field that is not a list, or one more than asked for rejects that example with
 * its raw JSON; otherwise its mentions are parsed and aligned to its own text exactly as an
 * extraction answer is (parseExtractAnswer), so a mention the model did not put in its text becomes
 * a rejected mention of the example, never a silent drop.
 */
export function parseExtractGenerateAnswer(
  raw: string,
  types: readonly string[],
  n: number,
  truncated = false,
): Omit<ExtractGenerateResult, 'answers'> {
  const envelope = extractGenerateEnvelope(raw, truncated);
  if (!envelope.ok) return { examples: [], rejected: [{ raw, reason: envelope.problem }] };
  const examples: GeneratedExample[] = [];
  const rejected: ExtractGenerateResult['rejected'] = [];
  const seen = new Set<string>();
  for (const item of envelope.value) {
    const itemRaw = JSON.stringify(item) ?? String(item);
    const record = item !== null && typeof item === 'object' && !Array.isArray(item) ? item : undefined;
    const text = (record as Record<string, unknown> | undefined)?.text;
    if (typeof text !== 'string' || text.trim() === '') {
      rejected.push({ raw: itemRaw, reason: 'example has no text' });
      continue;
    }
    const key = text.trim().replace(/\s+/g, ' ').toLowerCase();
    if (seen.has(key)) {
      rejected.push({ raw: itemRaw, reason: 'example repeats an earlier one' });
      continue;
    }
    if (examples.length >= n) {
      rejected.push({ raw: itemRaw, reason: `more than the ${n} examples asked for` });
      continue;
    }
    const entities = (record as Record<string, unknown>).entities ?? [];
    const parsed = parseExtractAnswer(JSON.stringify({ entities }), text, types);
    if (!parsed.ok) {
      rejected.push({ raw: itemRaw, reason: 'example has no "entities" list' });
      continue;
    }
    seen.add(key);
    examples.push({
      text,
      spans: parsed.spans.map(({ start, end, type, text: t, status }) => ({ start, end, type, text: t, status })),
      rejected: parsed.rejected,
    });
  }
  return { examples, rejected };
}
