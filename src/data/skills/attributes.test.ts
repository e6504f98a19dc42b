import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TOPIC_LABELS, topicRows } from '../../student/synthetic-topics.js';
import { MemoryStore } from '../../store/memory-store.js';
import { TeacherSettingsSchema } from '../../task/schema.js';
import { CallGate } from '../../teacher/call-gate.js';
import { clusterTexts } from '../../text/clusters.js';
import { createDatasetTeacher } from '../../teacher/dataset-teacher.js';
import { attributeSourceFor, clusterAttributes } from './index.js';

const rows = topicRows(40, 3);
const dir = mkdtempSync(join(tmpdir(), 'skills-attributes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function datasetTeacher(seed: number) {
  const file = join(dir, 'labeled.jsonl');
  writeFileSync(file, `${rows.map((r) => JSON.stringify({ text: r.text, label: r.labels[0] })).join('\n')}\n`);
  const settings = TeacherSettingsSchema.parse({ model: `dataset:${file}` });
  const gate = new CallGate({ store: new MemoryStore(), runId: 'skills', teacherId: settings.model, budget: {} });
  return createDatasetTeacher(settings, {
    task: { instruction: 'Classify the topic.', labels: TOPIC_LABELS.map((name) => ({ name })), multiLabel: false },
    gate,
    seed,
  });
}

describe('cluster attributes', () => {
  const probe = rows.slice(0, 30);

  it('names a cluster of the given label, the same one for the same seed', () => {
    const a = clusterAttributes(clusterTexts(rows, { seed: 1 }));
    const b = clusterAttributes(clusterTexts(rows, { seed: 1 }));
    for (const r of probe) {
      const attrs = a.attributesFor(r.text, r.labels[0]);
      expect(attrs.cluster).toMatch(new RegExp(`^${r.labels[0]}#[0-3]$`));
      expect(b.attributesFor(r.text, r.labels[0])).toEqual(attrs);
    }
  });

  it('without a label: the nearest cluster of any label; an unknown label has none', () => {
    const source = clusterAttributes(clusterTexts(rows, { seed: 1 }));
    const own = probe.filter((r) => source.attributesFor(r.text).cluster?.startsWith(`${r.labels[0]}#`)).length;
    expect(own / probe.length).toBeGreaterThanOrEqual(0.8);
    expect(source.attributesFor('anything', 'no-such-label')).toEqual({});
  });

  it("the dataset teacher's own clusters, deterministic across teachers with one seed", () => {
    const one = attributeSourceFor(datasetTeacher(7), [], 0);
    const two = attributeSourceFor(datasetTeacher(7), [], 0);
    const attrs = probe.map((r) => one.attributesFor(r.text, r.labels[0]));
    expect(probe.map((r) => two.attributesFor(r.text, r.labels[0]))).toEqual(attrs);
    // More than one kind of text per label, or the profile could not tell any apart.
    expect(new Set(attrs.map((a) => a.cluster)).size).toBeGreaterThan(TOPIC_LABELS.length);
  });
});
