import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { distill } from './distill.js';
import { planTask } from './plan-task.js';
import { planRun } from '../loop/plan.js';
import { loadTask, taskFromObject } from '../task/load.js';
import { MemoryStore } from '../store/memory-store.js';
import { fakeLlmPerTest } from '../../test/fake-llm/per-test.js';
import { TOPIC_LABELS, topicRows, topicTeacherHandler, writeJsonl } from '../../test/fixtures/topics.js';

const t = fakeLlmPerTest('apprentice-plan-');

const within = (actual: number, planned: number, share: number) =>
  expect(Math.abs(actual - planned) / planned, `actual ${actual} vs planned ${planned}`).toBeLessThanOrEqual(share);

describe('the cost plan', () => {
  it("is within 25% of a priced run's answers, tokens and dollars (fake LLM over HTTP)", async () => {
    const pool = topicRows(1200, 1);
    const fake = await t.start(topicTeacherHandler(pool, 7000, 'w'));
    writeJsonl(
      join(t.dir, 'pool.jsonl'),
      pool.map((r) => ({ text: r.text })),
    );
    const file = join(t.dir, 'task.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'planned',
        instruction: 'Route each customer message to the team that handles its topic.',
        labels: TOPIC_LABELS,
        pool: './pool.jsonl',
        teacher: {
          model: 'openai-compatible:fake',
          baseUrl: fake.baseUrl,
          batchSize: 20,
          concurrency: 4,
          price: { inputPerMTok: 2.5, outputPerMTok: 10 },
        },
        budget: { answers: 800 },
        loop: { initialLabels: 100, answersPerRound: 150, maxRounds: 10, patience: 20 },
        seed: 3,
      }),
    );
    const task = loadTask(file);
    const plan = planTask(task);
    const summary = await distill(task, { outDir: join(t.dir, 'run'), store: new MemoryStore() });

    expect(plan.answers).toBe(800);
    within(summary.teacher.answers, plan.answers, 0.25);
    within(summary.teacher.inputTokens, plan.inputTokens, 0.25);
    within(summary.teacher.outputTokens, plan.outputTokens, 0.25);
    within(summary.teacher.dollars, plan.dollars!.online, 0.25);
    within(summary.teacher.requests, plan.requests, 0.25);
    expect(plan.dollars!.batch).toBeCloseTo(plan.dollars!.online / 2, 10);
  });

  it('follows the schedule: validation split, round 0, then rounds until the answer cap', () => {
    const task = taskFromObject(
      {
        name: 'schedule',
        instruction: 'Sort each message into the right bucket.',
        labels: ['a', 'b'],
        teacher: { model: 'openai:gpt-4o-mini', batchSize: 10 },
        budget: { answers: 1000 },
        loop: { initialLabels: 100, initialGeneratePerLabel: 5, answersPerRound: 200, poolShare: 0.75, maxRounds: 20 },
      },
      { baseDir: '.' },
    );
    const plan = planRun(task, { poolSize: 10_000, poolSample: ['a short text', 'another one'] });
    const by = Object.fromEntries(plan.breakdown.map((l) => [l.purpose, l]));
    // Validation takes 200 (its size, under a quarter of the budget); round 0 110 (100 + 5 x 2); then
    // 200 a round (150 pool, 50 generated) until 1000: 3 full rounds and one of 90.
    expect(by.validation.answers).toBe(200);
    expect(plan.answers).toBe(1000);
    expect(plan.rounds).toBe(5);
    expect(by['pool-label'].answers).toBe(100 + 150 * 3 + 68);
    expect(by.generate.answers).toBe(10 + 50 * 3 + 22);
    expect(by.validation.requests).toBe(20);
    // gpt-4o-mini is in the price table; batch mode is half the price.
    expect(plan.dollars!.online).toBeGreaterThan(0);
    expect(plan.dollars!.batch).toBeCloseTo(plan.dollars!.online / 2, 10);
  });

  it('has no dollars for a teacher without a price, and says so', () => {
    const task = taskFromObject(
      {
        name: 'local',
        instruction: 'Sort each message into the right bucket.',
        labels: ['a', 'b'],
        teacher: { model: 'openai:some-unlisted-model' },
        budget: { answers: 100 },
      },
      { baseDir: '.' },
    );
    const plan = planRun(task, { poolSize: 1000, poolSample: ['x'] });
    expect(plan.dollars).toBeUndefined();
    expect(plan.assumptions.join(' ')).toMatch(/no price is known/);
  });
});
