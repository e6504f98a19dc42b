import type { SpanLike } from './spans.js';

/** Stand-ins for "no span" in a type confusion: a gold span nothing predicted, a predicted span nothing gold. */
export const MISSED = '(missed)';
export const SPURIOUS = '(spurious)';

export interface TypeConfusion {
  /** Row and column names: the types, then `(missed)` as a column and `(spurious)` as a row. */
  types: string[];
  /** counts[gold][predicted], with `(spurious)` as a gold row and `(missed)` as a predicted column. */
  counts: Record<string, Record<string, number>>;
}

/**
 * Which type the student gave each gold span, by exact boundaries: a gold span with a predicted span
 * on the same characters counts under (gold type, predicted type); a gold span with none is
 * `(missed)`; a predicted span on no gold span's characters is `(spurious)`. Boundary errors show as
 * one missed plus one spurious (span-F1 counts them so too; partial F1 tells them apart).
 */
export function typeConfusion(
  gold: readonly (readonly SpanLike[])[],
  predicted: readonly (readonly SpanLike[])[],
  types: readonly string[],
): TypeConfusion {
  const counts: Record<string, Record<string, number>> = {};
  const bump = (g: string, p: string) => {
    counts[g] ??= {};
    counts[g][p] = (counts[g][p] ?? 0) + 1;
  };
  gold.forEach((golds, i) => {
    const preds = predicted[i] ?? [];
    const key = (s: SpanLike) => `${s.start}:${s.end}`;
    const byPlace = new Map(preds.map((p) => [key(p), p]));
    const goldPlaces = new Set(golds.map(key));
    for (const g of golds) bump(g.type, byPlace.get(key(g))?.type ?? MISSED);
    for (const p of preds) if (!goldPlaces.has(key(p))) bump(SPURIOUS, p.type);
  });
  return { types: [...types], counts };
}
