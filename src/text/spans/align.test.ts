import { describe, expect, it } from 'vitest';
import { alignMentions } from './align.js';

const only = (text: string, mention: { type: string; text: string }, options = {}) =>
  alignMentions(text, [mention], options);

describe('alignMentions', () => {
  it('places an exact match and keeps its offsets and status', () => {
    const r = only('Ada met Bob in Paris.', { type: 'location', text: 'Paris' });
    expect(r.spans).toEqual([{ start: 15, end: 20, type: 'location', text: 'Paris', status: 'exact', index: 0 }]);
    expect(r.rejected).toEqual([]);
  });

  it('falls back to a case-insensitive match, returning the text as written in the source', () => {
    const r = only('I love my IPHONE 12', { type: 'product', text: 'iPhone 12' });
    expect(r.spans[0]).toMatchObject({ start: 10, end: 19, text: 'IPHONE 12', status: 'case' });
  });

  it('normalizes whitespace and punctuation, on word boundaries', () => {
    const r = only('Color: Red,Patent  leather', { type: 'color', text: 'red patent' });
    expect(r.spans[0]).toMatchObject({ text: 'Red,Patent', status: 'normalized' });
    const spaced = only('New   York\tCity is big', { type: 'location', text: 'New York City' });
    expect(spaced.spans[0]).toMatchObject({ start: 0, text: 'New   York\tCity', status: 'normalized' });
    // Inside a word is not a normalized match.
    expect(only('Joanna', { type: 'person', text: 'an-na' }).spans).toEqual([]);
  });

  it('matches fuzzily above the threshold and says how similar, and not below it', () => {
    const r = only('Christiano Ronaldo scored twice', { type: 'person', text: 'Cristiano Ronaldo' });
    expect(r.spans[0]).toMatchObject({ start: 0, end: 18, status: 'fuzzy' });
    expect(r.spans[0].similarity).toBeGreaterThanOrEqual(0.8);
    expect(r.spans[0].similarity).toBeLessThan(1);
    const off = only(
      'Christiano Ronaldo scored twice',
      { type: 'person', text: 'Cristiano Ronaldo' },
      { fuzzyThreshold: 1 },
    );
    expect(off.spans).toEqual([]);
    expect(off.rejected[0]).toMatchObject({ status: 'unaligned', text: 'Cristiano Ronaldo' });
    // A different name is not "close enough".
    expect(only('Lionel Messi scored', { type: 'person', text: 'Leonardo Bonucci' }).spans).toEqual([]);
  });

  it('puts the k-th mention of a repeated string on its k-th occurrence', () => {
    const text = 'Paris is not Paris, Texas; Paris again.';
    const r = alignMentions(text, [
      { type: 'location', text: 'Paris' },
      { type: 'location', text: 'Paris' },
      { type: 'location', text: 'Paris' },
    ]);
    expect(r.spans.map((s) => [s.start, s.index])).toEqual([
      [0, 0],
      [13, 1],
      [27, 2],
    ]);
    const fourth = alignMentions(
      text,
      [...Array(4)].map(() => ({ type: 'location', text: 'Paris' })),
    );
    expect(fourth.spans).toHaveLength(3);
    expect(fourth.rejected).toEqual([expect.objectContaining({ index: 3, status: 'unaligned', text: 'Paris' })]);
    expect(fourth.rejected[0].reason).toMatch(/already taken/);
  });

  it('prefers standalone words to hits inside a word', () => {
    const r = only('Joanna and Ann', { type: 'person', text: 'Ann' });
    expect(r.spans[0]).toMatchObject({ start: 11, end: 14 });
  });

  it('resolves overlaps: the longer mention wins and a nested one takes a free occurrence or is rejected', () => {
    const text = 'Bank of America opened in America';
    const r = alignMentions(text, [
      { type: 'location', text: 'America' },
      { type: 'corporation', text: 'Bank of America' },
    ]);
    expect(r.spans.map((s) => [s.text, s.start, s.type])).toEqual([
      ['Bank of America', 0, 'corporation'],
      ['America', 26, 'location'],
    ]);
    const nested = alignMentions('Bank of America', [
      { type: 'corporation', text: 'Bank of America' },
      { type: 'location', text: 'America' },
    ]);
    expect(nested.spans).toHaveLength(1);
    expect(nested.rejected).toEqual([expect.objectContaining({ text: 'America', index: 1, status: 'unaligned' })]);
    // The same span twice with two types: the first in the answer keeps it.
    const twice = alignMentions('Apple', [
      { type: 'corporation', text: 'Apple' },
      { type: 'product', text: 'Apple' },
    ]);
    expect(twice.spans).toEqual([expect.objectContaining({ type: 'corporation' })]);
    expect(twice.rejected).toHaveLength(1);
  });

  it('is Unicode-safe: accents, combining marks, emoji and CJK', () => {
    const text = 'Ünïcödé café 😀 naïve 東京タワー and José';
    const cafe = only(text, { type: 'x', text: 'CAFE' });
    expect(cafe.spans[0]).toMatchObject({ text: 'café', status: 'normalized' });
    const tokyo = only(text, { type: 'location', text: '東京タワー' });
    expect(tokyo.spans[0]).toMatchObject({ text: '東京タワー', status: 'exact' });
    expect(text.slice(tokyo.spans[0].start, tokyo.spans[0].end)).toBe('東京タワー');
    // Decomposed "José" (e + combining acute) in the text, precomposed in the answer.
    const decomposed = 'Hola Jose\u0301!';
    const jose = only(decomposed, { type: 'person', text: 'José' });
    expect(jose.spans[0]).toMatchObject({ start: 5, end: 10, text: 'Jose\u0301', status: 'normalized' });
    const emoji = only('I ❤️ 😀 pizza', { type: 'food', text: 'pizza' });
    expect(emoji.spans[0]).toMatchObject({ text: 'pizza', status: 'exact' });
    // Lowercasing "İ" makes two code units; offsets still point into the original.
    const dotted = only('İstanbul is big', { type: 'location', text: 'i̇stanbul' });
    expect(dotted.spans[0]).toMatchObject({ start: 0, end: 8, text: 'İstanbul' });
  });

  it('returns hallucinated and empty mentions as rejected with their raw text, never throwing', () => {
    const r = alignMentions('Ada met Bob', [
      { type: 'person', text: 'Ada' },
      { type: 'person', text: 'Grace Hopper' },
      { type: 'person', text: '   ' },
      { type: 'person', text: '😀' },
    ]);
    expect(r.spans.map((s) => s.text)).toEqual(['Ada']);
    expect(r.rejected.map((x) => [x.index, x.text])).toEqual([
      [1, 'Grace Hopper'],
      [2, '   '],
      [3, '😀'],
    ]);
    expect(r.rejected.every((x) => x.status === 'unaligned' && x.reason.length > 0)).toBe(true);
    expect(alignMentions('', [{ type: 'x', text: 'y' }]).rejected).toHaveLength(1);
  });
});
