import { describe, expect, it } from 'vitest';
import {
  distinctN,
  nearDuplicates,
  normalizedEntropy,
  trainingDiversity,
  words,
  type DiversityRow,
} from './diversity.js';

describe('distinctN', () => {
  it('counts distinct word unigrams and bigrams over all of them', () => {
    // Unigrams: 6, distinct {the, cat, sat, ran} = 4. Bigrams: the-cat ×2, cat-sat, cat-ran = 4, distinct 3.
    const d = distinctN(['the cat sat', 'the cat ran']);
    expect(d.distinct1).toBeCloseTo(4 / 6, 12);
    expect(d.distinct2).toBeCloseTo(3 / 4, 12);
  });

  it('ignores case and punctuation, and never joins two texts into a bigram', () => {
    expect(words('The CAT, sat!')).toEqual(['the', 'cat', 'sat']);
    expect(distinctN(['The CAT, sat!', 'the cat sat'])).toEqual({ distinct1: 3 / 6, distinct2: 2 / 4 });
    // "b c" would only exist across the boundary.
    expect(distinctN(['a b', 'c'])).toEqual({ distinct1: 1, distinct2: 1 });
  });

  it('is 0, not NaN, with nothing to count', () => {
    expect(distinctN([])).toEqual({ distinct1: 0, distinct2: 0 });
    expect(distinctN(['one', '!!'])).toEqual({ distinct1: 1, distinct2: 0 });
  });
});

describe('normalizedEntropy', () => {
  it('is 1 when balanced, 0 when all in one label, in between otherwise', () => {
    expect(normalizedEntropy([5, 5])).toBe(1);
    expect(normalizedEntropy([4, 0])).toBe(0);
    // -(3/4 ln 3/4 + 1/4 ln 1/4) / ln 2 = 0.811278
    expect(normalizedEntropy([3, 1])).toBeCloseTo(0.811278, 6);
    // -(2 · 1/4 ln 1/4 + 1/2 ln 1/2) / ln 4 = 0.75
    expect(normalizedEntropy([2, 1, 1, 0])).toBeCloseTo(0.75, 12);
    expect(normalizedEntropy([])).toBe(0);
    expect(normalizedEntropy([7])).toBe(1);
  });
});

describe('nearDuplicates', () => {
  it('marks both rows of a near-duplicate pair and nothing else', () => {
    const a = 'My order arrived with a cracked screen and the box was soaked through, what do I do now';
    // 3 new shingles against ~80: Jaccard ≈ 0.96.
    const dup = nearDuplicates([a, `${a} ok`, 'Please reset my password, the email never came']);
    expect(dup).toEqual([true, true, false]);
    expect(nearDuplicates([a, `${a} ok`], 0.99)).toEqual([false, false]);
    expect(nearDuplicates([])).toEqual([]);
  });
});

describe('trainingDiversity', () => {
  const rows: DiversityRow[] = [
    { text: 'I was charged twice', labels: ['billing'], source: 'seed' },
    { text: 'Where is my parcel', labels: ['shipping'], source: 'pool', attributes: { strategy: 'pool' } },
    {
      text: 'The app crashes on start',
      labels: ['bug_report'],
      source: 'generated',
      attributes: { strategy: 'multi-hop', topic: 'crash', hop: '1' },
    },
    {
      text: 'The app freezes on login',
      labels: ['bug_report'],
      source: 'generated',
      attributes: { strategy: 'multi-hop', topic: 'crash', hop: '2', relabeledFrom: 'billing', relabeledRound: '1' },
    },
  ];
  const stats = trainingDiversity(rows, { labels: ['billing', 'shipping', 'bug_report', 'refund'] });

  it('gives the overall figures', () => {
    expect(stats.rows).toBe(4);
    // 18 words, 15 distinct; 14 bigrams, only "the app" repeats.
    expect(stats.distinct1).toBeCloseTo(15 / 18, 12);
    expect(stats.distinct2).toBeCloseTo(13 / 14, 12);
    expect(stats.nearDupRate).toBe(0);
    expect(stats.nearDupThreshold).toBe(0.9);
    expect(stats.labelEntropy).toBeCloseTo(0.75, 12);
  });

  it('lists every task label, empty ones too, most rows first', () => {
    expect(stats.labels).toEqual([
      { label: 'bug_report', rows: 2 },
      { label: 'billing', rows: 1 },
      { label: 'shipping', rows: 1 },
      { label: 'refund', rows: 0 },
    ]);
  });

  it("covers attributes without the loop's bookkeeping ones", () => {
    expect(stats.attributes).toEqual([
      {
        name: 'hop',
        rows: 2,
        distinct: 2,
        bySource: { generated: 2 },
        values: [
          { value: '1', rows: 1 },
          { value: '2', rows: 1 },
        ],
      },
      { name: 'topic', rows: 2, distinct: 1, bySource: { generated: 2 }, values: [{ value: 'crash', rows: 2 }] },
    ]);
  });

  it('splits by source', () => {
    expect(Object.keys(stats.bySource)).toEqual(['generated', 'pool', 'seed']);
    const g = stats.bySource.generated;
    // 10 words, 7 distinct; 8 bigrams, 7 distinct; both rows bug_report of 4 labels.
    expect(g).toEqual({ rows: 2, distinct1: 0.7, distinct2: 7 / 8, nearDupRate: 0, labelEntropy: 0 });
    expect(stats.bySource.seed.rows).toBe(1);
  });

  it('finds near-duplicates across sources and counts them for each source', () => {
    const long = 'The doorbell camera keeps dropping off the wifi every night around two in the morning';
    const s = trainingDiversity([
      { text: long, labels: ['bug_report'], source: 'pool' },
      { text: `${long} ok`, labels: ['bug_report'], source: 'generated' },
      { text: 'Cancel my plus membership', labels: ['cancellation'], source: 'generated' },
      { text: 'How do I change my delivery address', labels: ['shipping'], source: 'generated' },
    ]);
    expect(s.nearDupRate).toBe(0.5);
    expect(s.bySource.pool.nearDupRate).toBe(1);
    expect(s.bySource.generated.nearDupRate).toBeCloseTo(1 / 3, 12);
  });

  it('counts a multi-label row once per label and keeps only the most common values', () => {
    const many: DiversityRow[] = Array.from({ length: 30 }, (_, i) => ({
      text: `row ${i}`,
      labels: ['a', 'b'],
      source: 'generated',
      attributes: { topic: `t${i}` },
    }));
    const s = trainingDiversity(many, { topValues: 5 });
    expect(s.labels).toEqual([
      { label: 'a', rows: 30 },
      { label: 'b', rows: 30 },
    ]);
    expect(s.labelEntropy).toBe(1);
    expect(s.attributes[0].distinct).toBe(30);
    expect(s.attributes[0].values).toHaveLength(5);
  });

  it('is all zeros for no rows', () => {
    const s = trainingDiversity([], { labels: ['a', 'b'] });
    expect(s).toMatchObject({
      rows: 0,
      distinct1: 0,
      distinct2: 0,
      nearDupRate: 0,
      labelEntropy: 0,
      attributes: [],
      bySource: {},
    });
    expect(s.labels).toEqual([
      { label: 'a', rows: 0 },
      { label: 'b', rows: 0 },
    ]);
  });
});
