import type { ExtractRow, RejectedAnswer } from '../types.js';
import type { SpanFilterResult } from './types.js';

/** `rows` with `part` replaced, in place, by what a filter kept of it; its removals go to `rejected`. */
export function replaceKept(
  rows: readonly ExtractRow[],
  part: readonly ExtractRow[],
  result: SpanFilterResult,
  rejected: RejectedAnswer[],
): ExtractRow[] {
  rejected.push(...result.removed);
  const inPart = new Set(part);
  const kept = new Map(result.kept.map((r) => [r.id, r]));
  return rows.flatMap((r) => (inPart.has(r) ? (kept.get(r.id) ?? []) : [r]));
}
