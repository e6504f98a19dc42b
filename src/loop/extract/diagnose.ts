import { MISSED, SPURIOUS, typeConfusion } from '../../metrics/span-confusion.js';
import type { SpanLike, SpanMetrics } from '../../metrics/spans.js';

/** What the student gets wrong on validation: what the generation arms aim at next round. */
export interface ExtractWeaknesses {
  /** Types by validation F1, weakest first (types with no gold span on validation left out). */
  weakest: { type: string; f1: number }[];
  /** Pairs of real types the student confuses (same characters, other type), most frequent first. */
  confused: { type: string; predicted: string; count: number }[];
}

/** Weakest types: fewest kept. Confused pairs: fewest kept. */
const KEEP = 3;

/**
 * Per-type F1 and the type confusion (the report's, src/metrics/span-confusion.ts) of the round's
 * student on validation. A type with no gold span on validation has no F1 worth steering by (it
 * scores 0 whatever the student does), so it is left out of `weakest`; `(missed)` and
 * `(spurious)` are left out of `confused`: a pair is two real types.
 */
export function diagnoseExtract(
  metrics: SpanMetrics,
  gold: readonly (readonly SpanLike[])[],
  predicted: readonly (readonly SpanLike[])[],
  types: readonly string[],
): ExtractWeaknesses {
  const weakest = Object.entries(metrics.perType)
    .filter(([, s]) => s.gold > 0)
    .map(([type, s]) => ({ type, f1: s.f1 }))
    .sort((a, b) => a.f1 - b.f1 || a.type.localeCompare(b.type))
    .slice(0, KEEP);
  const { counts } = typeConfusion(gold, predicted, types);
  const confused: ExtractWeaknesses['confused'] = [];
  for (const [type, row] of Object.entries(counts)) {
    if (type === SPURIOUS) continue;
    for (const [p, count] of Object.entries(row))
      if (p !== MISSED && p !== type && count > 0) confused.push({ type, predicted: p, count });
  }
  confused.sort((a, b) => b.count - a.count || a.type.localeCompare(b.type) || a.predicted.localeCompare(b.predicted));
  return { weakest, confused: confused.slice(0, KEEP) };
}
