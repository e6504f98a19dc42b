import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { DatasetExtractTeacher } from '../../data/extract/dataset-extract-teacher.js';
import { MemoryStore } from '../../store/memory-store.js';
import { taskFromObject } from '../../task/load.js';
import { CallGate } from '../../teacher/call-gate.js';
import type { ExtractTeacher } from '../../teacher/extract/types.js';
import { Rng } from '../../util/random.js';
import { nearCopyTest } from '../near-copy-test.js';
import { readExtractGold, readExtractPool } from './pool.js';
import { runExtractLoop } from './run-extract-loop.js';

const dir = mkdtempSync(join(tmpdir(), 'apprentice-extract-generate-loop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TRAIN = join(dir, 'train.jsonl');
const TEST = join(dir, 'test.jsonl');
const TYPES = ['city', 'person', 'product'];

const FILLER = (
  'the a of to and in for on with at by from up about into over after we they she he it was is will ' +
  'said met saw called left went bought sold liked hated visited moved stayed wrote read heard told ' +
  'today yesterday tomorrow soon late early again still never always maybe really quite very'
).split(' ');
const NAMES: Record<string, string[]> = {
  person: [
    'Ada Lovelace',
    'Grace',
    'Alan Turing',
    'Linus',
    'Margaret',
    'Ken',
    'Barbara',
    'Hedy Lamarr',
    'Edsger',
    'Niklaus',
  ],
  city: ['Paris', 'New York', 'Tokyo', 'Berlin', 'Oslo', 'Lagos', 'Lima', 'Kyoto', 'Quito', 'Dublin'],
  product: ['iPhone 12', 'Kindle', 'ThinkPad X1', 'Pixel 7', 'Walkman', 'Zune', 'Nokia 3310', 'PlayStation'],
};

/**
 * Entity JSONL of varied sentences: random filler words with zero to two mentions at random places,
 * a quarter with none. Varied enough that generated rows are not near-duplicates of each other and
 * that the student stays unsure of some types (the synthetic CoNLL templates are learned perfectly).
 */
function writeVaried(path: string, n: number, seed: number): void {
  const rng = new Rng(seed);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const words = Array.from({ length: 5 + rng.int(6) }, () => FILLER[rng.int(FILLER.length)]);
    const entities: { type: string; text: string }[] = [];
    const mentions = rng.next() < 0.25 ? 0 : 1 + rng.int(2);
    for (let m = 0; m < mentions; m++) {
      const type = TYPES[rng.int(TYPES.length)];
      const name = NAMES[type][rng.int(NAMES[type].length)];
      words.splice(rng.int(words.length + 1), 0, `\u0000${entities.length}`);
      entities.push({ type, text: name });
    }
    const text = words.map((w) => (w.startsWith('\u0000') ? entities[Number(w.slice(1))].text : w)).join(' ');
    lines.push(JSON.stringify({ text, entities }));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}
writeVaried(TRAIN, 900, 3);
writeVaried(TEST, 150, 4);

function setup(loop: Record<string, unknown>, answers: number, data: Record<string, unknown> = {}) {
  const task = taskFromObject(
    {
      kind: 'extract',
      name: 'loop',
      instruction: 'Mark people, cities and products.',
      types: TYPES,
      pool: TRAIN,
      eval: TEST,
      teacher: { model: `dataset:${TRAIN}` },
      budget: { answers },
      loop: { initialLabels: 40, answersPerRound: 60, validationSize: 40, patience: 50, poolShare: 0.4, ...loop },
      data,
    },
    { baseDir: dir },
  );
  const gate = new CallGate({
    store: new MemoryStore(),
    runId: 'r',
    teacherId: task.teacher.model,
    budget: task.budget,
  });
  const teacher = new DatasetExtractTeacher(task.teacher, { gate, types: TYPES, seed: 1 });
  const pool = readExtractPool(TRAIN);
  const gold = readExtractGold(TEST, TYPES);
  return { task, gate, teacher, pool, gold };
}

describe('the extraction loop with generation arms', () => {
  it('shares each round among pool and generation arms, spends exactly the budget, and never takes a text twice', async () => {
    const { task, gate, teacher, pool, gold: test } = setup({}, 250);
    // A sixth of the teacher's file is in the eval set too: the pool's copies are set aside before
    // round 0, and the copies the teacher hands out as generated rows must be caught as well.
    const gold = [...test, ...readExtractGold(TRAIN, TYPES).slice(0, 150)];
    // Without `setAside` the teacher does not know which texts the pool's guard set aside.
    const unaware: ExtractTeacher = {
      id: teacher.id,
      kind: 'dataset',
      concurrency: 1,
      extract: (i) => teacher.extract(i),
      generate: (r) => teacher.generate(r),
    };
    const out = await runExtractLoop({ task, teacher: unaware, gate, pool: pool.texts, gold });
    expect(gate.used().answers).toBe(250);
    expect(out.stopReason).toBe('budget');
    const generated = out.training.filter((r) => r.source === 'generated');
    const byArm = (arm: string) => generated.filter((r) => r.arm === arm);
    expect(byArm('weak-type').length).toBeGreaterThan(0);
    expect(byArm('entity-free').length).toBeGreaterThan(0);
    // Each generated row carries what it was asked for, and holds it.
    for (const r of byArm('weak-type')) expect(r.spans.some((s) => s.type === r.guidance!.type)).toBe(true);
    for (const r of byArm('entity-free')) expect(r).toMatchObject({ guidance: { entityFree: true }, spans: [] });
    // Every answer is accounted for: rows (training, validation) and rejected answers, each text once.
    const texts = [...out.training.filter((r) => r.source !== 'seed'), ...out.validation].map((r) => r.id);
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts.length + out.rejected.length).toBe(250);
    // No generated row nearly copies an eval text: the leakage guard applies to generated texts too.
    const leaks = nearCopyTest(
      gold.map((g) => g.text),
      task.data.leakageThreshold,
    );
    expect(generated.some((r) => leaks(r.text))).toBe(false);
    expect(out.rejected.filter((r) => r.filter === 'leakage').length).toBeGreaterThan(0);
    // Rounds record the split: after round 0 the shares add up to the round's answers.
    for (const r of out.rounds.slice(1, -1)) {
      const arms = r.arms!;
      expect(Object.keys(arms).sort()).toEqual(['entity-free', 'hard-negative', 'pool', 'weak-type']);
      expect(Object.values(arms).reduce((s, a) => s + a.share, 0)).toBe(60);
      expect(Object.values(arms).reduce((s, a) => s + a.answers, 0)).toBe(60);
    }
    expect(out.rounds.slice(1).some((r) => Object.values(r.arms!).some((a) => a.gain !== undefined))).toBe(true);
  });

  it('generation is off with loop.poolShare 1, with the margin and random baselines, and for a teacher that cannot generate', async () => {
    for (const loop of [{ poolShare: 1 }, { strategy: 'margin' }, { strategy: 'random' }]) {
      const { task, gate, teacher, pool } = setup(loop, 200);
      const out = await runExtractLoop({ task, teacher, gate, pool: pool.texts });
      expect(out.training.some((r) => r.source === 'generated')).toBe(false);
      expect(out.rounds[1].arms).toBeUndefined();
    }
    const { task, gate, teacher, pool } = setup({}, 200);
    const plain: ExtractTeacher = {
      id: teacher.id,
      kind: 'dataset',
      concurrency: 1,
      extract: (i) => teacher.extract(i),
    };
    const out = await runExtractLoop({ task, teacher: plain, gate, pool: pool.texts });
    expect(out.training.some((r) => r.source === 'generated')).toBe(false);
    expect(gate.used().answers).toBe(200);
  });

  it('an extract task rejects a classification-only generation strategy, naming the field', async () => {
    const { task, gate, teacher, pool } = setup({}, 200, { strategies: ['weak-label', 'attribute'] });
    await expect(runExtractLoop({ task, teacher, gate, pool: pool.texts })).rejects.toThrow(
      /data.strategies: `attribute` cannot generate for an extract task/,
    );
  });

  it('the bandit starves an arm whose rows are junk', async () => {
    const { task, gate, teacher, pool } = setup({ maxRounds: 6, answersPerRound: 100 }, 100_000);
    // The weak-type arm's rows are junk: every mention annotated as another type.
    const junk: ExtractTeacher = {
      id: teacher.id,
      kind: 'dataset',
      concurrency: 1,
      extract: (i) => teacher.extract(i),
      generate: async (request) => {
        const got = await teacher.generate(request);
        if (request.entityFree || request.confusedWith !== undefined) return got;
        const other = (t: string) => TYPES[(TYPES.indexOf(t) + 1) % TYPES.length];
        return {
          ...got,
          examples: got.examples.map((e) => ({ ...e, spans: e.spans.map((s) => ({ ...s, type: other(s.type) })) })),
        };
      },
    };
    const out = await runExtractLoop({ task, teacher: junk, gate, pool: pool.texts });
    const shares = out.rounds.slice(1).map((r) => r.arms!['weak-type']);
    // Its first split is the prior's (a third of the 60 generation answers); each measured gain is a loss.
    expect(shares[0].share).toBe(20);
    const gains = shares.map((a) => a.gain).filter((g) => g !== undefined);
    expect(gains.length).toBeGreaterThanOrEqual(2);
    expect(gains.every((g) => g! < 0)).toBe(true);
    // After two losing rounds it is starved: the exploration floor, while the pool takes the answers.
    expect(shares.slice(-3).map((a) => a.share)).toEqual([3, 3, 3]);
    expect(out.rounds.at(-1)!.arms!.pool.share).toBeGreaterThan(40);
  }, 300_000);
});
