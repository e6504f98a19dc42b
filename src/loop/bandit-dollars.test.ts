import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { distill } from '../run/distill.js';
import { loadTask } from '../task/load.js';
import { MemoryStore } from '../store/memory-store.js';
import type { RoundRecord } from './types.js';
import { hashObject } from '../util/hash.js';
import { fakeTeacher, generationAsk } from '../../test/fake-llm/scripts.js';
import { fakeLlmPerTest } from '../../test/fake-llm/per-test.js';
import type { FakeHandler } from '../../test/fake-llm/types.js';
import { TOPIC_LABELS, topicRows, writeJsonl } from '../../test/fixtures/topics.js';

const t = fakeLlmPerTest('apprentice-dollars-');

const GENERATORS = ['weak-label', 'hard-negative'];

/** Output tokens the fake reports per written example: a verbose model, so a written example costs far more than a label. */
const TOKENS_PER_EXAMPLE = 600;

/** A teacher that labels correctly and writes on-topic examples, but bills every written example as hundreds of output tokens. */
function verboseWriter(truth: Map<string, string>): FakeHandler {
  const base = fakeTeacher({
    answer: (text) => truth.get(text),
    // What it writes follows from the request alone, not from the order concurrent requests arrive in.
    generate: (label, n, req) => {
      const seed = 5000 + parseInt(hashObject(req.messages).slice(0, 5), 16);
      const rows = topicRows(n * TOPIC_LABELS.length * 3, seed).filter((r) => r.label === label);
      return rows.slice(0, n).map((r, i) => `${r.text} (v${seed}-${i})`);
    },
  });
  return (req) => {
    const reply = base(req);
    const ask = generationAsk(req);
    return ask && typeof reply === 'string'
      ? { kind: 'answer', text: reply, usage: { output: TOKENS_PER_EXAMPLE * ask.n } }
      : reply;
  };
}

async function run(
  name: string,
  baseUrl: string,
  price?: { inputPerMTok: number; outputPerMTok: number },
): Promise<RoundRecord[]> {
  const runDir = join(t.dir, name);
  writeFileSync(
    join(t.dir, `${name}.json`),
    JSON.stringify({
      name,
      instruction: 'Route each customer message to the team that handles its topic.',
      labels: TOPIC_LABELS,
      pool: './pool.jsonl',
      eval: './gold.jsonl',
      teacher: { model: 'openai-compatible:fake', baseUrl, batchSize: 20, concurrency: 4, ...(price ? { price } : {}) },
      budget: { answers: 1700 },
      loop: { initialLabels: 100, initialGeneratePerLabel: 2, answersPerRound: 200, maxRounds: 8, patience: 9 },
      data: { strategies: GENERATORS, verify: 'off', labelNoise: 'off' },
      seed: 5,
    }),
  );
  const summary = await distill(loadTask(join(t.dir, `${name}.json`)), { outDir: runDir, store: new MemoryStore() });
  expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain(
    price ? 'gained more per dollar' : 'gained more per answer',
  );
  return summary.rounds;
}

describe('the bandit with a priced teacher (fake LLM over HTTP)', () => {
  // How the bandit then weighs gain per dollar is in bandit.test.ts (recordRound): on a task this easy
  // the measured gains are mostly retraining noise, so the split here says little about the unit.
  it('charges each arm the dollars of its own requests, and the report says the bandit weighed gain per dollar', async () => {
    const pool = topicRows(1600, 1);
    const truth = new Map(pool.map((r) => [r.text, r.label]));
    const fake = await t.start(verboseWriter(truth));
    writeJsonl(
      join(t.dir, 'pool.jsonl'),
      pool.map((r) => ({ text: r.text })),
    );
    writeJsonl(
      join(t.dir, 'gold.jsonl'),
      topicRows(200, 2).map((r) => ({ ...r, text: r.text.replace('#', 'g#') })),
    );

    const unpriced = await run('by-answer', fake.baseUrl);
    const priced = await run('by-dollar', fake.baseUrl, { inputPerMTok: 0.15, outputPerMTok: 60 });

    // Unpriced: no dollars anywhere. Priced: every arm that spent answers was charged, a written
    // example many times a label, and the arms' dollars are all the round spent (no filter checks here).
    expect(unpriced.every((r) => Object.values(r.arms ?? {}).every((a) => a.dollars === undefined))).toBe(true);
    let before = 0;
    for (const r of priced) {
      const arms = Object.entries(r.arms ?? {});
      for (const [, a] of arms) if (a.answers > 0) expect(a.dollars).toBeGreaterThan(0);
      expect(arms.reduce((s, [, a]) => s + (a.dollars ?? 0), 0)).toBeCloseTo(r.dollars - before, 9);
      before = r.dollars;
    }
    const perAnswer = (arm: string) => {
      const spent = priced.reduce(
        (s, r) => ({
          dollars: s.dollars + (r.arms?.[arm]?.dollars ?? 0),
          answers: s.answers + (r.arms?.[arm]?.answers ?? 0),
        }),
        { dollars: 0, answers: 0 },
      );
      return spent.dollars / spent.answers;
    };
    expect(perAnswer('weak-label')).toBeGreaterThan(10 * perAnswer('pool'));
    // And the bandit measured the arms in that run (gains recorded from round 1 on).
    expect(priced.filter((r) => r.round > 0).every((r) => r.arms?.pool?.gain !== undefined)).toBe(true);
  });
});
