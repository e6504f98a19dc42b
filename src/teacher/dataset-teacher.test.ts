import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DataFileError } from '../errors.js';
import { MemoryStore } from '../store/memory-store.js';
import { TeacherSettingsSchema } from '../task/schema.js';
import { textId } from '../util/hash.js';
import { Rng } from '../util/random.js';
import { CallGate } from './call-gate.js';
import { createDatasetTeacher } from './dataset-teacher.js';
import { createTeacher } from './registry.js';
import { labelCentroids, mostSimilarLabels } from '../text/label-similarity.js';
import { textVector } from '../text/text-vector.js';
import { cosine } from '../text/vector.js';
import type { TeacherTaskContext } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'apprentice-dataset-teacher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * 8 labels in 2 families: texts of a label mix its own words with its family's, so labels of one
 * family are each other's nearest neighbours, as real confusable intents are.
 */
function syntheticRows(perLabel: number): { text: string; label: string }[] {
  const rng = new Rng(7);
  const word = (prefix: string, k: number) => `${prefix}${rng.int(k)}`;
  const rows: { text: string; label: string }[] = [];
  for (let l = 0; l < 8; l++) {
    const family = l < 4 ? 'alpha' : 'beta';
    for (let i = 0; i < perLabel; i++) {
      const words = [`row${l}x${i}`];
      for (let w = 0; w < 4; w++) words.push(word(`own${l}w`, 12));
      for (let w = 0; w < 4; w++) words.push(word(`${family}w`, 20));
      for (let w = 0; w < 2; w++) words.push(word('the', 5));
      rows.push({ text: words.join(' '), label: `l${l}` });
    }
  }
  return rows;
}

const ROWS = syntheticRows(250);
const FILE = join(dir, 'labeled.jsonl');
writeFileSync(FILE, ROWS.map((r) => JSON.stringify(r)).join('\n'));
const TASK: TeacherTaskContext = {
  instruction: 'Sort synthetic texts.',
  labels: Array.from({ length: 8 }, (_, l) => ({ name: `l${l}` })),
  multiLabel: false,
};
const truth = new Map(ROWS.map((r) => [r.text, r.label]));

function setup(options: { noise?: number; store?: MemoryStore; runId?: string; seed?: number; answers?: number } = {}) {
  const store = options.store ?? new MemoryStore();
  const gate = new CallGate({
    store,
    runId: options.runId ?? 'run-1',
    teacherId: `dataset:${FILE}`,
    budget: options.answers ? { answers: options.answers } : {},
  });
  const settings = TeacherSettingsSchema.parse({ model: `dataset:${FILE}`, noise: options.noise ?? 0, batchSize: 50 });
  return { store, gate, teacher: createDatasetTeacher(settings, { task: TASK, gate, seed: options.seed ?? 42 }) };
}

const inputsOf = (texts: string[]) => texts.map((text) => ({ id: textId(text), text }));

describe('dataset teacher: label', () => {
  it('answers from the file at noise 0, one gate call per batch, unknown texts rejected', async () => {
    const { teacher, gate } = setup();
    expect(teacher.kind).toBe('dataset');
    expect(teacher.id).toBe(`dataset:${FILE}`);
    const texts = [...ROWS.slice(0, 120).map((r) => r.text), 'not in the file'];
    const results = await teacher.label(
      inputsOf([...texts.slice(0, 3).map((t) => `  ${t.replace(/ /g, '  ')} `), ...texts.slice(3)]),
    );
    expect(results).toHaveLength(121);
    results.slice(0, 120).forEach((r, i) => expect(r).toMatchObject({ ok: true, labels: [truth.get(texts[i])] }));
    expect(results[120]).toEqual({
      id: textId('not in the file'),
      ok: false,
      raw: '',
      reason: 'text not in dataset file',
    });
    const totals = gate.totals();
    expect(totals.calls).toBe(3);
    expect(totals.answers).toBe(121);
    expect(totals.httpRequests + totals.paidRequests + totals.inputTokens + totals.dollars).toBe(0);
  });

  it('at noise 0.15 gets ~15% wrong, mostly towards the most similar labels', async () => {
    const { teacher } = setup({ noise: 0.15 });
    const results = await teacher.label(inputsOf(ROWS.map((r) => r.text)));
    const centroids = labelCentroids(ROWS.map((r) => ({ text: r.text, labels: [r.label] })));
    let wrong = 0;
    let nearWrong = 0;
    results.forEach((r, i) => {
      if (!r.ok) throw new Error('unexpected rejection');
      const gold = ROWS[i].label;
      if (r.labels[0] === gold) return;
      wrong++;
      if (mostSimilarLabels(centroids, gold, 3).some((s) => s.label === r.labels[0])) nearWrong++;
    });
    expect(Math.abs(wrong / ROWS.length - 0.15)).toBeLessThan(0.04);
    expect(nearWrong / wrong).toBeGreaterThan(0.75);
    // Same family = same first four labels; the centroids should see that.
    expect(
      mostSimilarLabels(centroids, 'l0', 3)
        .map((s) => s.label)
        .sort(),
    ).toEqual(['l1', 'l2', 'l3']);
    // Deterministic per text: asking again gives the same answers.
    const again = await setup({ noise: 0.15 }).teacher.label(inputsOf(ROWS.slice(0, 200).map((r) => r.text)));
    expect(again).toEqual(results.slice(0, 200));
  });

  it('refuses a file with labels outside the task', () => {
    const gate = new CallGate({ store: new MemoryStore(), runId: 'r', teacherId: 't', budget: {} });
    const settings = TeacherSettingsSchema.parse({ model: `dataset:${FILE}` });
    const task = { ...TASK, labels: TASK.labels.slice(0, 7) };
    expect(() => createDatasetTeacher(settings, { task, gate })).toThrow(DataFileError);
  });
});

describe('dataset teacher: generate', () => {
  it('hands out unused rows of the label, never twice, never ones already labeled', async () => {
    const { teacher, gate } = setup();
    const own = ROWS.filter((r) => r.label === 'l2').map((r) => r.text);
    await teacher.label(inputsOf(own.slice(0, 100)));
    const seen = new Set<string>();
    let total = 0;
    for (let k = 0; k < 4; k++) {
      const { texts, rejected } = await teacher.generate({ label: 'l2', n: 60 });
      expect(rejected).toEqual([]);
      for (const t of texts) {
        expect(truth.get(t)).toBe('l2');
        expect(seen.has(t)).toBe(false);
        expect(own.slice(0, 100)).not.toContain(t);
        seen.add(t);
      }
      total += texts.length;
    }
    expect(total).toBe(150);
    // Charged for what was handed out, not for what was asked.
    expect(gate.totals().answers).toBe(100 + 150);
    expect((await teacher.generate({ label: 'l2', n: 5 })).texts).toEqual([]);
    await expect(teacher.generate({ label: 'nope', n: 1 })).rejects.toThrow(/not one of the task's labels/);
  });

  it('with confusedWith, picks the rows of the label nearest the other label', async () => {
    const { teacher } = setup();
    const near = await teacher.generate({ label: 'l0', n: 20, guidance: { confusedWith: 'l1' } });
    const far = await setup().teacher.generate({ label: 'l0', n: 20, guidance: { confusedWith: 'l7' } });
    const plain = await setup().teacher.generate({ label: 'l0', n: 20 });
    expect(near.texts).toHaveLength(20);
    expect(new Set(near.texts).size).toBe(20);
    const centroids = labelCentroids(ROWS.map((r) => ({ text: r.text, labels: [r.label] })));
    const closeness = (texts: string[]) =>
      texts.reduce((s, t) => s + cosine(textVector(t), centroids.get('l1')!), 0) / texts.length;
    expect(closeness(near.texts)).toBeGreaterThan(closeness(plain.texts));
    expect(closeness(near.texts)).toBeGreaterThan(closeness(far.texts));
  });

  it('stops at the answer cap before handing anything out', async () => {
    const { teacher, gate } = setup({ answers: 10 });
    await expect(teacher.generate({ label: 'l1', n: 11 })).rejects.toThrow(/answers/);
    expect((await teacher.generate({ label: 'l1', n: 10 })).texts).toHaveLength(10);
    expect(gate.used().answers).toBe(10);
  });
});

describe('dataset teacher: replay', () => {
  it('a fresh gate and teacher over the same store replay identical outputs with zero executes', async () => {
    const store = new MemoryStore();
    const script = async (runId: string) => {
      const { teacher, gate } = setup({ store, runId, noise: 0.2 });
      const out = [
        await teacher.label(inputsOf(ROWS.slice(0, 70).map((r) => r.text))),
        await teacher.generate({ label: 'l0', n: 7 }),
        await teacher.generate({ label: 'l0', n: 7, guidance: { confusedWith: 'l3' } }),
        await teacher.label(inputsOf(ROWS.slice(0, 70).map((r) => r.text))),
        await teacher.generate({ label: 'l0', n: 7 }),
      ];
      return { out, gate };
    };
    const first = await script('run-1');
    const put = vi.spyOn(store, 'putCached');
    const second = await script('run-2');
    expect(second.out).toEqual(first.out);
    expect(put).not.toHaveBeenCalled();
    const totals = second.gate.totals();
    expect(totals.cacheHits).toBe(totals.calls);
    expect(totals.answers).toBe(first.gate.totals().answers);
  });

  it('is built by the registry for dataset: models, relative to the task directory', async () => {
    const gate = new CallGate({ store: new MemoryStore(), runId: 'r', teacherId: 't', budget: {} });
    const teacher = await createTeacher(TeacherSettingsSchema.parse({ model: 'dataset:labeled.jsonl' }), {
      task: TASK,
      gate,
      taskDir: dir,
      seed: 1,
    });
    expect(teacher.id).toBe(`dataset:${FILE}`);
    expect(teacher.kind).toBe('dataset');
  });
});
