import { z } from 'zod';
import type { Teacher } from '../../teacher/types.js';
import type { Dimension } from '../strategies/attribute-space.js';

/** Texts per tagging question: a batch like a labeling request's. */
export const TAG_BATCH = 20;

/** Row attribute key of a dimension: rows the attribute strategy writes and rows the teacher tags carry it, and the skill profile reports weak values under it. */
export const attributeKey = (dimension: string) => `attr.${dimension}`;

const tagSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      values: z.array(z.object({ dimension: z.string(), value: z.string() })),
    }),
  ),
});

export function tagPrompt(dimensions: readonly Dimension[], texts: readonly string[]): string {
  return [
    'For each text below, say which value of each attribute dimension fits it best.',
    'Dimensions and their values:',
    ...dimensions.map((d) => `- ${JSON.stringify(d.name)}: ${d.values.map((v) => JSON.stringify(v)).join(', ')}`),
    'Use only those values, written as given. Texts (each a JSON string after its id):',
    ...texts.map((t, i) => `${i + 1}. ${JSON.stringify(t)}`),
    'Answer with a JSON object {"items": [{"id": "1", "values": [{"dimension": "...", "value": "..."}, ...]}, ...]}, one item per text.',
  ].join('\n');
}

/**
 * The teacher tags texts with the attribute dimensions it proposed (AttrPrompt's dimensions), so
 * the skill profile can measure the student's error per value on rows nobody generated (the
 * validation set). One question per TAG_BATCH texts; it costs tokens and no answers. Values outside
 * a dimension's list are dropped, not guessed at: a text then just has no value for it. Texts
 * whose batch came back unusable get `{}`.
 */
export async function tagAttributes(
  ask: NonNullable<Teacher['ask']>,
  dimensions: readonly Dimension[],
  texts: readonly string[],
): Promise<Record<string, string>[]> {
  const out: Record<string, string>[] = texts.map(() => ({}));
  if (dimensions.length === 0) return out;
  const canonical = new Map(
    dimensions.map((d) => [
      d.name.toLowerCase(),
      { name: d.name, values: new Map(d.values.map((v) => [v.toLowerCase(), v])) },
    ]),
  );
  for (let start = 0; start < texts.length; start += TAG_BATCH) {
    const batch = texts.slice(start, start + TAG_BATCH);
    const answer = await ask({ purpose: 'tag-attributes', prompt: tagPrompt(dimensions, batch), schema: tagSchema });
    if (!answer.ok) continue;
    for (const item of (answer.value as z.infer<typeof tagSchema>).items) {
      const i = Number(item.id) - 1;
      if (!Number.isInteger(i) || i < 0 || i >= batch.length) continue;
      for (const { dimension, value } of item.values) {
        const d = canonical.get(dimension.trim().toLowerCase());
        const v = d?.values.get(value.trim().toLowerCase());
        if (d && v) out[start + i][attributeKey(d.name)] = v;
      }
    }
  }
  return out;
}
