import { z } from 'zod';
import type { Teacher } from '../../teacher/types.js';

/** One way texts of the task vary, with the values it takes (AttrPrompt's attribute dimensions). */
export interface Dimension {
  name: string;
  values: string[];
}

export const MIN_DIMENSIONS = 3;
export const MAX_DIMENSIONS = 5;
export const MIN_VALUES = 3;
export const MAX_VALUES = 6;

const proposalSchema = z.object({
  dimensions: z.array(z.object({ name: z.string(), values: z.array(z.string()) })),
});

export function proposalPrompt(): string {
  return [
    'Propose the attribute dimensions along which the texts of this task vary, so that training examples can be written to cover all of them',
    '(for instance length, tone, kind of writer, topic, format).',
    `Give ${MIN_DIMENSIONS} to ${MAX_DIMENSIONS} dimensions. Each has a short name and ${MIN_VALUES} to ${MAX_VALUES} short values that are clearly different from one another`,
    'and that texts of any label could have. The labels themselves are not a dimension.',
    'Answer with a JSON object {"dimensions": [{"name": "...", "values": ["...", "..."]}, ...]}.',
  ].join('\n');
}

/**
 * Asks the teacher once for the task's attribute dimensions. Whatever comes back is tidied to the
 * limits (names unique, values unique, at most 5 × 6) rather than refused: a dimension with two
 * good values still spreads the examples. Undefined when nothing usable came back.
 */
export async function proposeDimensions(
  ask: NonNullable<Teacher['ask']>,
  labels: readonly string[],
): Promise<Dimension[] | undefined> {
  const answer = await ask({ purpose: 'attributes', prompt: proposalPrompt(), schema: proposalSchema });
  if (!answer.ok) return undefined;
  const { dimensions } = answer.value as z.infer<typeof proposalSchema>;
  const labelNames = new Set(labels.map((l) => l.toLowerCase()));
  const seen = new Set<string>();
  const out: Dimension[] = [];
  for (const d of dimensions) {
    const name = tidy(d.name);
    const key = name.toLowerCase();
    if (!name || seen.has(key) || key === 'label' || key === 'labels') continue;
    const values = unique(d.values.map(tidy).filter((v) => v && !labelNames.has(v.toLowerCase()))).slice(0, MAX_VALUES);
    if (values.length < 2) continue;
    seen.add(key);
    out.push({ name, values });
    if (out.length >= MAX_DIMENSIONS) break;
  }
  return out.length > 0 ? out : undefined;
}

/** One line, no path separators or `=`: names and values become attribute keys and leaf paths. */
export function tidy(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/[/=]/g, '-').trim().slice(0, 60);
}

function unique(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = v.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
