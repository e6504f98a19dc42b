import { describe, expect, it } from 'vitest';
import { MISSED, SPURIOUS, typeConfusion } from './span-confusion.js';

describe('typeConfusion', () => {
  it('counts same-place type swaps, missed gold spans and spurious predictions', () => {
    const gold = [
      [
        { start: 0, end: 3, type: 'person' },
        { start: 10, end: 15, type: 'place' },
        { start: 20, end: 24, type: 'person' },
      ],
    ];
    const predicted = [
      [
        { start: 0, end: 3, type: 'person' },
        { start: 10, end: 15, type: 'person' },
        { start: 20, end: 22, type: 'person' }, // boundary error: one missed, one spurious
      ],
    ];
    const c = typeConfusion(gold, predicted, ['person', 'place']);
    expect(c.counts).toEqual({
      person: { person: 1, [MISSED]: 1 },
      place: { person: 1 },
      [SPURIOUS]: { person: 1 },
    });
  });
});
