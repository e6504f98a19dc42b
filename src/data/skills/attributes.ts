import type { LabeledText } from '../../core/types.js';
import { clusterTexts, type TextClusters } from '../../text/clusters.js';
import { textVector } from '../../text/text-vector.js';
import { cosine } from '../../text/vector.js';
import type { Teacher } from '../../teacher/types.js';
import { CLUSTER_ATTRIBUTE } from './profile.js';

/** Attribute values of a text, for rows that arrive without any (validation rows). */
export interface AttributeSource {
  /** `{ cluster: 'label#k' }`: the label's nearest cluster, or with no label the nearest of all; `{}` when the label has none. */
  attributesFor(text: string, label?: string): Record<string, string>;
}

/** Attributes from per-label clusters of texts. */
export function clusterAttributes(clusters: TextClusters): AttributeSource {
  return {
    attributesFor(text, label): Record<string, string> {
      const id = label !== undefined ? clusters.assign(text, label) : nearestOfAll(clusters, text);
      return id === undefined ? {} : { [CLUSTER_ATTRIBUTE]: id };
    },
  };
}

/**
 * The teacher's own clusters when it has some (the dataset teacher), so the skill profile names the
 * clusters the teacher can hand out rows of. Otherwise clusters of `rows` (the validation rows themselves), seeded.
 */
export function attributeSourceFor(teacher: Teacher, rows: readonly LabeledText[], seed: number): AttributeSource {
  return clusterAttributes(teacher.clusters?.() ?? clusterTexts(rows, { seed }));
}

function nearestOfAll(clusters: TextClusters, text: string): string | undefined {
  const v = textVector(text);
  let best: string | undefined;
  let score = -Infinity;
  for (const label of clusters.labels()) {
    for (const c of clusters.clustersOf(label)) {
      const s = cosine(v, c.centroid);
      if (s > score) {
        score = s;
        best = c.id;
      }
    }
  }
  return best;
}
