import { Rng } from '../../src/util/random.js';

/** Texts compared the way the loop and the dataset teacher compare them: trimmed, whitespace collapsed, lowercased. */
const key = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Indices (ascending) of a seeded `share` of the rows (`held`) and of the rest (`seen`), cut by
 * distinct text: a text that occurs twice lands twice on the same side, so nothing scored on the held
 * side was ever seen, even as a duplicate, on the other.
 */
export function splitByText(texts: readonly string[], share: number, seed: number): { seen: number[]; held: number[] } {
  const groups = new Map<string, number[]>();
  texts.forEach((t, i) => {
    const k = key(t);
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  const order = new Rng(seed).shuffle([...groups.values()]);
  const want = Math.round(texts.length * share);
  const held: number[] = [];
  const seen: number[] = [];
  for (const g of order) (held.length < want ? held : seen).push(...g);
  const byIndex = (a: number, b: number) => a - b;
  return { seen: seen.sort(byIndex), held: held.sort(byIndex) };
}

/** Held-out rows whose text also occurs among the seen rows: 0 by construction, checked at run time anyway. */
export function overlapCount(texts: readonly string[], split: { seen: number[]; held: number[] }): number {
  const seen = new Set(split.seen.map((i) => key(texts[i])));
  return split.held.filter((i) => seen.has(key(texts[i]))).length;
}
