import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store.js';
import { TeacherSettingsSchema } from '../task/schema.js';
import { topicRows } from '../text/topic-rows.fixture.js';
import { CallGate } from './call-gate.js';
import { createDatasetTeacher } from './dataset-teacher.js';
import type { TeacherTaskContext } from './types.js';

/** Seven rows per topic: 21 per label, which makes three clusters (one per six rows, at most four). */
const ROWS = topicRows(7);
const TASK: TeacherTaskContext = {
  instruction: 'Route support messages.',
  labels: [{ name: 'billing' }, { name: 'bug' }],
  multiLabel: false,
};
const dir = mkdtempSync(join(tmpdir(), 'apprentice-dataset-clusters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FILE = join(dir, 'labeled.jsonl');
writeFileSync(FILE, ROWS.map((r) => JSON.stringify({ text: r.text, label: r.label })).join('\n'));

function teacherFor(seed: number) {
  const gate = new CallGate({ store: new MemoryStore(), runId: 'run-1', teacherId: `dataset:${FILE}`, budget: {} });
  const settings = TeacherSettingsSchema.parse({ model: `dataset:${FILE}` });
  return { teacher: createDatasetTeacher(settings, { task: TASK, gate, seed }), gate };
}

describe('dataset teacher: attribute-aware generate', () => {
  it('exposes the clusters of its file, the same for the same file and seed', () => {
    const a = teacherFor(42).teacher.clusters!();
    const b = teacherFor(42).teacher.clusters!();
    expect(a.clustersOf('billing').map((c) => c.members)).toEqual(b.clustersOf('billing').map((c) => c.members));
    expect(a.clustersOf('billing')).toHaveLength(3);
  });

  it('hands out unused rows of the asked cluster, never more than asked', async () => {
    const { teacher } = teacherFor(42);
    const clusters = teacher.clusters!();
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
    const bugCluster = teacher.clusters!().clustersOf('bug')[0].id;
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
