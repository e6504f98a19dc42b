import type { Student } from '../../student/types.js';
import type { SkillEntry, SkillProfile } from './types.js';

export interface SkillRow {
  text: string;
  labels: readonly string[];
  attributes?: Readonly<Record<string, string>>;
}

export interface SkillProfileOptions {
  /** Values seen on fewer rows are left out: two rows and one error is not a weakness. Default 5. */
  minSupport?: number;
}

/** Attribute whose values are `label#index` clusters (see text/clusters.ts): they belong to one label. */
export const CLUSTER_ATTRIBUTE = 'cluster';
const DEFAULT_MIN_SUPPORT = 5;

/**
 * The student's error rate on the rows sharing each attribute value, worst first. An error is a
 * wrong top label (single-label) or a wrong label set (multi-label), as accuracy counts it. Ties:
 * more support first, since the same rate over more rows is the surer weakness.
 */
export function skillProfile(
  student: Student,
  rows: readonly SkillRow[],
  round: number,
  options: SkillProfileOptions = {},
): SkillProfile {
  const minSupport = options.minSupport ?? DEFAULT_MIN_SUPPORT;
  const withAttributes = rows.filter((r) => r.attributes && Object.keys(r.attributes).length > 0);
  const predictions = student.predictBatch(withAttributes.map((r) => r.text));
  const tally = new Map<string, { attribute: string; value: string; errors: number; support: number }>();
  withAttributes.forEach((row, i) => {
    const wrong = !sameSet(row.labels, predictions[i].labels);
    for (const [attribute, value] of Object.entries(row.attributes!)) {
      const key = `${attribute}\u0000${value}`;
      let t = tally.get(key);
      if (!t) tally.set(key, (t = { attribute, value, errors: 0, support: 0 }));
      t.support++;
      if (wrong) t.errors++;
    }
  });
  const entries: SkillEntry[] = [];
  for (const t of tally.values()) {
    if (t.support < minSupport) continue;
    const entry: SkillEntry = {
      attribute: t.attribute,
      value: t.value,
      errorRate: t.errors / t.support,
      support: t.support,
    };
    const label = labelOfValue(t.attribute, t.value);
    if (label !== undefined) entry.label = label;
    entries.push(entry);
  }
  entries.sort(
    (a, b) =>
      b.errorRate - a.errorRate ||
      b.support - a.support ||
      compare(a.attribute, b.attribute) ||
      compare(a.value, b.value),
  );
  return { round, entries };
}

/** The k worst entries the student gets wrong at all: what `Weaknesses.weakSkills` holds. */
export function weakSkills(profile: SkillProfile, k: number): SkillEntry[] {
  return profile.entries.filter((e) => e.errorRate > 0).slice(0, Math.max(0, k));
}

/** The label a cluster value belongs to (`card_arrival#2` → `card_arrival`); other attributes span labels. */
export function labelOfValue(attribute: string, value: string): string | undefined {
  if (attribute !== CLUSTER_ATTRIBUTE) return undefined;
  const cut = value.lastIndexOf('#');
  return cut > 0 ? value.slice(0, cut) : undefined;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
