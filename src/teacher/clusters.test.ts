import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { datasetTeacherOver, topicRows } from '../data/strategies/strategy.fixture.js';
import { clusterTexts } from './clusters.js';
import { datasetClusters } from './dataset-teacher.js';
import type { TeacherTaskContext } from './types.js';

/** Seven rows per topic: 21 per label, which makes three clusters (one per six rows, at most four). */
const ROWS = topicRows(7);
const TASK: TeacherTaskContext = {
  instruction: 'Route support messages.',
  labels: [{ name: 'billing' }, { name: 'bug' }],
  multiLabel: false,
};
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function teacherFor(seed: number) {
  const made = datasetTeacherOver(ROWS, TASK, seed);
  dirs.push(made.dir);
  return made;
}

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

describe('dataset teacher: attribute-aware generate', () => {
  it('exposes the clusters of its file, the same for the same file and seed', () => {
    const a = datasetClusters(teacherFor(42).teacher)!;
    const b = datasetClusters(teacherFor(42).teacher)!;
    expect(a.clustersOf('billing').map((c) => c.members)).toEqual(b.clustersOf('billing').map((c) => c.members));
    expect(
      datasetClusters({
        id: 'x',
        kind: 'llm',
        label: async () => [],
        generate: async () => ({ label: 'x', texts: [], rejected: [] }),
      }),
    ).toBeUndefined();
  });

  it('hands out unused rows of the asked cluster, never more than asked', async () => {
    const { teacher } = teacherFor(42);
    const clusters = datasetClusters(teacher)!;
    const target = clusters.clustersOf('billing')[1];
    const topic = ROWS[target.members[0]].topic;
    const first = await teacher.generate({ label: 'billing', n: 4, guidance: { attributes: { cluster: target.id } } });
    const second = await teacher.generate({ label: 'billing', n: 3, guidance: { attributes: { cluster: target.id } } });
    expect(first.texts).toHaveLength(4);
    expect(second.texts).toHaveLength(3);
    const topicOf = new Map(ROWS.map((r) => [r.text, r.topic]));
    for (const t of [...first.texts, ...second.texts]) expect(topicOf.get(t)).toBe(topic);
    expect(new Set([...first.texts, ...second.texts]).size).toBe(7);
    // Seven rows in the cluster: the rest come from the nearest other rows of the label.
    const third = await teacher.generate({ label: 'billing', n: 4, guidance: { attributes: { cluster: target.id } } });
    expect(third.texts.filter((t) => topicOf.get(t) === topic)).toHaveLength(0);
    expect(third.texts).toHaveLength(4);
  });

  it('ignores a cluster of another label', async () => {
    const { teacher } = teacherFor(42);
    const bugCluster = datasetClusters(teacher)!.clustersOf('bug')[0].id;
    const result = await teacher.generate({
      label: 'billing',
      n: 3,
      guidance: { attributes: { cluster: bugCluster } },
    });
    const labelOf = new Map(ROWS.map((r) => [r.text, r.label]));
    expect(result.texts.map((t) => labelOf.get(t))).toEqual(['billing', 'billing', 'billing']);
  });

  it('hands out the unused rows nearest to the anchors', async () => {
    const { teacher } = teacherFor(42);
    const result = await teacher.generate({
      label: 'bug',
      n: 5,
      guidance: { anchors: ['the calendar sync makes duplicates of my contacts'] },
    });
    const topicOf = new Map(ROWS.map((r) => [r.text, r.topic]));
    expect(result.texts.map((t) => topicOf.get(t))).toEqual(Array(5).fill('sync'));
  });
});
