import { describe, expect, it } from 'vitest';
import { atLeastOneFromTrain, decodeMultiLabel } from './decode.js';

describe('the shared multi-label decoding rule', () => {
  const scored = [
    { label: 'a', score: 0.2 },
    { label: 'b', score: 0.45 },
    { label: 'c', score: 0.1 },
  ];

  it('keeps every label at or over the cut', () => {
    expect(decodeMultiLabel([...scored, { label: 'd', score: 0.5 }, { label: 'e', score: 0.9 }], 0.5, true)).toEqual([
      'd',
      'e',
    ]);
  });

  it('falls back to the top label only when train rows never had an empty label set', () => {
    expect(decodeMultiLabel(scored, 0.5, true)).toEqual(['b']);
    expect(decodeMultiLabel(scored, 0.5, false)).toEqual([]);
  });

  it('learns that fact from the train rows', () => {
    expect(atLeastOneFromTrain([{ labels: ['x'] }, { labels: ['x', 'y'] }])).toBe(true);
    expect(atLeastOneFromTrain([{ labels: ['x'] }, { labels: [] }])).toBe(false);
  });
});
