import type { PerLabel } from './classification.js';

/** The k largest off-diagonal cells of a confusion matrix: where the student mistakes one label for another. */
export function mostConfusedPairs(
  confusion: readonly (readonly number[])[],
  labels: readonly string[],
  k: number,
): { gold: string; predicted: string; count: number }[] {
  const cells: { gold: string; predicted: string; count: number }[] = [];
  confusion.forEach((row, g) =>
    row.forEach((count, p) => {
      if (g !== p && count > 0) cells.push({ gold: labels[g], predicted: labels[p], count });
    }),
  );
  // Stable sort keeps label order among equal counts, so the answer does not depend on the engine.
  return cells.sort((a, b) => b.count - a.count).slice(0, Math.max(0, k));
}

/**
 * The k labels with the lowest F1 among those with gold support (a label absent from the eval set
 * says nothing about the student). Ties: more support first, where the weakness costs more.
 */
export function weakestLabels(perLabel: PerLabel, k: number): { label: string; f1: number }[] {
  return perLabel
    .filter((s) => s.support > 0)
    .sort((a, b) => a.f1 - b.f1 || b.support - a.support)
    .slice(0, Math.max(0, k))
    .map((s) => ({ label: s.label, f1: s.f1 }));
}
