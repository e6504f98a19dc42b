import { z } from 'zod';
import type { TextClusters } from '../../text/clusters.js';
import type { Teacher } from '../../teacher/types.js';
import { tidy } from './attribute-space.js';

/** A leaf of the task-space partition: where a share of the examples should come from. */
export interface Leaf {
  /** `label/sub-topic`; just `label` when the label was not split. */
  path: string;
  label: string;
  /** One sentence saying what belongs here, shown to the teacher. */
  description?: string;
  /** Dataset teacher: the cluster this leaf is. */
  cluster?: string;
}

/** Children per node: more and the teacher's sub-topics start to overlap. */
export const MAX_CHILDREN = 4;
/** Labels partitioned per question, so the answer stays well inside the output token limit. */
const LABELS_PER_QUESTION = 8;

const partitionSchema = z.object({
  labels: z.array(
    z.object({
      label: z.string(),
      subtopics: z.array(z.object({ name: z.string(), description: z.string() })),
    }),
  ),
});

export function partitionPrompt(labels: readonly string[]): string {
  return [
    `Partition the texts of each label below into 2 to ${MAX_CHILDREN} sub-topics that are mutually exclusive (no text fits two of them)`,
    'and together exhaustive (every text of the label fits one of them). Name each sub-topic in a few words and describe it in one sentence.',
    '',
    `Labels: ${labels.map((l) => JSON.stringify(l)).join(', ')}`,
    '',
    'Answer with a JSON object {"labels": [{"label": "...", "subtopics": [{"name": "...", "description": "..."}]}]} with one entry per label.',
  ].join('\n');
}

/**
 * The tree is two levels deep: the labels (a partition the task already gives), then the
 * teacher's sub-topics of each. A label the teacher did not split stays a leaf of its own.
 */
export async function partitionByTeacher(ask: NonNullable<Teacher['ask']>, labels: readonly string[]): Promise<Leaf[]> {
  const groups: string[][] = [];
  for (let start = 0; start < labels.length; start += LABELS_PER_QUESTION)
    groups.push(labels.slice(start, start + LABELS_PER_QUESTION));
  // Independent questions: the teacher bounds how many are in flight.
  const answers = await Promise.all(
    groups.map((group) => ask({ purpose: 'partition', prompt: partitionPrompt(group), schema: partitionSchema })),
  );
  return groups.flatMap((group, i) => {
    const answer = answers[i];
    const byLabel = new Map<string, { name: string; description: string }[]>();
    if (answer.ok)
      for (const entry of (answer.value as z.infer<typeof partitionSchema>).labels)
        byLabel.set(entry.label, entry.subtopics);
    return group.flatMap((label) => leavesOf(label, byLabel.get(label) ?? []));
  });
}

function leavesOf(label: string, subtopics: readonly { name: string; description: string }[]): Leaf[] {
  const seen = new Set<string>();
  const leaves: Leaf[] = [];
  for (const s of subtopics) {
    const name = tidy(s.name);
    if (!name || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    const description = s.description.replace(/\s+/g, ' ').trim().slice(0, 200);
    leaves.push({ path: `${label}/${name}`, label, ...(description ? { description } : {}) });
    if (leaves.length >= MAX_CHILDREN) break;
  }
  return leaves.length >= 2 ? leaves : [{ path: label, label }];
}

/** Without a teacher to ask: the leaves of a label are the clusters of its texts in the dataset. */
export function partitionByClusters(clusters: TextClusters, labels: readonly string[]): Leaf[] {
  return labels.flatMap((label): Leaf[] => {
    const own = clusters.clustersOf(label);
    if (own.length === 0) return [{ path: label, label }];
    return own.map((c) => ({ path: `${label}/#${c.index}`, label, cluster: c.id }));
  });
}
