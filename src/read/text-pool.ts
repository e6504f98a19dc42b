import type { TextPool } from '../core/types.js';
import { textId } from '../util/hash.js';

/** A pool held in memory (tests, library callers that pass an array). */
export function arrayPool(texts: readonly string[]): TextPool {
  let ids: Map<string, number[]> | undefined;
  return {
    size: texts.length,
    textsAt: (positions) =>
      positions.map((p) => {
        if (!(p >= 0 && p < texts.length)) throw new RangeError(`pool position ${p} is outside 0..${texts.length - 1}`);
        return texts[p];
      }),
    texts: () => texts,
    positionsOf: (id) => {
      if (!ids) {
        ids = new Map();
        texts.forEach((t, i) => {
          const k = textId(t);
          const at = ids!.get(k);
          if (at) at.push(i);
          else ids!.set(k, [i]);
        });
      }
      return ids.get(id) ?? [];
    },
  };
}

/** The pool as given: an array is wrapped, a TextPool passes through. */
export function asTextPool(pool: readonly string[] | TextPool): TextPool {
  return Array.isArray(pool) ? arrayPool(pool as readonly string[]) : (pool as TextPool);
}

/** Positions 0..n-1. */
export function positions(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
