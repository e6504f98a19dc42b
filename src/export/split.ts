import { fmix32, fnv1a } from '../text/fnv.js';
import type { RunExample } from './run-data.js';

/**
 * Train/validation split for the dataset exports: per label set (stratified), rows ordered by a
 * hash of their id, the first `share` of each group to validation. The same run always splits the
 * same way, and a row's side does not depend on which other rows exist in another label's group.
 */
export function splitExamples(
  rows: readonly RunExample[],
  share: number,
): { train: RunExample[]; validation: RunExample[] } {
  const groups = new Map<string, RunExample[]>();
  for (const r of rows) {
    const key = [...r.labels].sort().join('\u0000');
    const g = groups.get(key) ?? [];
    g.push(r);
    groups.set(key, g);
  }
  const held = new Set<RunExample>();
  for (const g of groups.values()) {
    const order = g.map((r) => ({ r, h: hashId(r.id) })).sort((a, b) => a.h - b.h || (a.r.id < b.r.id ? -1 : 1));
    // Groups of one or two keep their rows for training: a validation row of a class seen nowhere else teaches nothing.
    const n = g.length < 3 ? 0 : Math.round(g.length * share);
    for (const { r } of order.slice(0, n)) held.add(r);
  }
  return { train: rows.filter((r) => !held.has(r)), validation: rows.filter((r) => held.has(r)) };
}

function hashId(id: string): number {
  return fmix32(fnv1a(id));
}
