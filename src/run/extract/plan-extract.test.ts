import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeLlmPerTest } from '../../../test/fake-llm/index.js';
import type { FakeLlmRequest } from '../../../test/fake-llm/types.js';
import { writeSyntheticConll } from '../../../test/fixtures/conll.js';
import { readSpanFile } from '../../data/extract/read-spans.js';
import { spanRows } from '../../student/sequence/synthetic-spans.js';
import { MemoryStore } from '../../store/memory-store.js';
import { taskFromObject } from '../../task/load.js';
import { textOfExtractionQuestion } from '../../teacher/extract/prompts.js';
import { taskKindRunner } from '../task-kinds.js';
import { distillExtract } from './distill-extract.js';
import { extractSchedule, planExtract } from './plan-extract.js';

const t = fakeLlmPerTest('apprentice-extract-plan-');
const question = (req: FakeLlmRequest) => req.messages.find((m) => m.role === 'user')!.content;

const within = (actual: number, planned: number, share: number) =>
  expect(Math.abs(actual - planned) / planned, `actual ${actual} vs planned ${planned}`).toBeLessThanOrEqual(share);

const base = {
  kind: 'extract',
  name: 'planned-extract',
  instruction: 'Mark people, cities and products.',
  types: ['city', 'person', 'product'],
};

describe('the cost plan of an extraction task', () => {
  it("is within 25% of a priced run's answers, requests, tokens and dollars (fake LLM over HTTP)", async () => {
    const poolFile = join(t.dir, 'pool.conll');
    writeSyntheticConll(poolFile, 400, 7);
    const gold = new Map(readSpanFile(poolFile).examples.map((e) => [e.text, e.spans]));
    const fake = await t.start((req) => {
      const spans = gold.get(textOfExtractionQuestion(question(req)) ?? '') ?? [];
      return JSON.stringify({ entities: spans.map((s) => ({ type: s.type, text: s.text })) });
    });
    const task = taskFromObject(
      {
        ...base,
        pool: 'pool.conll',
        teacher: {
          model: 'openai-compatible:fake',
          baseUrl: fake.baseUrl,
          concurrency: 4,
          price: { inputPerMTok: 2.5, outputPerMTok: 10 },
        },
        budget: { answers: 120 },
        // Pool picks only: the plan counts generated texts as pool texts (see its assumptions).
        loop: { initialLabels: 40, answersPerRound: 20, validationSize: 20, patience: 20, poolShare: 1 },
      },
      { baseDir: t.dir },
    );
    const plan = await taskKindRunner(task).plan!(task);
    const s = await distillExtract(task, { outDir: join(t.dir, 'run'), store: new MemoryStore() });

    expect(plan.answers).toBe(120);
    expect(plan.requests).toBe(120);
    expect(plan.breakdown.map((l) => [l.purpose, l.answers])).toEqual([
      ['validation', 20],
      ['pool-label', 100],
    ]);
    within(s.teacher.answers, plan.answers, 0.25);
    within(s.teacher.requests, plan.requests, 0.25);
    within(s.teacher.inputTokens, plan.inputTokens, 0.25);
    within(s.teacher.outputTokens, plan.outputTokens, 0.25);
    within(s.teacher.dollars, plan.dollars!.online, 0.25);
    expect(plan.dollars!.batch).toBeCloseTo(plan.dollars!.online / 2, 10);
    expect(plan.assumptions.join(' ')).toMatch(/pool file's own annotations/);
  });

  it('walks the loop schedule: validation share, round 0, rounds until the budget, the pool or maxRounds', () => {
    const task = (loop: object, answers?: number) =>
      taskFromObject(
        {
          ...base,
          teacher: { model: 'openai:gpt-4o-mini' },
          ...(answers ? { budget: { answers } } : {}),
          loop,
        },
        { baseDir: '.' },
      );
    // Validation is capped at a fifth of the budget (26); then 30 + 25 + 25 + 24 spend the 104 left.
    expect(extractSchedule(task({ initialLabels: 30, answersPerRound: 25, validationSize: 50 }, 130), 1000)).toEqual({
      validation: 26,
      rounds: [30, 25, 25, 24],
    });
    // No cap: the pool runs out (a fifth of it to validation first).
    expect(extractSchedule(task({ initialLabels: 30, answersPerRound: 40, validationSize: 50 }), 100)).toEqual({
      validation: 20,
      rounds: [30, 40, 10],
    });
    // maxRounds counts the rounds after round 0.
    expect(
      extractSchedule(task({ initialLabels: 10, answersPerRound: 10, validationSize: 10, maxRounds: 2 }, 500), 1000),
    ).toEqual({ validation: 10, rounds: [10, 10, 10] });
  });

  it('prices a listed model from the built-in table and measures answers from the seeds without an annotated pool', () => {
    writeFileSync(
      join(t.dir, 'pool.txt'),
      `${spanRows(200, 3)
        .map((r) => r.text)
        .join('\n')}\n`,
    );
    const task = taskFromObject(
      {
        ...base,
        pool: 'pool.txt',
        teacher: { model: 'openai:gpt-4o-mini' },
        seeds: [{ text: 'Ada Lovelace moved to Paris.', entities: [{ type: 'person', text: 'Ada Lovelace' }] }],
        budget: { answers: 50 },
      },
      { baseDir: t.dir },
    );
    const plan = planExtract(task);
    // Validation 10 (a fifth of 50), then the 40 left.
    expect(plan.answers).toBe(50);
    expect(plan.dollars!.online).toBeGreaterThan(0);
    expect(plan.assumptions.join(' ')).toMatch(
      /1\.00 mentions a text, 12\.0 characters a mention, measured on the seeds/,
    );
  });
});
