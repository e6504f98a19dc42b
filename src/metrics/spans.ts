/**
 * Entity-level scores for extraction. `exact`: a predicted span counts only when start, end and
 * type all equal a gold span's (the CoNLL / seqeval convention). `partial`: a predicted span counts
 * when it overlaps any gold span of the same type (precision side), and a gold span is found when
 * any predicted span of its type overlaps it (recall side); a lenient bound that shows how much of
 * the exact-match gap is boundary disagreement rather than missed entities.
 */
export interface SpanLike {
  start: number;
  end: number;
  type: string;
}

export interface SpanScores {
  precision: number;
  recall: number;
  f1: number;
  /** Predicted spans that matched. */
  tp: number;
  predicted: number;
  gold: number;
}

export interface SpanMetrics {
  micro: SpanScores;
  perType: Record<string, SpanScores>;
  /** Unweighted mean of the per-type F1s over the types with any gold or predicted span. */
  macroF1: number;
  partial: SpanScores;
  partialPerType: Record<string, SpanScores>;
}

function scores(tpPred: number, predicted: number, tpGold: number, gold: number): SpanScores {
  const precision = predicted === 0 ? 0 : tpPred / predicted;
  const recall = gold === 0 ? 0 : tpGold / gold;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, tp: tpPred, predicted, gold };
}

interface Tally {
  predicted: number;
  gold: number;
  exact: number;
  partialPred: number;
  partialGold: number;
}

const overlaps = (a: SpanLike, b: SpanLike) => a.type === b.type && a.start < b.end && b.start < a.end;

/** `gold[i]` and `predicted[i]` are the spans of text i. */
export function spanMetrics(
  gold: readonly (readonly SpanLike[])[],
  predicted: readonly (readonly SpanLike[])[],
  types?: readonly string[],
): SpanMetrics {
  if (gold.length !== predicted.length)
    throw new RangeError(`spanMetrics: ${gold.length} gold texts but ${predicted.length} predicted`);
  const tallies = new Map<string, Tally>();
  const tally = (type: string) => {
    let t = tallies.get(type);
    if (!t) tallies.set(type, (t = { predicted: 0, gold: 0, exact: 0, partialPred: 0, partialGold: 0 }));
    return t;
  };
  for (const type of types ?? []) tally(type);
  gold.forEach((gs, i) => {
    const ps = predicted[i];
    const goldKeys = new Set(gs.map((s) => `${s.start}:${s.end}:${s.type}`));
    const seen = new Set<string>();
    for (const p of ps) {
      const t = tally(p.type);
      const key = `${p.start}:${p.end}:${p.type}`;
      // A span predicted twice is one prediction.
      if (seen.has(key)) continue;
      seen.add(key);
      t.predicted++;
      if (goldKeys.has(key)) t.exact++;
      if (gs.some((g) => overlaps(p, g))) t.partialPred++;
    }
    for (const g of gs) {
      const t = tally(g.type);
      t.gold++;
      if (ps.some((p) => overlaps(p, g))) t.partialGold++;
    }
  });
  const perType: Record<string, SpanScores> = {};
  const partialPerType: Record<string, SpanScores> = {};
  const sum: Tally = { predicted: 0, gold: 0, exact: 0, partialPred: 0, partialGold: 0 };
  for (const type of [...tallies.keys()].sort()) {
    const t = tallies.get(type)!;
    perType[type] = scores(t.exact, t.predicted, t.exact, t.gold);
    partialPerType[type] = scores(t.partialPred, t.predicted, t.partialGold, t.gold);
    for (const k of Object.keys(sum) as (keyof Tally)[]) sum[k] += t[k];
  }
  const active = Object.values(perType).filter((s) => s.gold + s.predicted > 0);
  return {
    micro: scores(sum.exact, sum.predicted, sum.exact, sum.gold),
    perType,
    macroF1: active.length ? active.reduce((a, s) => a + s.f1, 0) / active.length : 0,
    partial: scores(sum.partialPred, sum.predicted, sum.partialGold, sum.gold),
    partialPerType,
  };
}
