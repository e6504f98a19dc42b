import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distill } from '../../run/distill.js';
import { loadTask } from '../../task/load.js';
import { MemoryStore } from '../../store/memory-store.js';
import { SqliteStore } from '../../store/sqlite-store.js';
import type { ApprenticeEvent } from '../../events.js';
import { Emitter } from '../../events.js';
import { fakeLlmPerTest } from '../../../test/fake-llm/per-test.js';
import type { FakeLlm } from '../../../test/fake-llm/server.js';
import { TOPIC_LABELS, topicRows, topicTeacherHandler, writeJsonl } from '../../../test/fixtures/topics.js';

/**
 * teacher.mode: batch against the fake server's OpenAI Batch and Anthropic Message Batches
 * endpoints, over real HTTP: the whole loop runs on batches, failed and expired items are sent
 * online instead of dropped, the ledger pays the batch rate, and a run stopped while polling
 * resumes that batch instead of paying for a second one.
 */
const t = fakeLlmPerTest('apprentice-batch-');
const KEYS = { OPENAI_API_KEY: 'sk-fake-batch', ANTHROPIC_API_KEY: 'sk-ant-fake-batch' };
const saved: Record<string, string | undefined> = {};
beforeAll(() => {
  for (const [k, v] of Object.entries(KEYS)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const PRICE = { inputPerMTok: 2, outputPerMTok: 8 };

async function setUp(): Promise<{ fake: FakeLlm }> {
  const pool = topicRows(600, 1);
  const fake = await t.start(topicTeacherHandler(pool, 9000, 'b'));
  writeJsonl(
    join(t.dir, 'pool.jsonl'),
    pool.map((r) => ({ text: r.text })),
  );
  writeJsonl(
    join(t.dir, 'gold.jsonl'),
    topicRows(120, 2).map((r) => ({ ...r, text: r.text.replace('#', 'g#') })),
  );
  return { fake };
}

function taskFile(name: string, model: string, baseUrl: string): string {
  const file = join(t.dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      instruction: 'Route each customer message to the team that handles its topic.',
      labels: TOPIC_LABELS,
      pool: './pool.jsonl',
      eval: './gold.jsonl',
      teacher: { model, baseUrl, batchSize: 20, mode: 'batch', batchPollMs: 5, batchWindowMs: 30, price: PRICE },
      budget: { answers: 300 },
      loop: { initialLabels: 100, answersPerRound: 100, maxRounds: 2, patience: 5 },
      seed: 11,
    }),
  );
  return file;
}

const online = (fake: FakeLlm) =>
  fake.requests.filter((r) => r.path === '/v1/chat/completions' || r.path === '/v1/messages').length;

describe('teacher.mode: batch (fake batch APIs over HTTP)', () => {
  for (const model of ['openai:gpt-4o-mini', 'anthropic:claude-haiku-4-5']) {
    it(`${model}: the whole run goes through batches, one a round's burst, at the batch rate`, async () => {
      const { fake } = await setUp();
      fake.batch.settings.pollsUntilDone = 2;
      const events: ApprenticeEvent[] = [];
      const emitter = new Emitter();
      emitter.on((e) => events.push(e));
      const summary = await distill(loadTask(taskFile('batched', model, fake.baseUrl)), {
        outDir: join(t.dir, 'run'),
        store: new MemoryStore(),
        emitter,
      });
      expect(summary.status).toBe('complete');
      expect(summary.teacher.answers).toBe(300);
      expect(online(fake)).toBe(0);
      const batches = fake.batch.batches;
      // Round 0's label batches and its generation requests, then each round's: a handful of batches,
      // each holding many requests, never one batch a request.
      expect(batches.length).toBeGreaterThanOrEqual(3);
      const items = batches.reduce((n, b) => n + b.items.length, 0);
      expect(items / batches.length).toBeGreaterThan(3);
      expect(summary.teacher.requests).toBe(items);
      // Dollars at half the online price of the tokens used.
      const online$ =
        (summary.teacher.inputTokens * PRICE.inputPerMTok + summary.teacher.outputTokens * PRICE.outputPerMTok) / 1e6;
      expect(summary.teacher.dollars).toBeCloseTo(online$ / 2, 9);
      const progress = events.filter((e) => e.type === 'teacher-batch');
      expect(progress.some((e) => e.type === 'teacher-batch' && e.status !== 'completed' && e.status !== 'ended')).toBe(
        true,
      );
      expect(progress.every((e) => e.type === 'teacher-batch' && !e.resumed)).toBe(true);
    });
  }

  it('items that error or expire in a batch are sent online, and no answer is lost', async () => {
    const { fake } = await setUp();
    let n = 0;
    // Every fifth item fails, alternating between an error and an expiry.
    fake.batch.settings.outcome = () => {
      n++;
      return n % 5 === 0 ? (n % 10 === 0 ? 'expired' : 'errored') : 'succeeded';
    };
    const summary = await distill(loadTask(taskFile('partial', 'openai:gpt-4o-mini', fake.baseUrl)), {
      outDir: join(t.dir, 'run'),
      store: new MemoryStore(),
    });
    expect(summary.status).toBe('complete');
    expect(summary.teacher.answers).toBe(300);
    expect(summary.teacher.rejected).toBe(0);
    const items = fake.batch.batches.reduce((k, b) => k + b.items.length, 0);
    const failed = Math.floor(items / 5);
    expect(failed).toBeGreaterThan(0);
    expect(online(fake)).toBe(failed);
  });

  it('a run stopped while its batch is polled resumes polling that batch, and never submits it twice', async () => {
    const { fake } = await setUp();
    const cache = join(t.dir, 'cache.sqlite');
    const file = taskFile('resumed', 'openai:gpt-4o-mini', fake.baseUrl);
    fake.batch.settings.pollsUntilDone = 1_000_000;
    const stop = new AbortController();
    const emitter = new Emitter();
    emitter.on((e) => {
      if (e.type === 'teacher-batch') stop.abort(new Error('killed while polling'));
    });
    const store = new SqliteStore(cache);
    await expect(
      distill(loadTask(file), { outDir: join(t.dir, 'run'), store, emitter, signal: stop.signal }),
    ).rejects.toThrow();
    store.close();
    expect(fake.batch.batches.length).toBe(1);
    const first = fake.batch.batches[0];

    fake.batch.settings.pollsUntilDone = 1;
    const events: ApprenticeEvent[] = [];
    const again = new Emitter();
    again.on((e) => events.push(e));
    const reopened = new SqliteStore(cache);
    const summary = await distill(loadTask(file), {
      outDir: join(t.dir, 'run'),
      store: reopened,
      emitter: again,
      overwrite: true,
    });
    reopened.close();
    expect(summary.status).toBe('complete');
    const resumed = events.filter((e) => e.type === 'teacher-batch' && e.resumed);
    expect(resumed.length).toBeGreaterThan(0);
    expect(resumed.every((e) => e.type === 'teacher-batch' && e.id === first.id)).toBe(true);
    // No later batch holds any of the first batch's requests again.
    const firstIds = new Set(first.items.map((i) => i.customId));
    for (const b of fake.batch.batches.slice(1)) for (const i of b.items) expect(firstIds.has(i.customId)).toBe(false);
    expect(online(fake)).toBe(0);
  });

  it('refuses batch mode for a provider without a batch API', async () => {
    const { fake } = await setUp();
    await expect(
      distill(loadTask(taskFile('local', 'openai-compatible:llama', fake.baseUrl)), {
        outDir: join(t.dir, 'run'),
        store: new MemoryStore(),
      }),
    ).rejects.toThrow(/teacher.mode: batch needs a provider with a batch API/);
  });
});
