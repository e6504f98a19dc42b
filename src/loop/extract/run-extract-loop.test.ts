import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSyntheticConll } from '../../../test/fixtures/conll.js';
import { DatasetExtractTeacher } from '../../data/extract/dataset-extract-teacher.js';
import { MemoryStore } from '../../store/memory-store.js';
import { taskFromObject } from '../../task/load.js';
import { CallGate } from '../../teacher/call-gate.js';
import { scoreStudent } from './evaluate.js';
import { readExtractGold, readExtractPool } from './pool.js';
import { runExtractLoop } from './run-extract-loop.js';

const dir = mkdtempSync(join(tmpdir(), 'apprentice-extract-loop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TRAIN = join(dir, 'train.conll');
const TEST = join(dir, 'test.conll');
const types = ['city', 'person', 'product'];
writeSyntheticConll(TRAIN, 500, 3);
writeSyntheticConll(TEST, 100, 4, true);

function setup(loop: Record<string, unknown>, answers: number) {
  const task = taskFromObject(
    {
      kind: 'extract',
      name: 'loop',
      instruction: 'Mark people, cities and products.',
      types: ['city', 'person', 'product'],
      pool: TRAIN,
      eval: TEST,
      teacher: { model: `dataset:${TRAIN}` },
      budget: { answers },
      loop: { initialLabels: 40, answersPerRound: 40, validationSize: 30, ...loop },
    },
    { baseDir: dir },
  );
  const gate = new CallGate({
    store: new MemoryStore(),
    runId: 'r',
    teacherId: task.teacher.model,
    budget: task.budget,
  });
  const teacher = new DatasetExtractTeacher(task.teacher, { gate, types: ['city', 'person', 'product'], seed: 1 });
  const pool = readExtractPool(TRAIN);
  const gold = readExtractGold(TEST, ['city', 'person', 'product']);
  return { task, gate, teacher, pool, gold };
}

describe('the extraction loop', () => {
  it('spends exactly the answer budget, never asks a text twice, and keeps validation out of training', async () => {
    // poolShare 1: pool picks only (generation has its own tests, run-extract-loop.generate.test.ts).
    const { task, gate, teacher, pool, gold } = setup({ patience: 50, poolShare: 1 }, 150);
    const out = await runExtractLoop({ task, teacher, gate, pool: pool.texts, gold });
    expect(gate.used().answers).toBe(150);
    expect(out.stopReason).toBe('budget');
    const asked = [...out.training, ...out.validation].map((r) => r.id);
    expect(new Set(asked).size).toBe(asked.length);
    expect(out.validation.length).toBe(30);
    expect(out.training.length).toBe(120);
    expect(out.rounds.map((r) => r.arm)).toEqual(['random', 'uncertainty', 'uncertainty']);
    expect(out.rounds.at(-1)!.gold!.f1).toBeGreaterThan(0.5);
  });

  it('uncertainty picks are texts the student was less sure of than random ones', async () => {
    const { task, gate, teacher, pool, gold } = setup({ patience: 50, strategy: 'margin' }, 150);
    const out = await runExtractLoop({ task, teacher, gate, pool: pool.texts, gold });
    const picked = out.training.filter((r) => r.source === 'uncertainty').map((r) => r.uncertainty!);
    expect(picked.length).toBe(80);
    // Score the same student's uncertainty over the pool: picks sit at the top of it.
    const student = out.student;
    const all = pool.texts.map((p) => 1 - student.predict(p.text, p.tokens).confidence);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(picked)).toBeGreaterThan(mean(all));
  });

  it('sets aside pool texts that nearly copy an eval text (leakage guard) and records unusable answers', async () => {
    const { task, gate, teacher, pool, gold } = setup({}, 100);
    // The eval texts themselves in the pool: every one must be set aside.
    const leaked = gold.slice(0, 10).map((g, i) => ({ id: `leak${i}`, text: g.text }));
    const out = await runExtractLoop({ task, teacher, gate, pool: [...pool.texts, ...leaked], gold });
    expect(out.poolExcluded).toBeGreaterThanOrEqual(10);
    const texts = new Set([...out.training, ...out.validation].map((r) => r.text));
    for (const l of leaked) expect(texts.has(l.text)).toBe(false);

    const g2 = setup({}, 400);
    const strangers = Array.from({ length: 50 }, (_, i) => ({
      id: `x${i}`,
      text: `a text the file does not have ${i}`,
    }));
    const out2 = await runExtractLoop({
      task: { ...g2.task, data: { ...g2.task.data, leakageGuard: false } },
      teacher: g2.teacher,
      gate: g2.gate,
      pool: [...g2.pool.texts.slice(0, 100), ...strangers],
    });
    expect(out2.rejected.length).toBeGreaterThan(0);
    expect(out2.rejected[0]).toMatchObject({ reason: 'text not in the dataset file' });
  });

  it('hands every round its student (what the loop bench scores on rows the loop never sees)', async () => {
    const { task, gate, teacher, pool, gold } = setup({ patience: 50, strategy: 'random' }, 150);
    const seen: { round: number; answers: number; f1: number }[] = [];
    const out = await runExtractLoop({
      task,
      teacher,
      gate,
      pool: pool.texts,
      gold,
      onRound: (c) =>
        seen.push({ round: c.round, answers: c.answers, f1: scoreStudent(c.student, gold, types).metrics.micro.f1 }),
    });
    expect(seen.map((s) => [s.round, s.answers])).toEqual(out.rounds.map((r) => [r.round, r.answers]));
    // The round's own student: its gold F1 is the one the round recorded.
    expect(seen.map((s) => s.f1)).toEqual(out.rounds.map((r) => r.gold!.f1));
  });

  it('favourEntities: uncertainty picks come from texts the student tags something in, while any remain', async () => {
    const { task, gate, teacher, pool } = setup({ patience: 50, strategy: 'margin', answersPerRound: 20 }, 120);
    const out = await runExtractLoop({ task, teacher, gate, pool: pool.texts, selection: { favourEntities: true } });
    const picked = out.training.filter((r) => r.source === 'uncertainty');
    expect(picked.length).toBe(120 - out.validation.length - 40);
    // Favoured picks carry the +1 of a text with a predicted span.
    expect(picked.every((r) => r.uncertainty! >= 1)).toBe(true);
  });
});
