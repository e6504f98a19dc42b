/**
 * One multi-label decoding rule for every model: each label whose score clears the model's own cut
 * (probability ≥ 0.5, or decision value > 0 for an SVM), and, when no training row had an empty label
 * set, the top-scoring label if none clears it. The student learns the same rule from its train rows
 * (`atLeastOne` in its model), so peers get it from the same fact.
 */
export function atLeastOneFromTrain(rows: readonly { labels: readonly string[] }[]): boolean {
  return rows.length > 0 && rows.every((r) => r.labels.length > 0);
}

/** Labels of one row from (label, score) pairs: all scores ≥ cut, else the top one if `atLeastOne`. */
export function decodeMultiLabel(
  scored: readonly { label: string; score: number }[],
  cut: number,
  atLeastOne: boolean,
): string[] {
  const over = scored.filter((s) => s.score >= cut).map((s) => s.label);
  if (over.length > 0 || !atLeastOne || scored.length === 0) return over;
  let top = scored[0];
  for (const s of scored) if (s.score > top.score) top = s;
  return [top.label];
}
