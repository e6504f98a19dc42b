import { z } from 'zod';
import type { GenerateResult, LabelResult, TeacherTaskContext } from './types.js';

/**
 * Two halves on purpose. The strict zod schemas go to the provider as structured output, so a
 * server that supports constrained decoding cannot even produce a label outside the set. The
 * parsers below are lenient about the envelope and strict per row: they run on the raw text kept
 * in the cache (so a replay parses exactly like the live call did), and one bad row never costs
 * the others. Rows are never coerced to a valid label and never dropped.
 */

export function labelAnswerSchema(task: TeacherTaskContext, count: number, rationale: boolean) {
  const names = task.labels.map((l) => l.name) as [string, ...string[]];
  const ids = Array.from({ length: count }, (_, i) => String(i + 1)) as [string, ...string[]];
  const label = z.enum(names);
  const item = z.object({
    id: z.enum(ids),
    ...(task.multiLabel ? { labels: z.array(label) } : { label }),
    ...(rationale ? { rationale: z.string() } : {}),
  });
  return z.object({ items: z.array(item) });
}

export const generateAnswerSchema = z.object({ examples: z.array(z.string()) });

export type Envelope<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Models behind plain OpenAI-compatible servers like to wrap JSON in a Markdown fence. */
function stripFence(text: string): string {
  const m = /^```[a-zA-Z]*\s*\n?([\s\S]*?)\s*```$/.exec(text.trim());
  return m ? m[1] : text.trim();
}

/**
 * `truncated`: the provider stopped at the output token limit. Said in the problem because the
 * fix is a setting, not a better model.
 */
function parseJson(text: string, truncated: boolean, fix: string): Envelope<unknown> {
  if (text.trim() === '') return { ok: false, problem: 'the answer was empty' };
  try {
    return { ok: true, value: JSON.parse(stripFence(text)) };
  } catch {
    return {
      ok: false,
      problem: truncated
        ? `the answer was cut off at the output token limit (${fix})`
        : 'the answer was not valid JSON',
    };
  }
}

function parseEnvelope(text: string, field: string, truncated: boolean): Envelope<unknown[]> {
  const json = parseJson(text, truncated, 'raise teacher.maxOutputTokens or lower teacher.batchSize');
  if (!json.ok) return json;
  const value = json.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problem: `the answer was not a JSON object with an "${field}" array` };
  }
  const list = (value as Record<string, unknown>)[field];
  if (!Array.isArray(list)) return { ok: false, problem: `the answer had no "${field}" array` };
  return { ok: true, value: list };
}

/** Whole-answer shape check only; row problems do not warrant asking again. */
export function labelEnvelope(text: string, truncated = false): Envelope<unknown[]> {
  return parseEnvelope(text, 'items', truncated);
}

export function generateEnvelope(text: string, truncated = false): Envelope<unknown[]> {
  return parseEnvelope(text, 'examples', truncated);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function itemId(item: unknown): string | undefined {
  if (!isRecord(item)) return undefined;
  const id = item.id;
  if (typeof id === 'string') return id.trim();
  // A number is the same id written without quotes, not a guess at what was meant.
  if (typeof id === 'number' && Number.isInteger(id)) return String(id);
  return undefined;
}

function rowFromItem(id: string, item: Record<string, unknown>, task: TeacherTaskContext): LabelResult {
  const valid = new Set(task.labels.map((l) => l.name));
  const raw = JSON.stringify(item);
  let labels: string[];
  if (task.multiLabel) {
    const given = item.labels;
    if (!Array.isArray(given) || given.some((l) => typeof l !== 'string')) {
      return { id, ok: false, raw, reason: 'expected "labels" to be a list of label names' };
    }
    labels = [...new Set(given as string[])];
  } else {
    if (typeof item.label !== 'string') return { id, ok: false, raw, reason: 'expected "label" to be a label name' };
    labels = [item.label];
  }
  const unknown = labels.filter((l) => !valid.has(l));
  if (unknown.length) {
    return {
      id,
      ok: false,
      raw,
      reason: `label ${unknown.map((l) => JSON.stringify(l)).join(', ')} is not one of the task's labels`,
    };
  }
  const rationale = typeof item.rationale === 'string' && item.rationale.trim() ? item.rationale.trim() : undefined;
  return rationale === undefined ? { id, ok: true, labels } : { id, ok: true, labels, rationale };
}

/**
 * One result per input id, in order. Batch-local ids ("1".."n") are what the model sees; `ids`
 * maps them back to the inputs' own ids.
 */
export function parseLabelAnswer(
  text: string,
  ids: readonly string[],
  task: TeacherTaskContext,
  truncated = false,
): LabelResult[] {
  const envelope = labelEnvelope(text, truncated);
  if (!envelope.ok) return ids.map((id) => ({ id, ok: false, raw: text, reason: envelope.problem }));

  const byPosition = new Map<number, Record<string, unknown>[]>();
  for (const item of envelope.value) {
    const local = itemId(item);
    const position = local !== undefined && /^[1-9]\d*$/.test(local) ? Number(local) - 1 : -1;
    if (position < 0 || position >= ids.length || !isRecord(item)) continue;
    const list = byPosition.get(position) ?? [];
    list.push(item);
    byPosition.set(position, list);
  }

  return ids.map((id, position): LabelResult => {
    const items = byPosition.get(position) ?? [];
    if (items.length === 0) return { id, ok: false, raw: text, reason: `no answer for text ${position + 1}` };
    if (items.length > 1) {
      return {
        id,
        ok: false,
        raw: JSON.stringify(items),
        reason: `text ${position + 1} was answered ${items.length} times`,
      };
    }
    return rowFromItem(id, items[0], task);
  });
}

function sameTextKey(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function parseGenerateAnswer(
  text: string,
  label: string,
  n: number,
  truncated = false,
): Omit<GenerateResult, 'answers'> {
  const envelope = generateEnvelope(text, truncated);
  if (!envelope.ok) return { label, texts: [], rejected: [{ raw: text, reason: envelope.problem }] };

  const texts: string[] = [];
  const rejected: GenerateResult['rejected'] = [];
  const seen = new Set<string>();
  for (const item of envelope.value) {
    if (typeof item !== 'string') {
      rejected.push({ raw: JSON.stringify(item) ?? String(item), reason: 'example is not a string' });
    } else if (item.trim() === '') {
      rejected.push({ raw: item, reason: 'example is empty' });
    } else if (seen.has(sameTextKey(item))) {
      rejected.push({ raw: item, reason: 'example repeats an earlier one' });
    } else if (texts.length >= n) {
      rejected.push({ raw: item, reason: `more than the ${n} examples asked for` });
    } else {
      seen.add(sameTextKey(item));
      texts.push(item.trim());
    }
  }
  return { label, texts, rejected };
}

/**
 * An `ask` answer checked against the caller's own schema. Used both as the shape check that asks
 * again and as the parser of the cached raw text, so a replay sees what the live call saw.
 */
export function parseAskAnswer(text: string, schema: z.ZodType, truncated = false): Envelope<unknown> {
  const json = parseJson(text, truncated, 'raise teacher.maxOutputTokens');
  if (!json.ok) return json;
  const parsed = schema.safeParse(json.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue.path.length ? ` at ${issue.path.join('.')}` : '';
  return { ok: false, problem: `the answer did not have the required shape${where}: ${issue.message}` };
}
