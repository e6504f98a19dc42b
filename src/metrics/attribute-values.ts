/**
 * Attribute-value scores as ExtractGPT (Brinkmann et al.) computes them on OA-Mine / AE-110K /
 * WDC-PAVE: values are compared as strings (gold values trimmed; a prediction is right when it
 * equals one of the gold values exactly). For every product and every attribute in its gold record:
 *
 *   NN  gold absent, nothing predicted      NV  gold absent, a value predicted (false positive)
 *   VN  gold present, nothing predicted     VC  gold present, predicted value among them
 *   VW  gold present, another value predicted (wrong: counts against precision and recall)
 *
 *   precision = VC / (NV + VC + VW)    recall = VC / (VN + VC + VW)
 *
 * Micro sums the counts over all (attribute, category) pairs; macro averages per-pair scores over the
 * pairs that have anything but NN. Predicted attributes that the gold record does not list are not
 * scored (ExtractGPT iterates the gold record's attributes). Scores are fractions, not percent.
 */
export interface AttributeRow {
  category?: string;
  /** Attribute → acceptable values; an empty list means the attribute is absent. */
  gold: Record<string, readonly string[]>;
  /** Attribute → the one predicted value; undefined, null, "" or "n/a" mean none. */
  predicted: Record<string, string | null | undefined>;
}

export interface AttributeCounts {
  nn: number;
  nv: number;
  vn: number;
  vc: number;
  vw: number;
}

export interface AttributeScores {
  precision: number;
  recall: number;
  f1: number;
  counts: AttributeCounts;
}

export interface AttributeValueMetrics {
  micro: AttributeScores;
  macro: { precision: number; recall: number; f1: number };
  /** Keyed `attribute|category`. */
  perAttribute: Record<string, AttributeScores>;
}

const ABSENT = new Set(['', 'n/a', 'None']);

function scored(counts: AttributeCounts): AttributeScores {
  const { nv, vn, vc, vw } = counts;
  const precision = nv + vc + vw > 0 ? vc / (nv + vc + vw) : 0;
  const recall = vn + vc + vw > 0 ? vc / (vn + vc + vw) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, counts };
}

export function attributeValueMetrics(rows: readonly AttributeRow[]): AttributeValueMetrics {
  const pairs = new Map<string, AttributeCounts>();
  for (const row of rows) {
    for (const [attribute, values] of Object.entries(row.gold)) {
      const key = `${attribute}|${row.category ?? ''}`;
      let c = pairs.get(key);
      if (!c) pairs.set(key, (c = { nn: 0, nv: 0, vn: 0, vc: 0, vw: 0 }));
      const gold = values.map((v) => v.trim()).filter((v) => !ABSENT.has(v));
      const raw = row.predicted[attribute];
      const prediction = raw === null || raw === undefined || ABSENT.has(raw) ? undefined : raw;
      if (gold.length === 0) prediction === undefined ? c.nn++ : c.nv++;
      else if (prediction === undefined) c.vn++;
      else if (gold.includes(prediction)) c.vc++;
      else c.vw++;
    }
  }
  const total: AttributeCounts = { nn: 0, nv: 0, vn: 0, vc: 0, vw: 0 };
  const perAttribute: Record<string, AttributeScores> = {};
  for (const key of [...pairs.keys()].sort()) {
    const c = pairs.get(key)!;
    if (c.nv + c.vn + c.vc + c.vw === 0) continue;
    perAttribute[key] = scored(c);
    for (const k of Object.keys(total) as (keyof AttributeCounts)[]) total[k] += c[k];
  }
  const list = Object.values(perAttribute);
  const mean = (f: (s: AttributeScores) => number) =>
    list.length ? list.reduce((a, s) => a + f(s), 0) / list.length : 0;
  return {
    micro: scored(total),
    macro: { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1) },
    perAttribute,
  };
}
