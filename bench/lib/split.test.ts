import { describe, expect, it } from 'vitest';
import { overlapCount, splitByText } from './split.js';

describe('splitByText', () => {
  const texts = Array.from({ length: 101 }, (_, i) => `text ${i % 90}`); // 11 texts occur twice

  it('cuts every index into exactly one side, about the asked share held out', () => {
    const s = splitByText(texts, 0.5, 11);
    expect([...s.seen, ...s.held].sort((a, b) => a - b)).toEqual([...texts.keys()]);
    expect(Math.abs(s.held.length - 50)).toBeLessThanOrEqual(1);
  });

  it('keeps duplicate texts (case and spacing aside) on one side, so nothing held out was seen', () => {
    const variants = Array.from({ length: 30 }, (_, i) => ` TEXT  ${i} `);
    const withCase = [...texts, ...variants];
    const s = splitByText(withCase, 0.5, 11);
    expect(overlapCount(withCase, s)).toBe(0);
    const side = (i: number) => (s.held.includes(i) ? 'held' : 'seen');
    variants.forEach((_, k) => expect(side(texts.length + k)).toBe(side(k)));
  });

  it('is fixed by its seed and changes with it', () => {
    expect(splitByText(texts, 0.5, 11)).toEqual(splitByText(texts, 0.5, 11));
    expect(splitByText(texts, 0.5, 12).held).not.toEqual(splitByText(texts, 0.5, 11).held);
  });

  it('overlapCount finds a held text that is also on the seen side', () => {
    expect(overlapCount(['a', 'b', 'A'], { seen: [0, 1], held: [2] })).toBe(1);
  });
});
