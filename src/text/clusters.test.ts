import { describe, expect, it } from 'vitest';
import { clusterTexts } from './clusters.js';
import { topicRows } from './topic-rows.fixture.js';

/** Seven rows per topic: 21 per label, which makes three clusters (one per six rows, at most four). */
const ROWS = topicRows(7);

/** Topic of every member of every cluster of a label. */
function topicsByCluster(label: string, seed: number): string[][] {
  const clusters = clusterTexts(
    ROWS.map((r) => ({ text: r.text, labels: [r.label] })),
    { seed },
  );
  return clusters.clustersOf(label).map((c) => c.members.map((i) => ROWS[i].topic));
}

describe('clusterTexts', () => {
  it('finds the kinds of text of each label: one topic per cluster', () => {
    for (const label of ['billing', 'bug']) {
      const groups = topicsByCluster(label, 42);
      expect(groups).toHaveLength(3);
      for (const g of groups) expect(new Set(g).size).toBe(1);
      expect(new Set(groups.map((g) => g[0])).size).toBe(3);
    }
  });

  it('is a function of the rows and the seed: same input, same ids and members', () => {
    const a = clusterTexts(
      ROWS.map((r) => ({ text: r.text, labels: [r.label] })),
      { seed: 42 },
    );
    const b = clusterTexts(
      ROWS.map((r) => ({ text: r.text, labels: [r.label] })),
      { seed: 42 },
    );
    expect(a.clustersOf('bug').map((c) => [c.id, c.members])).toEqual(
      b.clustersOf('bug').map((c) => [c.id, c.members]),
    );
    // Ids follow the first member in file order, not the random start.
    expect(topicsByCluster('bug', 1)).toEqual(topicsByCluster('bug', 42));
    expect(a.clustersOf('bug').map((c) => c.id)).toEqual(['bug#0', 'bug#1', 'bug#2']);
  });

  it('assigns a new text to the nearest cluster of the given label', () => {
    const clusters = clusterTexts(
      ROWS.map((r) => ({ text: r.text, labels: [r.label] })),
      { seed: 42 },
    );
    const login = clusters.clustersOf('bug').find((c) => ROWS[c.members[0]].topic === 'login')!;
    expect(clusters.assign('I am locked out, the password reset does not work', 'bug')).toBe(login.id);
    expect(clusters.assign('anything', 'unknown-label')).toBeUndefined();
  });

  it('makes fewer clusters for a label with few texts', () => {
    const clusters = clusterTexts(
      [
        { text: 'a b c', labels: ['x'] },
        { text: 'd e f', labels: ['x'] },
      ],
      { seed: 1 },
    );
    expect(clusters.clustersOf('x')).toHaveLength(1);
    expect(clusters.clustersOf('x')[0].members).toEqual([0, 1]);
  });
});

describe('clusterTexts over a large label', () => {
  it('fits on a seeded sample of at most maxRowsPerLabel rows, the same sample for the same seed', () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({
      text: i % 2 ? `card payment declined at shop ${i}` : `where is my parcel number ${i}`,
      labels: ['a'],
    }));
    const clustersFor = (seed: number) => clusterTexts(rows, { seed, maxRowsPerLabel: 50 }).clustersOf('a');
    const members = clustersFor(1).flatMap((c) => c.members);
    expect(members).toHaveLength(50);
    expect(new Set(members).size).toBe(50);
    expect(clustersFor(1).map((c) => c.members)).toEqual(clustersFor(1).map((c) => c.members));
    expect(
      clustersFor(2)
        .flatMap((c) => c.members)
        .sort(),
    ).not.toEqual(members.slice().sort());
    // Under the cap every row is a member, as before.
    expect(
      clusterTexts(rows, { seed: 1, maxRowsPerLabel: 300 })
        .clustersOf('a')
        .flatMap((c) => c.members),
    ).toHaveLength(300);
  });
});
