import { closest } from './did-you-mean.js';
import type { KindFields, TaskKindSpec } from './kinds.js';
import { type LabelDef, TaskFileSchema } from './schema.js';

/** Labels named once each, as `{name, description?}`; a repeat fails naming both places. */
export function labelDefs(
  specs: readonly (string | { name: string; description?: string })[],
  field: string,
  noun: string,
  fail: (path: PropertyKey[], message: string, hint?: string) => never,
): { defs: LabelDef[]; index: Map<string, number> } {
  const defs: LabelDef[] = specs.map((l) =>
    typeof l === 'string'
      ? { name: l }
      : l.description === undefined
        ? { name: l.name }
        : { name: l.name, description: l.description },
  );
  const index = new Map<string, number>();
  defs.forEach((l, i) => {
    const before = index.get(l.name);
    if (before !== undefined)
      fail(
        [field, i],
        `${noun} \`${l.name}\` is listed twice (${field}.${before} and ${field}.${i})`,
        `remove one of them; ${noun} names must be unique`,
      );
    index.set(l.name, i);
  });
  return { defs, index };
}

/** The default kind: every text gets one label (or, multi-label, a set of labels). */
export const classifyTaskKind: TaskKindSpec = {
  name: 'classify',
  description: 'label each text with one of the task labels (or a set of them, multiLabel)',
  schema: TaskFileSchema,
  fields(t, fail): KindFields {
    const { defs: labels, index: firstIndex } = labelDefs(t.labels, 'labels', 'label', fail);
    const names = labels.map((l) => l.name);
    const unknownLabelHint = (label: string) => {
      const guess = closest(label, names);
      return `${guess ? `did you mean \`${guess}\`? ` : ''}known labels: ${names.join(', ')}`;
    };
    const seeds = (t.seeds as { text: string; label?: string; labels?: string[] }[]).map((s, i) => {
      if (s.label !== undefined && s.labels !== undefined)
        fail(
          ['seeds', i],
          'give either `label` or `labels`, not both',
          'use `label: x` for a single-label task, `labels: [x, y]` for a multi-label one',
        );
      const seedLabels = s.labels ?? [s.label!];
      seedLabels.forEach((label, k) => {
        if (!firstIndex.has(label)) {
          fail(
            s.labels ? ['seeds', i, 'labels', k] : ['seeds', i, 'label'],
            `\`${label}\` is not one of the task's labels`,
            unknownLabelHint(label),
          );
        }
      });
      if (!t.multiLabel && seedLabels.length !== 1) {
        fail(
          ['seeds', i, 'labels'],
          `a single-label task needs exactly one label per seed, this one has ${seedLabels.length}`,
          'use `label: x`, or set `multiLabel: true` for a multi-label task',
        );
      }
      return { text: s.text, labels: [...new Set(seedLabels)] };
    });
    return { multiLabel: t.multiLabel, labels, seeds };
  },
  toFileFields: (task) => ({
    multiLabel: task.multiLabel,
    labels: task.labels.map((l) =>
      l.description === undefined ? l.name : { name: l.name, description: l.description },
    ),
    seeds: task.seeds.map((s) => ({ text: s.text, labels: s.labels })),
  }),
};
