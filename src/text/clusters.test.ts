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
